import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { templateDocumentSchema, type TemplateDetail, type TemplateDocumentInput } from '@bulwark/api-schema';
import { BuiltInTemplates, contentHash } from '@bulwark/questionnaires';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

/**
 * Questionnaire templates on the real database: the built-in template seeded for every organization (at creation
 * and at start-up, once), drafts saved whole with optimistic concurrency, publishing that names the path of every
 * problem and freezes the version (also against SQL), new drafts that leave published versions alone, VSAQ and
 * Bulwark imports (all or nothing), the export round trip, archiving, roles and tenancy.
 */
let t: TestApp;
let ds: DataSource;
let admin: string;
let manager: string;
let auditor: string;
let procurement: string;
let contact: string;
let otherManager: string;

const fixture = (name: string) =>
  readFileSync(join(__dirname, '..', '..', 'libs', 'domain', 'questionnaires', 'fixtures', 'vsaq', name), 'utf8');
const yesNo = [
  { value: 'yes', label: 'Yes', points: 1 },
  { value: 'no', label: 'No', points: 0 },
];
const draftDoc = (name: string): TemplateDocumentInput => ({
  name,
  description: 'A small template for the tests',
  sections: [
    {
      key: 'scope',
      title: 'Scope',
      questions: [
        { key: 'provider', type: 'yes_no', text: 'Do you provide AI models?', required: true, options: yesNo },
        // Refers to a question that is not there yet: fine in a draft, refused when publishing.
        {
          key: 'rollback',
          type: 'yes_no',
          text: 'Can you roll back?',
          options: yesNo,
          showWhen: {
            all: [
              { key: 'provider', equals: 'yes' },
              { key: 'later', answered: true },
            ],
          },
        },
      ],
    },
  ],
});

