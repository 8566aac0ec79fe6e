import { join } from 'node:path';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { QuestionnaireRequestDetail, TemplateDetail, TemplateDocumentInput } from '@bulwark/api-schema';
import { Reminders } from '@bulwark/platform';
import { QuestionnaireRequestReminders } from '@bulwark/questionnaires';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { uploadEvidence } from '../support/evidence';
import { waitForMail } from '../support/outbox';

/**
 * Questionnaire requests on the real database: sending (the snapshot, recipients, refusals), template edits after
 * sending changing nothing sent, answering with versions (422 on a value that does not fit, 409 with the current
 * answer when stale, the two-writer race), hidden questions never required nor shown but kept, submitting, the
 * review (flags on the vendor's and the internal thread, changes requested reopening only the flagged answers,
 * acceptance with the stored score), findings from flagged answers, cancelling, the inbox, reminders, roles and
 * tenancy.
 */
let t: TestApp;
let ds: DataSource;
let admin: string;
let manager: string;
let auditor: string;
let procurement: string;
let contact: string; // OpenAI's contact
let otherContact: string; // Bloomberg's contact
let otherOrgManager: string;
let openai: string;
let bloomberg: string;
let pinecone: string; // no portal contact
let smallVersionId: string;
let smallTemplateId: string;

const inDays = (n: number) => DateTime.utc().plus({ days: n }).toISODate()!;
const fieldsOf = (res: { body: { error?: { fields?: { path: string }[] } } }) => (res.body.error?.fields ?? []).map((f) => f.path);

const yesNo = [
  { value: 'yes', label: 'Yes', points: 1 },
  { value: 'no', label: 'No', points: 0 },
];
/** A small template: a model question shown only to model providers, an evidence question, an n/a option. */
const smallDoc: TemplateDocumentInput = {
  name: 'Small DR questionnaire',
  description: 'For the request tests',
  sections: [
    {
      key: 'scope',
      title: 'Scope',
      questions: [
        { key: 'provider', type: 'yes_no', text: 'Do you provide AI models?', required: true, options: yesNo },
        {
          key: 'rollback',
          type: 'yes_no',
          text: 'Can you roll a model back within a day?',
          required: true,
          options: yesNo,
          showWhen: { key: 'provider', equals: 'yes' },
        },
      ],
    },
    {
      key: 'dr',
      title: 'Disaster recovery',
      questions: [
        {
          key: 'rto',
          type: 'single_choice',
          text: 'What is your RTO?',
          required: true,
          options: [
            { value: 'lt4h', label: 'Under 4 hours', points: 2 },
            { value: 'lt24h', label: 'Under 24 hours', points: 1 },
            { value: 'na', label: 'Not applicable', na: true },
          ],
        },
        { key: 'hours', type: 'number', text: 'Hours since the last restore drill', unit: 'hours' },
        { key: 'report', type: 'evidence', text: 'Your latest DR test report', points: 1, evidenceKinds: ['dr_test_report'] },
        { key: 'notes', type: 'text', text: 'Anything else?' },
      ],
    },
  ],
};

const send = (body: Record<string, unknown>, token = manager) =>
  t.http
    .post('/api/questionnaire-requests')
    .set(auth(token))
    .send({ templateVersionId: smallVersionId, vendorId: openai, dueDate: inDays(14), ...body });
const put = (id: string, key: string, body: Record<string, unknown>, token = contact) =>
  t.http.put(`/api/questionnaire-requests/${id}/answers/${key}`).set(auth(token)).send(body);
const get = (id: string, token = contact) => t.http.get(`/api/questionnaire-requests/${id}`).set(auth(token));
const answerOf = (d: QuestionnaireRequestDetail, key: string) => d.answers.find((a) => a.questionKey === key);
const review = (id: string, body: Record<string, unknown>, token = manager) =>
  t.http.post(`/api/questionnaire-requests/${id}/review`).set(auth(token)).send(body);

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, true);
  ds = t.app.get(DataSource);
  [admin, manager, auditor, procurement, contact, otherContact, otherOrgManager] = await Promise.all(
    [
      'admin@demo.bulwark.test',
      'manager@demo.bulwark.test',
      'auditor@demo.bulwark.test',
      'procurement@demo.bulwark.test',
      'contact@openai.demo.bulwark.test',
      'contact@bloomberg.demo.bulwark.test',
      'manager@other.bulwark.test',
    ].map((e) => login(t, e)),
  );
  const vendor = async (name: string) =>
    (
      (await ds.query(
        `SELECT v.id FROM vendors v JOIN organizations o ON o.id = v.organization_id WHERE o.slug = 'demo-org' AND v.name = $1`,
        [name],
      )) as { id: string }[]
    )[0]!.id;
  [openai, bloomberg, pinecone] = await Promise.all(['OpenAI', 'Bloomberg', 'Pinecone'].map(vendor));
  const created = await t.http.post('/api/questionnaire-templates').set(auth(manager)).send(smallDoc);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  smallTemplateId = (created.body as TemplateDetail).id;
  const published = await t.http.post(`/api/questionnaire-templates/${smallTemplateId}/versions/1/publish`).set(auth(manager)).send({});
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  smallVersionId = (
    (await ds.query(`SELECT id FROM questionnaire_template_versions WHERE template_id = $1`, [smallTemplateId])) as {
      id: string;
    }[]
  )[0]!.id;
});
afterAll(async () => t?.close());