async function auditCount(action?: string): Promise<number> {
  const rows = (await ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE ($1::text IS NULL OR action = $1)`, [action ?? null])) as {
    n: number;
  }[];
  return rows[0]!.n;
}
const templatesCount = async () => ((await ds.query(`SELECT count(*)::int AS n FROM questionnaire_templates`)) as { n: number }[])[0]!.n;

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, true);
  ds = t.app.get(DataSource);
  [admin, manager, auditor, procurement, contact, otherManager] = await Promise.all(
    [
      'admin@demo.bulwark.test',
      'manager@demo.bulwark.test',
      'auditor@demo.bulwark.test',
      'procurement@demo.bulwark.test',
      'contact@openai.demo.bulwark.test',
      'manager@other.bulwark.test',
    ].map((e) => login(t, e)),
  );
});
afterAll(async () => t?.close());

describe('the built-in template', () => {
  it('is seeded, published as version 1, for every organization, with its content hash', async () => {
    const list = await t.http.get('/api/questionnaire-templates').set(auth(manager));
    expect(list.status).toBe(200);
    const builtIn = (list.body.items as TemplateDetail[]).filter((x) => x.builtIn);
    expect(builtIn).toHaveLength(1);
    expect(builtIn[0]).toMatchObject({
      name: 'AI supplier disaster recovery',
      status: 'published',
      latestPublishedVersion: 1,
      draftVersion: null,
    });
    expect(builtIn[0]!.questionCount).toBeGreaterThanOrEqual(30);
    const detail = await t.http.get(`/api/questionnaire-templates/${builtIn[0]!.id}`).set(auth(auditor));
    expect(detail.status).toBe(200);
    const body = detail.body as TemplateDetail;
    expect(body.current).toMatchObject({ version: 1, status: 'published', problems: [], source: { format: 'builtin' } });
    expect(body.current.contentHash).toBe(contentHash(templateDocumentSchema.parse(body.current.content)));
    const other = await t.http.get('/api/questionnaire-templates').set(auth(otherManager));
    expect((other.body.items as TemplateDetail[]).filter((x) => x.builtIn)).toHaveLength(1);
    expect(await auditCount('questionnaire_template.seeded')).toBe(2);
  });

  it('start-up seeding fills in an organization that lacks it, once, also when several processes race', async () => {
    const [org] = (await ds.query(`SELECT id FROM organizations WHERE slug = 'other-org'`)) as { id: string }[];
    // Deleting the template takes its published version with it (the trigger lets a cascade through); the
    // organization's demo questionnaires, sent from it, go first.
    await ds.query(
      `DELETE FROM questionnaire_requests WHERE template_id IN (SELECT id FROM questionnaire_templates WHERE organization_id = $1 AND builtin_key = 'ai-supplier-dr')`,
      [org!.id],
    );
    await ds.query(`DELETE FROM questionnaire_templates WHERE organization_id = $1 AND builtin_key = 'ai-supplier-dr'`, [org!.id]);
    const seeder = t.app.get(BuiltInTemplates);
    await Promise.all([seeder.onApplicationBootstrap(), seeder.ensureFor(org!.id), seeder.ensureFor(org!.id)]);
    await seeder.onApplicationBootstrap();
    const rows = (await ds.query(
      `SELECT t.id, t.latest_published_version, (SELECT count(*)::int FROM questionnaire_template_versions v WHERE v.template_id = t.id) AS versions
         FROM questionnaire_templates t WHERE t.organization_id = $1 AND t.builtin_key = 'ai-supplier-dr'`,
      [org!.id],
    )) as { latest_published_version: number; versions: number }[];
    expect(rows).toEqual([expect.objectContaining({ latest_published_version: 1, versions: 1 })]);
    const verify = await t.http.get('/api/audit-log/verify').set(auth(await login(t, 'admin@other.bulwark.test')));
    expect(verify.body.status).toBe('ok');
  });
});

describe('drafts, publishing and new versions', () => {
  let id: string;

  it('creates a template as a draft, saved whole with its revision; a stale revision is a 409 that saves nothing', async () => {
    const created = await t.http.post('/api/questionnaire-templates').set(auth(manager)).send(draftDoc('Model suppliers'));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const body = created.body as TemplateDetail;
    id = body.id;
    expect(body).toMatchObject({ status: 'draft', draftVersion: 1, latestPublishedVersion: null, questionCount: 2 });
    expect(body.current).toMatchObject({ version: 1, status: 'draft', revision: 1 });
    // The draft already says what would refuse publishing.
    expect(body.current.problems).toEqual([
      expect.objectContaining({ path: 'sections[0].questions[1].showWhen.all[1].key', code: 'missing_key' }),
    ]);
    expect(body.current.content.sections[0]!.questions[0]).toMatchObject({ weight: 1, controls: [] });

    const doc = draftDoc('Model suppliers (DR)');
    const saved = await t.http.put(`/api/questionnaire-templates/${id}/versions/1`).set(auth(admin)).send({ revision: 1, content: doc });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ name: 'Model suppliers (DR)', current: { revision: 2 } });
    const audit = await auditCount();
    const stale = await t.http
      .put(`/api/questionnaire-templates/${id}/versions/1`)
      .set(auth(manager))
      .send({ revision: 1, content: draftDoc('Lost update') });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('questionnaire_template.stale');
    expect(await auditCount()).toBe(audit);
    expect((await t.http.get(`/api/questionnaire-templates/${id}`).set(auth(manager))).body.name).toBe('Model suppliers (DR)');
  });

  it('refuses bad documents with the field named, never a 500', async () => {
    const bad = await t.http
      .put(`/api/questionnaire-templates/${id}/versions/1`)
      .set(auth(manager))
      .send({
        revision: 2,
        content: { name: 'X', sections: [{ key: 's', title: 'S', questions: [{ key: 'q', type: 'slider', text: 'Q' }] }] },
      });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toContain('content.sections.0.questions.0.type');
    expect((await t.http.get(`/api/questionnaire-templates/${id}/versions/abc`).set(auth(manager))).status).toBe(400);
    expect((await t.http.get(`/api/questionnaire-templates/${id}/versions/7`).set(auth(manager))).status).toBe(404);
  });

  it('publishing names the path of each problem (missing key, cycle) and changes nothing; then freezes the version', async () => {
    const broken = draftDoc('Model suppliers (DR)');
    broken.sections[0]!.questions!.push({ key: 'later', type: 'text', text: 'Later?', showWhen: { key: 'rollback', answered: true } });
    const saved = await t.http
      .put(`/api/questionnaire-templates/${id}/versions/1`)
      .set(auth(manager))
      .send({ revision: 2, content: broken });
    expect(saved.status).toBe(200);
    const audit = await auditCount();
    const refused = await t.http.post(`/api/questionnaire-templates/${id}/versions/1/publish`).set(auth(manager)).send({ revision: 3 });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('questionnaire_template.invalid');
    expect(refused.body.error.fields).toEqual([
      expect.objectContaining({
        path: expect.stringMatching(/^sections\[0\]\.questions\[\d\]\.showWhen/),
        message: expect.stringContaining('cycle'),
      }),
    ]);
    expect(await auditCount()).toBe(audit);

    const fixed = draftDoc('Model suppliers (DR)');
    fixed.sections[0]!.questions![1]!.showWhen = { key: 'provider', equals: 'yes' };
    fixed.sections[0]!.questions!.push({ key: 'later', type: 'text', text: 'Anything else?' });
    expect(
      (await t.http.put(`/api/questionnaire-templates/${id}/versions/1`).set(auth(manager)).send({ revision: 3, content: fixed })).status,
    ).toBe(200);
    // Publishing what was reviewed: a revision that moved on meanwhile is a 409.
    expect(
      (await t.http.post(`/api/questionnaire-templates/${id}/versions/1/publish`).set(auth(manager)).send({ revision: 3 })).status,
    ).toBe(409);
    const published = await t.http.post(`/api/questionnaire-templates/${id}/versions/1/publish`).set(auth(manager)).send({ revision: 4 });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const body = published.body as TemplateDetail;
    expect(body).toMatchObject({ status: 'published', latestPublishedVersion: 1, draftVersion: null });
    expect(body.current).toMatchObject({ status: 'published', publishedByName: 'Morgan Manager' });
    expect(body.current.contentHash).toBe(contentHash(templateDocumentSchema.parse(fixed)));
    expect(await auditCount('questionnaire_template.published')).toBeGreaterThanOrEqual(1);

    const frozen = await t.http
      .put(`/api/questionnaire-templates/${id}/versions/1`)
      .set(auth(manager))
      .send({ revision: 4, content: fixed });
    expect(frozen.status).toBe(409);
    expect(frozen.body.error.code).toBe('questionnaire_template.frozen');
    // Not even SQL changes a published version.
    await expect(
      ds.query(`UPDATE questionnaire_template_versions SET content = '{}'::jsonb WHERE template_id = $1 AND version = 1`, [id]),
    ).rejects.toThrow(/frozen/);
    await expect(ds.query(`DELETE FROM questionnaire_template_versions WHERE template_id = $1 AND version = 1`, [id])).rejects.toThrow(
      /frozen/,
    );
  });

  it('a new draft starts from the published version; publishing it leaves version 1 as it was', async () => {
    const v1 = (await t.http.get(`/api/questionnaire-templates/${id}/versions/1`).set(auth(manager))).body;
    const draft = await t.http.post(`/api/questionnaire-templates/${id}/versions`).set(auth(manager)).send({});
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    expect(draft.body).toMatchObject({
      status: 'published',
      latestPublishedVersion: 1,
      draftVersion: 2,
      current: { version: 2, status: 'draft', contentHash: v1.contentHash },
    });
    const again = await t.http.post(`/api/questionnaire-templates/${id}/versions`).set(auth(manager)).send({});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('questionnaire_template.draft_exists');
    const content = { ...draft.body.current.content, name: 'Model suppliers (DR) 2' };
    content.sections[0].questions[0].text = 'Do you train, fine-tune or host AI models?';
    expect(
      (await t.http.put(`/api/questionnaire-templates/${id}/versions/2`).set(auth(manager)).send({ revision: 1, content })).status,
    ).toBe(200);
    const published = await t.http.post(`/api/questionnaire-templates/${id}/versions/2/publish`).set(auth(manager)).send({});
    expect(published.status).toBe(200);
    expect(published.body.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [2, 'published'],
      [1, 'published'],
    ]);
    const v1After = (await t.http.get(`/api/questionnaire-templates/${id}/versions/1`).set(auth(manager))).body;
    expect(v1After.content).toEqual(v1.content);
    expect(v1After.contentHash).toBe(v1.contentHash);
    expect(published.body.current.contentHash).not.toBe(v1.contentHash);
  });

  it('exports a version as Bulwark JSON, and importing it back gives the same content and hash', async () => {
    const exported = await t.http.get(`/api/questionnaire-templates/${id}/versions/2/export`).set(auth(auditor));
    expect(exported.status).toBe(200);
    expect(exported.headers['content-disposition']).toMatch(/attachment; filename="model-suppliers-dr-2-v2\.questionnaire\.json"/);
    expect(exported.body).toMatchObject({ format: 'bulwark.questionnaire-template', formatVersion: 1, source: { version: 2 } });
    const asText = await t.http
      .post('/api/questionnaire-templates/import?fileName=export.json')
      .set(auth(manager))
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify(exported.body));
    expect(asText.status, JSON.stringify(asText.body)).toBe(201);
    expect(asText.body.current.contentHash).toBe(exported.body.source.contentHash);
    expect(asText.body.current.content).toEqual(exported.body.template);
    expect(asText.body.current.source).toEqual({ format: 'bulwark', fileName: 'export.json', reference: exported.body.source.contentHash });
    const asJson = await t.http.post('/api/questionnaire-templates/import').set(auth(admin)).send(exported.body);
    expect(asJson.status).toBe(201);
    expect(asJson.body.current.contentHash).toBe(exported.body.source.contentHash);
  });

  it('archives: out of the default list, no more edits, restorable', async () => {
    const archived = await t.http.post(`/api/questionnaire-templates/${id}/archive`).set(auth(admin)).send({});
    expect(archived.status).toBe(200);
    expect(archived.body.status).toBe('archived');
    const active = await t.http.get('/api/questionnaire-templates?search=Model%20suppliers%20(DR)%202').set(auth(manager));
    expect(active.body.items.map((x: { id: string }) => x.id)).not.toContain(id);
    const inArchive = await t.http.get('/api/questionnaire-templates?status=archived').set(auth(manager));
    expect(inArchive.body.items.map((x: { id: string }) => x.id)).toContain(id);
    const blocked = await t.http.post(`/api/questionnaire-templates/${id}/versions`).set(auth(manager)).send({});
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.code).toBe('questionnaire_template.archived');
    const restored = await t.http.post(`/api/questionnaire-templates/${id}/restore`).set(auth(admin)).send({});
    expect(restored.body.status).toBe('published');
  });
});

describe('importing VSAQ questionnaires', () => {
  it('imports the real webapp.json (comments and + concatenation) as text: sections, questions and conditions', async () => {
    const res = await t.http
      .post('/api/questionnaire-templates/import?format=vsaq&fileName=webapp.json')
      .set(auth(manager))
      .set('Content-Type', 'text/plain')
      .send(fixture('webapp.json'));
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(201);
    const body = res.body as TemplateDetail;
    expect(body).toMatchObject({ name: 'Web Application Security Questionnaire', status: 'draft', questionCount: 110 });
    expect(body.current.content.sections).toHaveLength(28);
    expect(body.current.problems).toEqual([]);
    expect(body.current.source).toEqual({ format: 'vsaq', fileName: 'webapp.json', reference: null });
    const tls = body.current.content.sections.find((s) => s.key === 'application_ssl_configuration')!;
    expect(tls.showWhen).toEqual({
      any: [
        { key: 'application_ssl', equals: 'application_ssl_mixed' },
        { key: 'application_ssl', equals: 'application_ssl_exclusively' },
      ],
    });
    // Strict JSON VSAQ files import as JSON too, the format found from the content.
    const strict = await t.http
      .post('/api/questionnaire-templates/import')
      .set(auth(manager))
      .send(JSON.parse(fixture('test_template.json')));
    expect(strict.status).toBe(201);
    expect(strict.body).toMatchObject({ name: 'My questionnaire', questionCount: 3 });
    const publish = await t.http.post(`/api/questionnaire-templates/${body.id}/versions/1/publish`).set(auth(manager)).send({});
    expect(publish.status).toBe(200);
  });

  it('refuses what it cannot map with the item ids named, and stores nothing', async () => {
    const before = { templates: await templatesCount(), audit: await auditCount() };
    const text = `// not quite VSAQ
      { "questionnaire": [{ "type": "block", "text": 'Q', "items": [
        { "type": "slider", "id": "speed", "text": "How fast?" },
        { "type": "line", "id": "city", "text": "City" + "?", "cond": "nowhere" },
      ]}]}`;
    const res = await t.http.post('/api/questionnaire-templates/import').set(auth(manager)).set('Content-Type', 'text/plain').send(text);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('questionnaire_import.vsaq_unsupported');
    expect(res.body.error.message).toContain('speed');
    expect(res.body.error.fields).toEqual([
      { path: 'speed', message: 'the item type "slider" is not supported' },
      { path: 'city', message: 'its cond "nowhere" refers to "nowhere", which is not in the questionnaire' },
    ]);
    const syntax = await t.http
      .post('/api/questionnaire-templates/import?format=vsaq')
      .set(auth(manager))
      .set('Content-Type', 'text/plain')
      .send('{"questionnaire": [eval("x")]}');
    expect(syntax.status).toBe(422);
    expect(syntax.body.error.message).toContain('line 1, column 20');
    const bulwark = await t.http
      .post('/api/questionnaire-templates/import?format=bulwark')
      .set(auth(manager))
      .set('Content-Type', 'text/plain')
      .send('{"format": "bulwark.questionnaire-template", "formatVersion": 1, "template": {"name": ""}}');
    expect(bulwark.status).toBe(422);
    expect(bulwark.body.error.fields.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(['template.name', 'template.sections']),
    );
    const empty = await t.http.post('/api/questionnaire-templates/import').set(auth(manager)).set('Content-Type', 'text/plain').send('   ');
    expect(empty.status).toBe(422);
    const none = await t.http.post('/api/questionnaire-templates/import').set(auth(manager));
    expect(none.status).toBe(400);
    expect({ templates: await templatesCount(), audit: await auditCount() }).toEqual(before);
  });
});

describe('who may see and change templates', () => {
  it('internal roles read; admins and vendor managers write; vendor contacts see nothing; other organizations’ ids are not found', async () => {
    const list = await t.http.get('/api/questionnaire-templates').set(auth(procurement));
    expect(list.status).toBe(200);
    const id = (list.body.items as { id: string; builtIn: boolean }[]).find((x) => x.builtIn)!.id;
    expect((await t.http.get('/api/questionnaire-templates').set(auth(contact))).status).toBe(403);
    expect((await t.http.get(`/api/questionnaire-templates/${id}`).set(auth(contact))).status).toBe(403);
    for (const token of [auditor, procurement]) {
      expect((await t.http.post('/api/questionnaire-templates').set(auth(token)).send(draftDoc('Nope'))).status).toBe(403);
      expect((await t.http.post(`/api/questionnaire-templates/${id}/archive`).set(auth(token)).send({})).status).toBe(403);
    }
    expect((await t.http.get(`/api/questionnaire-templates/${id}`).set(auth(otherManager))).status).toBe(404);
    expect((await t.http.post(`/api/questionnaire-templates/${id}/versions`).set(auth(otherManager)).send({})).status).toBe(404);
    expect((await t.http.get(`/api/questionnaire-templates/${id}/versions/1/export`).set(auth(otherManager))).status).toBe(404);
  });

  it('lists page by page, searching name and description', async () => {
    const page = await t.http.get('/api/questionnaire-templates?pageSize=1&sort=-updatedAt').set(auth(manager));
    expect(page.body.items).toHaveLength(1);
    expect(page.body.total).toBeGreaterThan(2);
    const found = await t.http.get('/api/questionnaire-templates?search=disaster').set(auth(manager));
    expect(found.body.items.map((x: { name: string }) => x.name)).toContain('AI supplier disaster recovery');
    expect((await t.http.get('/api/questionnaire-templates?status=bogus').set(auth(manager))).status).toBe(422);
  });
});