describe('sending', () => {
  it('sends a snapshot of the published version to every active contact, tells them, and audits it', async () => {
    const res = await send({ message: 'Please answer before the audit.' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const r = res.body as QuestionnaireRequestDetail;
    expect(r).toMatchObject({
      status: 'sent',
      vendorName: 'OpenAI',
      templateName: 'Small DR questionnaire',
      templateVersion: 1,
      dueDate: inDays(14),
      overdue: false,
      message: 'Please answer before the audit.',
      progress: { visible: 5, answered: 0, required: 2, requiredAnswered: 0, requiredMissing: ['provider', 'rto'] },
      scorePercent: null,
      reopenedKeys: null,
    });
    // The model question is hidden until the vendor says it provides models.
    expect(r.visibleKeys).toEqual(['provider', 'rto', 'hours', 'report', 'notes']);
    expect(r.answers.every((a) => a.version === 0 && a.value === null && a.editable)).toBe(true);
    expect(r.recipients.map((p) => p.name)).toEqual(['OpenAI Contact']);
    const [hash] = (await ds.query(`SELECT content_hash FROM questionnaire_template_versions WHERE id = $1`, [smallVersionId])) as {
      content_hash: string;
    }[];
    expect(r.contentHash).toBe(hash!.content_hash);
    const notices = (await ds.query(
      `SELECT n.link FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'contact@openai.demo.bulwark.test' AND n.dedupe_key = $1`,
      [`questionnaire-request-${r.id}-sent`],
    )) as { link: string }[];
    expect(notices).toEqual([{ link: `/vendor-home/questionnaire-requests/${r.id}` }]);
    const audit = (await ds.query(`SELECT action FROM audit_log WHERE entity_id = $1`, [r.id])) as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(['questionnaire_request.sent']);
  });

  it('refuses what cannot be sent, naming the field, and only admins and vendor managers send', async () => {
    // A vendor without any portal contact: the refusal says to invite one.
    const none = await send({ vendorId: pinecone });
    expect(none.status).toBe(422);
    expect(fieldsOf(none)).toEqual(['recipientIds']);
    expect(none.body.error.fields[0].message).toMatch(/invite a contact/i);
    // A recipient who is not a contact of this vendor.
    const [other] = (await ds.query(`SELECT id FROM users WHERE email = 'contact@bloomberg.demo.bulwark.test'`)) as { id: string }[];
    expect(fieldsOf(await send({ recipientIds: [other!.id] }))).toEqual(['recipientIds.0']);
    expect(fieldsOf(await send({ dueDate: inDays(-1) }))).toEqual(['dueDate']);
    expect(fieldsOf(await send({ vendorId: '00000000-0000-4000-8000-000000000000' }))).toEqual(['vendorId']);
    // A draft is not sent.
    const draft = await t.http.post(`/api/questionnaire-templates/${smallTemplateId}/versions`).set(auth(manager)).send({});
    expect(draft.status).toBe(201);
    const [draftVersion] = (await ds.query(`SELECT id FROM questionnaire_template_versions WHERE template_id = $1 AND status = 'draft'`, [
      smallTemplateId,
    ])) as { id: string }[];
    const refused = await send({ templateVersionId: draftVersion!.id });
    expect(refused.status).toBe(422);
    expect(fieldsOf(refused)).toEqual(['templateVersionId']);
    // Another organization's vendor and template version do not exist there.
    expect(fieldsOf(await send({}, otherOrgManager))).toEqual(['vendorId']);
    for (const token of [auditor, procurement, contact]) expect((await send({}, token)).status).toBe(403);
  });

  it('a vendor without a portal contact gets an invitation with the request, together; the invitee then answers', async () => {
    const res = await send({ vendorId: pinecone, invite: { email: 'dr.lead@pinecone.example', name: 'Dana Lead' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const r = res.body as QuestionnaireRequestDetail;
    expect(r.recipients).toEqual([]);
    const [invitation] = (await ds.query(`SELECT id, vendor_id FROM invitations WHERE email = 'dr.lead@pinecone.example'`)) as {
      id: string;
      vendor_id: string;
    }[];
    expect(invitation!.vendor_id).toBe(pinecone);
    const [audit] = (await ds.query(`SELECT diff FROM audit_log WHERE entity_id = $1 AND action = 'questionnaire_request.sent'`, [
      r.id,
    ])) as {
      diff: { invitationId: string };
    }[];
    expect(audit!.diff.invitationId).toBe(invitation!.id);
    const mail = await waitForMail(join(t.dataDir, 'outbox'), (m) => m.file.endsWith(`-invitation-${invitation!.id}-1.json`));
    expect(mail.text).toContain('A questionnaire waits for you: "Small DR questionnaire"');
    const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const accepted = await t.http.post('/api/invitations/accept').send({ token, password: 'a-long-vendor-passphrase' });
    expect(accepted.status, JSON.stringify(accepted.body)).toBeLessThan(300);
    const dana = await login(t, 'dr.lead@pinecone.example', 'a-long-vendor-passphrase');
    const list = await t.http.get('/api/questionnaire-requests').set(auth(dana));
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([r.id]);
    expect((await put(r.id, 'provider', { value: 'no', version: 0 }, dana)).status).toBe(200);
    // An address that cannot be invited (already a user) refuses the whole send: no request, no invitation.
    const before = ((await ds.query(`SELECT count(*)::int AS n FROM questionnaire_requests`)) as { n: number }[])[0]!.n;
    const refused = await send({ vendorId: pinecone, invite: { email: 'contact@openai.demo.bulwark.test', name: 'Taken' } });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(((await ds.query(`SELECT count(*)::int AS n FROM questionnaire_requests`)) as { n: number }[])[0]!.n).toBe(before);
  });

  it('later template edits never change what was sent (the snapshot is frozen, also against SQL)', async () => {
    const r = (await send({})).body as QuestionnaireRequestDetail;
    // The open draft (version 2) changes the first question and is published.
    const tpl = (await t.http.get(`/api/questionnaire-templates/${smallTemplateId}`).set(auth(manager))).body as TemplateDetail;
    const content = structuredClone(tpl.current.content);
    content.sections[0]!.questions[0]!.text = 'Changed after sending?';
    const saved = await t.http
      .put(`/api/questionnaire-templates/${smallTemplateId}/versions/${tpl.current.version}`)
      .set(auth(manager))
      .send({ revision: tpl.current.revision, content });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(
      (
        await t.http
          .post(`/api/questionnaire-templates/${smallTemplateId}/versions/${tpl.current.version}/publish`)
          .set(auth(manager))
          .send({})
      ).status,
    ).toBe(200);
    const after = (await get(r.id)).body as QuestionnaireRequestDetail;
    expect(after.templateVersion).toBe(1);
    expect(after.contentHash).toBe(r.contentHash);
    expect(after.content.sections[0]!.questions[0]!.text).toBe('Do you provide AI models?');
    await expect(ds.query(`UPDATE questionnaire_requests SET content = '{}'::jsonb WHERE id = $1`, [r.id])).rejects.toThrow(/frozen/);
  });
});

describe('answering', () => {
  it('saves answers with versions, moves the request in progress, and refuses values that do not fit (422 on value)', async () => {
    const r = (await send({})).body as QuestionnaireRequestDetail;
    let res = await put(r.id, 'provider', { value: 'yes', version: 0 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    let d = res.body as QuestionnaireRequestDetail;
    expect(d.status).toBe('in_progress');
    expect(answerOf(d, 'provider')).toMatchObject({ value: 'yes', version: 1, updatedByName: 'OpenAI Contact' });
    // The model question shows now, and is required.
    expect(d.visibleKeys).toContain('rollback');
    expect(d.progress).toMatchObject({ required: 3, requiredAnswered: 1, requiredMissing: ['rollback', 'rto'] });

    for (const [key, value] of [
      ['provider', 'maybe'],
      ['rto', ['lt4h']],
      ['hours', '12'],
      ['notes', 42],
      ['report', ['not-a-uuid']],
    ] as const) {
      const bad = await put(r.id, key, { value, version: key === 'provider' ? 1 : 0 });
      expect(bad.status, `${key} ${JSON.stringify(bad.body)}`).toBe(422);
      expect(fieldsOf(bad)).toEqual(['value']);
    }
    // An unknown question is not found; the organization does not answer for the vendor.
    expect((await put(r.id, 'nope', { value: 'x', version: 0 })).status).toBe(404);
    expect((await put(r.id, 'notes', { value: 'x', version: 0 }, manager)).status).toBe(403);
    // Another vendor's contact does not see the request at all.
    expect((await put(r.id, 'notes', { value: 'x', version: 0 }, otherContact)).status).toBe(404);
    expect((await get(r.id, otherContact)).status).toBe(404);

    // Not applicable is an answer (it counts as answered and shows as such).
    res = await put(r.id, 'rto', { value: 'na', version: 0, comment: 'We run no DR site' });
    d = res.body as QuestionnaireRequestDetail;
    expect(answerOf(d, 'rto')).toMatchObject({ value: 'na', notApplicable: true, comment: 'We run no DR site', version: 1 });
    // Saving the same answer again changes nothing (an autosave retried after a lost response).
    res = await put(r.id, 'rto', { value: 'na', version: 1, comment: 'We run no DR site' });
    expect(answerOf(res.body as QuestionnaireRequestDetail, 'rto')!.version).toBe(1);
  });

  it('a stale write gets 409 with the current value, version and author, and the newer answer stays', async () => {
    const r = (await send({})).body as QuestionnaireRequestDetail;
    expect((await put(r.id, 'notes', { value: 'First words', version: 0 })).status).toBe(200);
    const stale = await put(r.id, 'notes', { value: 'Written on an old page', version: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('questionnaire_answer.stale');
    expect(stale.body.error.details.current).toMatchObject({ value: 'First words', version: 1, updatedByName: 'OpenAI Contact' });
    expect(answerOf((await get(r.id)).body as QuestionnaireRequestDetail, 'notes')).toMatchObject({ value: 'First words', version: 1 });
    // Overwriting on purpose: the client sends the version it was shown.
    const over = await put(r.id, 'notes', { value: 'Written on an old page', version: 1 });
    expect(answerOf(over.body as QuestionnaireRequestDetail, 'notes')).toMatchObject({ value: 'Written on an old page', version: 2 });
  });

  it('the race: two writers of the same version, one wins, the other gets 409 with the winner’s answer', async () => {
    const r = (await send({})).body as QuestionnaireRequestDetail;
    // A second person of the vendor.
    await ds.query(
      `INSERT INTO users (organization_id, email, name, role, vendor_id, password_hash, active)
       SELECT organization_id, 'second@openai.demo.bulwark.test', 'Second Contact', role, vendor_id, password_hash, true FROM users
        WHERE email = 'contact@openai.demo.bulwark.test' ON CONFLICT DO NOTHING`,
    );
    const second = await login(t, 'second@openai.demo.bulwark.test');
    for (let round = 0; round < 3; round += 1) {
      const version = round === 0 ? 0 : answerOf((await get(r.id)).body as QuestionnaireRequestDetail, 'hours')!.version;
      const [a, b] = await Promise.all([
        put(r.id, 'hours', { value: 100 + round, version }, contact),
        put(r.id, 'hours', { value: 200 + round, version }, second),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const winner = a.status === 200 ? { value: 100 + round, name: 'OpenAI Contact' } : { value: 200 + round, name: 'Second Contact' };
      const loser = a.status === 200 ? b : a;
      expect(loser.body.error.details.current).toMatchObject({ value: winner.value, version: version + 1, updatedByName: winner.name });
      expect(answerOf((await get(r.id)).body as QuestionnaireRequestDetail, 'hours')).toMatchObject({
        value: winner.value,
        version: version + 1,
      });
    }
  });

  it('evidence questions take items of the vendor’s own library, linked to the answer', async () => {
    const r = (await send({})).body as QuestionnaireRequestDetail;
    const own = await uploadEvidence(t.http, contact, openai, 'DR test 2026');
    const theirs = await uploadEvidence(t.http, manager, bloomberg, 'Bloomberg DR test');
    const refused = await put(r.id, 'report', { value: [theirs], version: 0 });
    expect(refused.status).toBe(422);
    expect(fieldsOf(refused)).toEqual(['value']);
    const ok = await put(r.id, 'report', { value: [own], version: 0 });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(answerOf(ok.body as QuestionnaireRequestDetail, 'report')!.value).toEqual([own]);
    const links = (await ds.query(
      `SELECT l.target_type FROM evidence_links l JOIN questionnaire_answers a ON a.id = l.target_id WHERE a.request_id = $1 AND l.evidence_id = $2`,
      [r.id, own],
    )) as { target_type: string }[];
    expect(links).toEqual([{ target_type: 'questionnaire_answer' }]);
    const item = await t.http.get(`/api/evidence/${own}`).set(auth(contact));
    expect(JSON.stringify(item.body)).toContain('questionnaire_answer');
  });

  it('answers to questions that become hidden are kept, but neither shown, required nor written to', async () => {
    const r = (await send({})).body as QuestionnaireRequestDetail;
    await put(r.id, 'provider', { value: 'yes', version: 0 });
    await put(r.id, 'rollback', { value: 'no', version: 0 });
    const d = (await put(r.id, 'provider', { value: 'no', version: 1 })).body as QuestionnaireRequestDetail;
    expect(d.visibleKeys).not.toContain('rollback');
    expect(answerOf(d, 'rollback')).toBeUndefined();
    expect(d.progress.requiredMissing).toEqual(['rto']);
    const [kept] = (await ds.query(`SELECT value FROM questionnaire_answers WHERE request_id = $1 AND question_key = 'rollback'`, [
      r.id,
    ])) as {
      value: string;
    }[];
    expect(kept!.value).toBe('no');
    const hidden = await put(r.id, 'rollback', { value: 'yes', version: 1 });
    expect(hidden.status).toBe(409);
    expect(hidden.body.error.code).toBe('questionnaire_answer.hidden');
    // Shown again: the kept answer is back, with its version.
    const back = (await put(r.id, 'provider', { value: 'yes', version: 2 })).body as QuestionnaireRequestDetail;
    expect(answerOf(back, 'rollback')).toMatchObject({ value: 'no', version: 1 });
  });
});

describe('submitting, reviewing, scoring', () => {
  it('submit names every visible required question left unanswered; hidden ones are never required', async () => {
    const r = (await send({})).body as QuestionnaireRequestDetail;
    let res = await t.http.post(`/api/questionnaire-requests/${r.id}/submit`).set(auth(contact)).send({});
    expect(res.status).toBe(422);
    expect(fieldsOf(res)).toEqual(['answers.provider', 'answers.rto']);
    expect(res.body.error.details.missing).toEqual(['provider', 'rto']);
    await put(r.id, 'provider', { value: 'yes', version: 0 });
    res = await t.http.post(`/api/questionnaire-requests/${r.id}/submit`).set(auth(contact)).send({});
    expect(res.body.error.details.missing).toEqual(['rollback', 'rto']);
    await put(r.id, 'provider', { value: 'no', version: 1 });
    await put(r.id, 'rto', { value: 'lt24h', version: 0 });
    expect((await t.http.post(`/api/questionnaire-requests/${r.id}/submit`).set(auth(manager)).send({})).status).toBe(403);
    res = await t.http.post(`/api/questionnaire-requests/${r.id}/submit`).set(auth(contact)).send({});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'submitted' });
    // Submitted: answers no longer change, and it cannot be submitted twice.
    expect((await put(r.id, 'notes', { value: 'late', version: 0 })).status).toBe(409);
    expect((await t.http.post(`/api/questionnaire-requests/${r.id}/submit`).set(auth(contact)).send({})).status).toBe(409);
  });

  it('walks the review: flags on both threads, changes requested on the flagged answers only, fixed, accepted with the score', async () => {
    const r = (await send({})).body as QuestionnaireRequestDetail;
    await put(r.id, 'provider', { value: 'yes', version: 0 });
    await put(r.id, 'rollback', { value: 'no', version: 0 });
    await put(r.id, 'rto', { value: 'lt24h', version: 0 });
    await put(r.id, 'notes', { value: 'All good', version: 0 });
    // Nothing is reviewed before it is submitted.
    expect((await review(r.id, { decisions: [{ questionKey: 'rto', decision: 'accept' }] })).status).toBe(409);
    expect((await t.http.post(`/api/questionnaire-requests/${r.id}/submit`).set(auth(contact)).send({})).status).toBe(200);

    // A flag says what is wrong; decisions are about questions that show.
    expect(fieldsOf(await review(r.id, { decisions: [{ questionKey: 'rto', decision: 'flag' }] }))).toEqual(['decisions.0.comment']);
    expect(fieldsOf(await review(r.id, { decisions: [{ questionKey: 'missing', decision: 'accept' }] }))).toEqual([
      'decisions.0.questionKey',
    ]);
    for (const token of [auditor, procurement, contact])
      expect((await review(r.id, { decisions: [{ questionKey: 'rto', decision: 'accept' }] }, token)).status).toBe(403);

    let res = await review(r.id, {
      decisions: [
        { questionKey: 'provider', decision: 'accept' },
        { questionKey: 'rollback', decision: 'flag', comment: 'A day is too long for us: what stops a faster rollback?' },
        { questionKey: 'rto', decision: 'flag', comment: 'Internal: compare with their SOC 2 report', audience: 'internal' },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    let d = res.body as QuestionnaireRequestDetail;
    expect(d.status).toBe('in_review');
    expect(answerOf(d, 'rto')!.review).toMatchObject({
      decision: 'flagged',
      audience: 'internal',
      comment: 'Internal: compare with their SOC 2 report',
    });

    // The vendor sees the reviewer's question next to the answer, never the internal note.
    const seen = (await get(r.id)).body as QuestionnaireRequestDetail;
    expect(answerOf(seen, 'rollback')!.review).toMatchObject({
      decision: 'flagged',
      comment: expect.stringContaining('A day is too long'),
    });
    expect(answerOf(seen, 'rto')!.review).toMatchObject({ decision: 'flagged', comment: null });
    expect(JSON.stringify(seen)).not.toContain('compare with their SOC 2');
    const thread = await t.http.get(`/api/threads/questionnaire_request/${r.id}`).set(auth(contact));
    expect(thread.status).toBe(200);
    expect(JSON.stringify(thread.body)).toContain('A day is too long');
    expect(JSON.stringify(thread.body)).not.toContain('compare with their SOC 2');
    const internalThread = await t.http.get(`/api/threads/questionnaire_request/${r.id}`).set(auth(auditor));
    expect(JSON.stringify(internalThread.body)).toContain('compare with their SOC 2');

    // Accept the internal flag after all, and send the rest back.
    res = await review(r.id, { decisions: [{ questionKey: 'rto', decision: 'accept' }], outcome: 'request_changes' });
    d = res.body as QuestionnaireRequestDetail;
    expect(d).toMatchObject({ status: 'changes_requested', reopenedKeys: ['rollback'] });
    expect(d.answers.filter((a) => a.editable).map((a) => a.questionKey)).toEqual(['rollback']);
    // Only the flagged answer reopens.
    const closed = await put(r.id, 'notes', { value: 'changed', version: 1 });
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('questionnaire_answer.closed');
    res = await put(r.id, 'rollback', { value: 'yes', version: 1, comment: 'We now keep the previous model warm' });
    d = res.body as QuestionnaireRequestDetail;
    expect(d.status).toBe('in_progress');
    // A changed answer is judged again.
    expect(answerOf(d, 'rollback')!.review).toBeNull();
    expect((await t.http.post(`/api/questionnaire-requests/${r.id}/submit`).set(auth(contact)).send({})).status).toBe(200);

    res = await review(r.id, { decisions: [{ questionKey: 'rollback', decision: 'accept' }], outcome: 'accept' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    d = res.body as QuestionnaireRequestDetail;
    expect(d.status).toBe('accepted');
    // provider 1/1, rollback 1/1, rto 1/2; the evidence question (1 point) is optional and unanswered: left out.
    expect(d.score).toMatchObject({ earned: 3, max: 4, percent: 75 });
    expect(d.score!.rule).toMatch(/not applicable/i);
    expect(d.scorePercent).toBe(75);
    // The vendor does not get the organization's score.
    const vendorView = (await get(r.id)).body as QuestionnaireRequestDetail;
    expect(vendorView.score).toBeNull();
    expect(vendorView.scorePercent).toBeNull();

    const history = await t.http.get(`/api/vendors/${openai}/questionnaire-scores`).set(auth(auditor));
    expect(history.status).toBe(200);
    expect(history.body.items[0]).toMatchObject({ requestId: r.id, percent: 75, templateVersion: 1 });
    expect((await t.http.get(`/api/vendors/${openai}/questionnaire-scores`).set(auth(contact))).status).toBe(403);
    const actions = (
      (await ds.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [r.id])) as { action: string }[]
    ).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'questionnaire_request.sent',
        'questionnaire_request.answered',
        'questionnaire_request.submitted',
        'questionnaire_request.reviewed',
        'questionnaire_request.changes_requested',
        'questionnaire_request.accepted',
      ]),
    );
    // Accepted: no more reviews or cancelling.
    expect((await review(r.id, { outcome: 'accept' })).status).toBe(409);
    expect((await t.http.post(`/api/questionnaire-requests/${r.id}/cancel`).set(auth(manager)).send({ reason: 'too late' })).status).toBe(
      409,
    );
  });

  it('a flagged answer raises a finding, linked both ways, never twice; changes need a flagged answer', async () => {
    const r = (await send({})).body as QuestionnaireRequestDetail;
    await put(r.id, 'provider', { value: 'no', version: 0 });
    await put(r.id, 'rto', { value: 'lt24h', version: 0 });
    await t.http.post(`/api/questionnaire-requests/${r.id}/submit`).set(auth(contact)).send({});
    expect(fieldsOf(await review(r.id, { outcome: 'request_changes' }))).toEqual(['outcome']);
    const notFlagged = await t.http
      .post(`/api/questionnaire-requests/${r.id}/answers/rto/finding`)
      .set(auth(manager))
      .send({ severity: 'high' });
    expect(notFlagged.status).toBe(409);
    await review(r.id, { decisions: [{ questionKey: 'rto', decision: 'flag', comment: 'A day is beyond our RTO of 4 hours' }] });
    const raised = await t.http
      .post(`/api/questionnaire-requests/${r.id}/answers/rto/finding`)
      .set(auth(manager))
      .send({ severity: 'high' });
    expect(raised.status, JSON.stringify(raised.body)).toBe(200);
    const findingId = answerOf(raised.body as QuestionnaireRequestDetail, 'rto')!.findingId!;
    expect(findingId).toBeTruthy();
    const f = await t.http.get(`/api/findings/${findingId}`).set(auth(manager));
    expect(f.body).toMatchObject({ source: 'questionnaire_answer', sourceId: r.id, sourceKey: `${r.id}:rto`, severity: 'high' });
    expect(f.body.details).toContain('A day is beyond our RTO');
    const again = await t.http
      .post(`/api/questionnaire-requests/${r.id}/answers/rto/finding`)
      .set(auth(manager))
      .send({ severity: 'high' });
    expect(answerOf(again.body as QuestionnaireRequestDetail, 'rto')!.findingId).toBe(findingId);
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM findings WHERE source_key = $1`, [`${r.id}:rto`])) as { n: number }[];
    expect(n).toBe(1);
    expect(
      (await t.http.post(`/api/questionnaire-requests/${r.id}/answers/rto/finding`).set(auth(contact)).send({ severity: 'high' })).status,
    ).toBe(403);
  });

  it('cancels an open request with a reason; then nothing changes', async () => {
    const r = (await send({})).body as QuestionnaireRequestDetail;
    const cancel = (body: object, token = manager) => t.http.post(`/api/questionnaire-requests/${r.id}/cancel`).set(auth(token)).send(body);
    expect(fieldsOf(await cancel({}))).toEqual(['reason']);
    expect((await cancel({ reason: 'Sent to the wrong vendor' }, contact)).status).toBe(403);
    const res = await cancel({ reason: 'Sent to the wrong vendor' });
    expect(res.body).toMatchObject({ status: 'cancelled', cancelReason: 'Sent to the wrong vendor' });
    expect((await put(r.id, 'notes', { value: 'x', version: 0 })).status).toBe(409);
    expect((await cancel({ reason: 'again' })).status).toBe(409);
  });
});

describe('lists, inbox, reminders, tenancy', () => {
  it('lists with filters (vendor, status, overdue, search) and pagination; vendor contacts see their own vendor’s only', async () => {
    const late = (await send({ dueDate: inDays(1) })).body as QuestionnaireRequestDetail;
    await ds.query(`UPDATE questionnaire_requests SET due_date = $2 WHERE id = $1`, [late.id, inDays(-3)]);
    const list = (q: string, token = manager) => t.http.get(`/api/questionnaire-requests${q}`).set(auth(token));
    const overdue = await list('?overdue=true');
    expect(overdue.status).toBe(200);
    expect(overdue.body.items.map((i: { id: string }) => i.id)).toContain(late.id);
    expect(overdue.body.items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
    expect((await list('?overdue=false')).body.items.map((i: { id: string }) => i.id)).not.toContain(late.id);
    expect((await list('?status=cancelled')).body.items.every((i: { status: string }) => i.status === 'cancelled')).toBe(true);
    expect((await list(`?vendorId=${bloomberg}`)).body.total).toBe(0);
    expect((await list('?search=small%20dr')).body.total).toBeGreaterThan(0);
    expect((await list('?search=nothing-like-this')).body.total).toBe(0);
    const page = await list('?pageSize=2&page=1');
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBeGreaterThan(2);
    expect((await list('', contact)).body.items.every((i: { vendorId: string }) => i.vendorId === openai)).toBe(true);
    expect((await list('', otherContact)).body.total).toBe(0);
    // The other organization sees its own (its demo data has requests too), none of ours.
    const theirs = (await list('?pageSize=100', otherOrgManager)).body.items as { id: string }[];
    const ours = new Set(((await list('?pageSize=100')).body.items as { id: string }[]).map((i) => i.id));
    expect(ours.has(late.id)).toBe(true);
    expect(theirs.filter((i) => ours.has(i.id))).toEqual([]);
    expect((await list('?status=done')).status).toBe(422);
  });

  it('the inbox: waiting on the vendor while it answers, on us once submitted', async () => {
    const r = (await send({})).body as QuestionnaireRequestDetail;
    const inbox = async (token: string, waitingOn?: string) =>
      (
        (await t.http.get(`/api/inbox?limit=200${waitingOn ? `&waitingOn=${waitingOn}` : ''}`).set(auth(token))).body as {
          items: { kind: string; id: string; link: string }[];
        }
      ).items.filter((i) => i.kind === 'questionnaire_request');
    expect((await inbox(contact)).map((i) => i.id)).toContain(r.id);
    expect((await inbox(contact)).find((i) => i.id === r.id)!.link).toBe(`/vendor-home/questionnaire-requests/${r.id}`);
    expect((await inbox(otherContact)).map((i) => i.id)).not.toContain(r.id);
    expect((await inbox(manager, 'vendor')).map((i) => i.id)).toContain(r.id);
    expect((await inbox(manager, 'us')).map((i) => i.id)).not.toContain(r.id);
    await put(r.id, 'provider', { value: 'no', version: 0 });
    await put(r.id, 'rto', { value: 'lt4h', version: 0 });
    await t.http.post(`/api/questionnaire-requests/${r.id}/submit`).set(auth(contact)).send({});
    expect((await inbox(contact)).map((i) => i.id)).not.toContain(r.id);
    expect((await inbox(manager, 'us')).map((i) => i.id)).toContain(r.id);
  });

  it('reminders go to the recipients before the due date and escalate when overdue; submitting stops them', async () => {
    expect(t.app.get(QuestionnaireRequestReminders).type).toBe('questionnaire_request.due');
    const reminders = t.app.get(Reminders);
    const r = (await send({ dueDate: inDays(7) })).body as QuestionnaireRequestDetail;
    const noticesOf = async (email: string) =>
      (
        (await ds.query(
          `SELECT n.dedupe_key FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = $1 AND n.dedupe_key LIKE $2`,
          [email, `reminder:questionnaire_request.due:${r.id}:%`],
        )) as { dedupe_key: string }[]
      ).map((x) => x.dedupe_key.split(':').at(-1));
    await reminders.sweep();
    expect(await noticesOf('contact@openai.demo.bulwark.test')).toEqual(['due-7d']);
    await ds.query(`UPDATE questionnaire_requests SET due_date = $2 WHERE id = $1`, [r.id, inDays(-2)]);
    await reminders.sweep();
    expect(await noticesOf('manager@demo.bulwark.test')).toContain('overdue+1d');
    await put(r.id, 'provider', { value: 'no', version: 0 });
    await put(r.id, 'rto', { value: 'lt4h', version: 0 });
    expect((await t.http.post(`/api/questionnaire-requests/${r.id}/submit`).set(auth(contact)).send({})).status).toBe(200);
    await ds.query(`UPDATE questionnaire_requests SET due_date = $2 WHERE id = $1`, [r.id, inDays(-8)]);
    await reminders.sweep();
    expect(await noticesOf('manager@demo.bulwark.test')).not.toContain('overdue+7d');
  });

  it('another organization does not see the request, nor its scores', async () => {
    const r = (await send({})).body as QuestionnaireRequestDetail;
    expect((await get(r.id, otherOrgManager)).status).toBe(404);
    expect((await t.http.get(`/api/vendors/${openai}/questionnaire-scores`).set(auth(otherOrgManager))).status).toBe(404);
    expect((await review(r.id, { outcome: 'accept' }, otherOrgManager)).status).toBe(404);
    expect((await get(r.id, admin)).status).toBe(200);
  });
});
