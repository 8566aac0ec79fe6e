import { join } from 'node:path';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type {
  CampaignDetail,
  CampaignPreview,
  QuestionnaireRequestDetail,
  TemplateDetail,
  TemplateDocumentInput,
} from '@bulwark/api-schema';
import { QuestionnaireCampaignService } from '@bulwark/questionnaires';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { waitForMail } from '../support/outbox';

/**
 * Questionnaire campaigns on the real database: the preview (who is targeted, who is skipped and why, nothing
 * written), the filter against the inventory's own data, creation (one request per targeted vendor, notices and
 * mails, the audit entry), every refusal naming its field, recurrence (a later cycle pre-filled with the accepted
 * answers of the first, a cycle run twice or concurrently creating each request once), pausing and cancelling,
 * and who may see campaigns. Every date derives from the clock.
 */
let t: TestApp;
let ds: DataSource;
let manager: string;
let auditor: string;
let procurement: string;
let contact: string; // OpenAI's contact
let otherOrgManager: string;
let org: string;
let openai: string;
let versionId: string;
let templateId: string;

const yesNo = [
  { value: 'yes', label: 'Yes', points: 1 },
  { value: 'no', label: 'No', points: 0 },
];
const doc: TemplateDocumentInput = {
  name: 'Campaign DR questionnaire',
  sections: [
    {
      key: 'dr',
      title: 'Disaster recovery',
      questions: [
        { key: 'tested', type: 'yes_no', text: 'Did you test your DR plan this year?', required: true, options: yesNo },
        { key: 'rto_hours', type: 'number', text: 'Your RTO in hours', required: true },
        { key: 'notes', type: 'text', text: 'Anything else?' },
      ],
    },
  ],
};

const fieldsOf = (res: { body: { error?: { fields?: { path: string }[] } } }) => (res.body.error?.fields ?? []).map((f) => f.path);
const preview = (body: Record<string, unknown>, token = manager) =>
  t.http
    .post('/api/questionnaire-campaigns/preview')
    .set(auth(token))
    .send({ templateVersionId: versionId, ...body });
const create = (body: Record<string, unknown>, token = manager) =>
  t.http
    .post('/api/questionnaire-campaigns')
    .set(auth(token))
    .send({ templateVersionId: versionId, dueInDays: 30, ...body });
/** The demo organization's vendors a filter should match, computed from the inventory's tables directly. */
async function expected(where: string, params: unknown[] = []): Promise<string[]> {
  const rows: { id: string }[] = await ds.query(`SELECT v.id FROM vendors v WHERE v.organization_id = $1 AND ${where}`, [org, ...params]);
  return rows.map((r) => r.id).sort();
}
const withContact = async (ids: string[]) =>
  (
    (await ds.query(`SELECT DISTINCT vendor_id FROM users WHERE vendor_id = ANY($1::uuid[]) AND role = 'vendor_contact' AND active`, [
      ids,
    ])) as { vendor_id: string }[]
  )
    .map((r) => r.vendor_id)
    .sort();

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, true);
  ds = t.app.get(DataSource);
  [manager, auditor, procurement, contact, otherOrgManager] = await Promise.all(
    [
      'manager@demo.bulwark.test',
      'auditor@demo.bulwark.test',
      'procurement@demo.bulwark.test',
      'contact@openai.demo.bulwark.test',
      'manager@other.bulwark.test',
    ].map((e) => login(t, e)),
  );
  [{ id: org }] = await ds.query(`SELECT id FROM organizations WHERE slug = 'demo-org'`);
  [{ id: openai }] = await ds.query(`SELECT id FROM vendors WHERE organization_id = $1 AND name = 'OpenAI'`, [org]);
  const created = await t.http.post('/api/questionnaire-templates').set(auth(manager)).send(doc);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  templateId = (created.body as TemplateDetail).id;
  const published = await t.http.post(`/api/questionnaire-templates/${templateId}/versions/1/publish`).set(auth(manager)).send({});
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  [{ id: versionId }] = await ds.query(`SELECT id FROM questionnaire_template_versions WHERE template_id = $1`, [templateId]);
});
afterAll(async () => t?.close());

describe('preview', () => {
  it('lists the vendors of a tier, the targeted first, the skipped with why, and writes nothing', async () => {
    const before: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM questionnaire_requests`);
    const res = await preview({ filter: { tiers: ['critical'] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const p = res.body as CampaignPreview;
    const matched = await expected(`v.tier = 'critical'`);
    expect(matched.length).toBeGreaterThan(0);
    expect(p.vendors.map((v) => v.vendorId).sort()).toEqual(matched);
    expect(p.matched).toBe(matched.length);
    const reachable = await withContact(matched);
    expect(
      p.vendors
        .filter((v) => !v.skipReason)
        .map((v) => v.vendorId)
        .sort(),
    ).toEqual(reachable);
    expect(p.targeted).toBe(reachable.length);
    for (const v of p.vendors.filter((x) => x.skipReason)) expect(v).toMatchObject({ skipReason: 'no_contact', contacts: 0 });
    // The targeted come first.
    const firstSkipped = p.vendors.findIndex((v) => v.skipReason);
    if (firstSkipped >= 0) expect(p.vendors.slice(firstSkipped).every((v) => v.skipReason)).toBe(true);
    expect(p.filterSummary).toBe('tier critical');
    expect(await ds.query(`SELECT count(*)::int AS n FROM questionnaire_requests`)).toEqual(before);
    expect(await ds.query(`SELECT count(*)::int AS n FROM questionnaire_campaigns`)).toEqual([{ n: 0 }]);
  });

  it('combines service kinds, lifecycles and tiers as the inventory stores them', async () => {
    const res = await preview({
      filter: { serviceKinds: ['ai_model_api', 'data_provider'], lifecycles: ['active'], tiers: ['critical', 'high'] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const want = await expected(
      `v.lifecycle = 'active' AND v.tier IN ('critical', 'high') AND EXISTS (SELECT 1 FROM services s WHERE s.vendor_id = v.id AND s.kind IN ('ai_model_api', 'data_provider'))`,
    );
    expect((res.body as CampaignPreview).vendors.map((v) => v.vendorId).sort()).toEqual(want);
    for (const v of (res.body as CampaignPreview).vendors) {
      expect(v.lifecycle).toBe('active');
      expect(['critical', 'high']).toContain(v.tier);
      expect(v.serviceKinds.some((k) => k === 'ai_model_api' || k === 'data_provider')).toBe(true);
    }
    // An empty filter is every vendor of the organization (never another organization's).
    const all = await preview({ filter: {} });
    expect((all.body as CampaignPreview).vendors.map((v) => v.vendorId).sort()).toEqual(await expected('true'));
  });
});

describe('creating', () => {
  let campaign: CampaignDetail;

  it('sends one request per targeted vendor in one go, tells the contacts by mail, and audits it', async () => {
    const lifecycle: string = (await ds.query(`SELECT lifecycle FROM vendors WHERE id = $1`, [openai]))[0].lifecycle;
    const res = await create({ filter: { lifecycles: [lifecycle] }, message: 'Our yearly DR review.', name: 'Active vendors DR' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    campaign = res.body as CampaignDetail;
    const reachable = await withContact(await expected('v.lifecycle = $2', [lifecycle]));
    expect(campaign).toMatchObject({
      name: 'Active vendors DR',
      status: 'completed',
      recurrence: null,
      nextCycleOn: null,
      cycles: 1,
      templateId,
      templateVersion: 1,
      requests: { total: reachable.length, byStatus: { sent: reachable.length }, overdue: 0 },
    });
    expect(campaign.requestList.map((r) => r.vendorId).sort()).toEqual(reachable);
    const due = DateTime.utc().plus({ days: 30 }).toISODate();
    for (const r of campaign.requestList) expect(r).toMatchObject({ cycle: 1, status: 'sent', dueDate: due, prefilled: false });
    expect(campaign.cycleList).toHaveLength(1);
    expect(campaign.cycleList[0]).toMatchObject({ number: 1, created: reachable.length, dueDate: due });
    const rows: { n: number }[] = await ds.query(
      `SELECT count(*)::int AS n FROM questionnaire_requests WHERE campaign_id = $1 AND message = 'Our yearly DR review.' AND template_version_id = $2`,
      [campaign.id, versionId],
    );
    expect(rows[0]!.n).toBe(reachable.length);
    const [audit] = await ds.query(`SELECT diff FROM audit_log WHERE action = 'questionnaire_campaign.created' AND entity_id = $1`, [
      campaign.id,
    ]);
    expect(audit.diff).toMatchObject({ requests: reachable.length, cycle: 1 });
    // The OpenAI contact's notice and mail.
    const mine = campaign.requestList.find((r) => r.vendorId === openai)!;
    const mail = await waitForMail(
      join(t.dataDir, 'outbox'),
      (m) => m.to === 'contact@openai.demo.bulwark.test' && m.text.includes(mine.id),
    );
    expect(mail.subject).toBe('Questionnaire to answer: Campaign DR questionnaire');
    expect(mail.text).toContain('Our yearly DR review.');
  });

  it('shows the campaign to internal readers, the request to the vendor without the campaign', async () => {
    for (const token of [auditor, procurement, manager]) {
      const list = await t.http.get('/api/questionnaire-campaigns').set(auth(token));
      expect(list.status).toBe(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).toContain(campaign.id);
    }
    const mine = campaign.requestList.find((r) => r.vendorId === openai)!;
    const internal = await t.http.get(`/api/questionnaire-requests/${mine.id}`).set(auth(manager));
    expect((internal.body as QuestionnaireRequestDetail).campaign).toEqual({ id: campaign.id, name: 'Active vendors DR', cycle: 1 });
    expect((internal.body as QuestionnaireRequestDetail).campaignId).toBe(campaign.id);
    const own = await t.http.get(`/api/questionnaire-requests/${mine.id}`).set(auth(contact));
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ campaign: null, campaignId: null, prefilledFrom: null });
    expect((await t.http.get('/api/questionnaire-campaigns').set(auth(contact))).status).toBe(403);
    expect((await t.http.get(`/api/questionnaire-campaigns/${campaign.id}`).set(auth(contact))).status).toBe(403);
    expect((await t.http.get(`/api/questionnaire-campaigns/${campaign.id}`).set(auth(otherOrgManager))).status).toBe(404);
    expect((await preview({ filter: {} }, procurement)).status).toBe(403);
  });

  it('skips vendors that already have an open request of the template', async () => {
    const res = await preview({ filter: {} });
    const p = res.body as CampaignPreview;
    const open = new Set(campaign.requestList.map((r) => r.vendorId));
    for (const v of p.vendors) if (open.has(v.vendorId)) expect(v.skipReason).toBe('open_request');
    expect(p.vendors.filter((v) => v.skipReason === 'open_request')).toHaveLength(open.size);
    // Nothing left to send to these vendors: a campaign to them alone is refused on the filter.
    const lifecycle = campaign.filter.lifecycles!;
    const again = await create({ filter: { lifecycles: lifecycle } });
    expect(again.status).toBe(422);
    expect(fieldsOf(again)).toEqual(['filter']);
  });
});

describe('refusals', () => {
  it('answers 4xx naming the field, and writes nothing', async () => {
    const before = await ds.query(
      `SELECT (SELECT count(*) FROM questionnaire_campaigns) AS c, (SELECT count(*) FROM questionnaire_requests) AS r`,
    );
    const draft = await t.http.post(`/api/questionnaire-templates/${templateId}/versions`).set(auth(manager)).send({});
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const [{ id: draftId }] = await ds.query(`SELECT id FROM questionnaire_template_versions WHERE template_id = $1 AND status = 'draft'`, [
      templateId,
    ]);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ templateVersionId: undefined, filter: {} }, 422, 'templateVersionId'],
      [{ templateVersionId: '00000000-0000-4000-8000-000000000000', filter: {} }, 422, 'templateVersionId'],
      [{ templateVersionId: draftId, filter: {} }, 422, 'templateVersionId'],
      [{ filter: {}, dueInDays: 0 }, 422, 'dueInDays'],
      [{ filter: {}, dueInDays: 400 }, 422, 'dueInDays'],
      [{ filter: {}, recurrence: 'weekly' }, 422, 'recurrence'],
      [{ filter: { tiers: ['urgent'] } }, 422, 'filter.tiers.0'],
      [{ filter: { region: 'eu' } }, 422, 'filter'],
      [{}, 422, 'filter'],
      [{ filter: { tiers: ['low'], lifecycles: ['terminated'], serviceKinds: ['professional_service'] } }, 422, 'filter'],
      [{ filter: {}, name: '' }, 422, 'name'],
    ];
    for (const [body, status, field] of cases) {
      const res = await create(body);
      expect(res.status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBe(status);
      expect(
        fieldsOf(res).some((f) => f === field || f.startsWith(`${field}.`)),
        `${JSON.stringify(body)} names ${field}: ${fieldsOf(res)}`,
      ).toBe(true);
    }
    const other = await t.http
      .post('/api/questionnaire-campaigns/preview')
      .set(auth(otherOrgManager))
      .send({ templateVersionId: versionId, filter: {} });
    expect(other.status).toBe(422);
    expect(fieldsOf(other)).toEqual(['templateVersionId']);
    expect(
      await ds.query(`SELECT (SELECT count(*) FROM questionnaire_campaigns) AS c, (SELECT count(*) FROM questionnaire_requests) AS r`),
    ).toEqual(before);
  });
});

describe('recurrence', () => {
  let recurring: CampaignDetail;
  const campaigns = () => t.app.get(QuestionnaireCampaignService);
  /** A day after the campaign's next cycle date: "the clock" of a later sweep. */
  const after = (date: string) => DateTime.fromISO(date, { zone: 'utc' }).plus({ hours: 12 }).toJSDate();

  it('runs a later cycle once, even run twice at once, pre-filled with the accepted answers of the first', async () => {
    // A template of its own, so the earlier campaign's open requests do not skip OpenAI.
    const own = await t.http
      .post('/api/questionnaire-templates')
      .set(auth(manager))
      .send({ ...doc, name: 'Quarterly DR check' });
    const tid = (own.body as TemplateDetail).id;
    await t.http.post(`/api/questionnaire-templates/${tid}/versions/1/publish`).set(auth(manager)).send({});
    const [{ id: vid }] = await ds.query(`SELECT id FROM questionnaire_template_versions WHERE template_id = $1`, [tid]);
    const tier: string = (await ds.query(`SELECT tier FROM vendors WHERE id = $1`, [openai]))[0].tier;
    const res = await create({ templateVersionId: vid, filter: { tiers: [tier] }, recurrence: 'quarterly', dueInDays: 14 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    recurring = res.body as CampaignDetail;
    expect(recurring).toMatchObject({ status: 'active', recurrence: 'quarterly', cycles: 1 });
    expect(recurring.nextCycleOn).toBe(DateTime.utc().plus({ months: 3 }).toISODate());

    // Nothing is due yet: a sweep now runs nothing of this campaign.
    await campaigns().runDue();
    expect((await t.http.get(`/api/questionnaire-campaigns/${recurring.id}`).set(auth(manager))).body.cycles).toBe(1);

    // OpenAI answers, submits; the manager accepts.
    const first = recurring.requestList.find((r) => r.vendorId === openai)!;
    const put = (key: string, value: unknown) =>
      t.http.put(`/api/questionnaire-requests/${first.id}/answers/${key}`).set(auth(contact)).send({ value, version: 0 });
    expect((await put('tested', 'yes')).status).toBe(200);
    expect((await put('rto_hours', 4)).status).toBe(200);
    expect((await put('notes', 'Failover drill in March.')).status).toBe(200);
    expect((await t.http.post(`/api/questionnaire-requests/${first.id}/submit`).set(auth(contact)).send({})).status).toBe(200);
    const accepted = await t.http.post(`/api/questionnaire-requests/${first.id}/review`).set(auth(manager)).send({ outcome: 'accept' });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const acceptedAt = (accepted.body as QuestionnaireRequestDetail).acceptedAt!;

    // The template changes meanwhile: a new published version drops "notes" and keeps the other keys.
    const draft = await t.http.post(`/api/questionnaire-templates/${tid}/versions`).set(auth(manager)).send({});
    expect(draft.status).toBe(201);
    const content = {
      ...doc,
      name: 'Quarterly DR check',
      sections: [{ ...doc.sections[0]!, questions: doc.sections[0]!.questions.filter((q) => q.key !== 'notes') }],
    };
    const saved = await t.http.put(`/api/questionnaire-templates/${tid}/versions/2`).set(auth(manager)).send({ revision: 1, content });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect((await t.http.post(`/api/questionnaire-templates/${tid}/versions/2/publish`).set(auth(manager)).send({})).status).toBe(200);

    // Two sweeps at once, a quarter later (two workers): the cycle runs once.
    const clock = after(recurring.nextCycleOn!);
    await Promise.all([campaigns().runDue(clock), campaigns().runDue(clock)]);
    await campaigns().runDue(clock);
    const detail = (await t.http.get(`/api/questionnaire-campaigns/${recurring.id}`).set(auth(manager))).body as CampaignDetail;
    expect(detail.cycles).toBe(2);
    expect(detail.cycleList.map((c) => c.number)).toEqual([2, 1]);
    expect(detail.cycleList[0]).toMatchObject({ templateVersion: 2, created: 1, prefilled: 1 });
    expect(detail.nextCycleOn).toBe(DateTime.fromISO(recurring.nextCycleOn!, { zone: 'utc' }).plus({ months: 3 }).toISODate());
    const second = detail.requestList.filter((r) => r.cycle === 2);
    // Only OpenAI: the others of the first cycle still have it open.
    expect(second.map((r) => r.vendorId)).toEqual([openai]);
    expect(second[0]!.prefilled).toBe(true);
    // The vendors of the first cycle still answering are skipped as such, the others for want of a contact.
    const stillOpen = new Set(recurring.requestList.filter((r) => r.vendorId !== openai).map((r) => r.vendorId));
    for (const c of detail.cycleList[0]!.skipped) expect(c.reason).toBe(stillOpen.has(c.vendorId) ? 'open_request' : 'no_contact');
    expect(detail.cycleList[0]!.skipped.filter((c) => c.reason === 'open_request')).toHaveLength(stillOpen.size);
    const perVendor: { n: number }[] = await ds.query(
      `SELECT count(*)::int AS n FROM questionnaire_requests WHERE campaign_id = $1 AND campaign_cycle = 2 GROUP BY vendor_id`,
      [recurring.id],
    );
    expect(perVendor).toEqual([{ n: 1 }]);

    // The vendor sees the answers to confirm, and where they come from.
    const next = (await t.http.get(`/api/questionnaire-requests/${second[0]!.id}`).set(auth(contact))).body as QuestionnaireRequestDetail;
    expect(next).toMatchObject({ status: 'sent', templateVersion: 2, prefilledFrom: { acceptedAt, answers: 2 } });
    expect(Object.fromEntries(next.answers.map((a) => [a.questionKey, [a.value, a.version]]))).toEqual({
      tested: ['yes', 1],
      rto_hours: [4, 1],
    });
    expect(next.progress).toMatchObject({ required: 2, requiredAnswered: 2 });
    // Confirming one as it is changes nothing; changing the other is an ordinary write on version 1.
    const change = await t.http
      .put(`/api/questionnaire-requests/${next.id}/answers/rto_hours`)
      .set(auth(contact))
      .send({ value: 2, version: 1 });
    expect(change.status, JSON.stringify(change.body)).toBe(200);
    const [audit] = await ds.query(`SELECT diff FROM audit_log WHERE action = 'questionnaire_campaign.cycle_run' AND entity_id = $1`, [
      recurring.id,
    ]);
    expect(audit.diff).toMatchObject({ cycle: 2, requests: 1, prefilled: 1 });
  });

  it('runs no cycle of a paused or cancelled campaign', async () => {
    const paused = await t.http.post(`/api/questionnaire-campaigns/${recurring.id}/pause`).set(auth(manager)).send({});
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    expect(paused.body).toMatchObject({ status: 'paused' });
    const detail = (await t.http.get(`/api/questionnaire-campaigns/${recurring.id}`).set(auth(manager))).body as CampaignDetail;
    const clock = after(detail.nextCycleOn!);
    await campaigns().runDue(clock);
    expect((await t.http.get(`/api/questionnaire-campaigns/${recurring.id}`).set(auth(manager))).body.cycles).toBe(2);

    expect((await t.http.post(`/api/questionnaire-campaigns/${recurring.id}/cancel`).set(auth(manager)).send({})).status).toBe(422);
    const cancelled = await t.http
      .post(`/api/questionnaire-campaigns/${recurring.id}/cancel`)
      .set(auth(manager))
      .send({ reason: 'Replaced by the yearly campaign' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', nextCycleOn: null, cancelReason: 'Replaced by the yearly campaign' });
    await campaigns().runDue(after(DateTime.fromJSDate(clock).plus({ years: 1 }).toISODate()!));
    expect((await t.http.get(`/api/questionnaire-campaigns/${recurring.id}`).set(auth(manager))).body.cycles).toBe(2);
    // A cancelled campaign stays cancelled.
    const resume = await t.http.post(`/api/questionnaire-campaigns/${recurring.id}/resume`).set(auth(manager)).send({});
    expect(resume.status).toBe(409);
    expect((await t.http.post(`/api/questionnaire-campaigns/${recurring.id}/pause`).set(auth(auditor)).send({})).status).toBe(403);
  });
});

describe('vendors without a portal account', () => {
  it('are invited through their contact on file with the request, unless the campaign says not to', async () => {
    // A vendor with no portal account and no request of the template yet, given a contact on file.
    const [vendor]: { id: string; name: string; tier: string }[] = await ds.query(
      `SELECT v.id, v.name, v.tier FROM vendors v
        WHERE v.organization_id = $1
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.vendor_id = v.id)
          AND NOT EXISTS (SELECT 1 FROM vendor_contacts c WHERE c.vendor_id = v.id)
          AND NOT EXISTS (SELECT 1 FROM questionnaire_requests r WHERE r.vendor_id = v.id AND r.template_id = $2)
        ORDER BY v.name LIMIT 1`,
      [org, templateId],
    );
    expect(vendor).toBeDefined();
    const email = `Resilience.Lead+${Date.now()}@vendor.example`;
    await ds.query(`INSERT INTO vendor_contacts (organization_id, vendor_id, name, email, is_primary) VALUES ($1, $2, $3, $4, false)`, [
      org,
      vendor!.id,
      'Rita Resilience',
      email,
    ]);
    const row = (p: CampaignPreview) => p.vendors.find((v) => v.vendorId === vendor!.id)!;

    // Not inviting: skipped for want of a portal account.
    const without = await preview({ filter: { tiers: [vendor!.tier] }, inviteContacts: false });
    expect(without.status, JSON.stringify(without.body)).toBe(200);
    expect(row(without.body)).toMatchObject({ skipReason: 'no_contact', invitee: null, contacts: 0 });
    // By default: targeted, naming who is invited.
    const byDefault = await preview({ filter: { tiers: [vendor!.tier] } });
    expect(row(byDefault.body)).toMatchObject({ skipReason: null, invitee: { name: 'Rita Resilience', email: email.toLowerCase() } });

    const res = await create({ filter: { tiers: [vendor!.tier] }, name: 'Invitations with the campaign' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const c = res.body as CampaignDetail;
    expect(c.inviteContacts).toBe(true);
    const request = c.requestList.find((r) => r.vendorId === vendor!.id);
    expect(request).toBeDefined();
    // One open invitation for the contact, of this vendor, and its mail says a questionnaire waits.
    const invitations: { vendor_id: string; role: string }[] = await ds.query(
      `SELECT vendor_id, role FROM invitations WHERE email = $1 AND accepted_at IS NULL AND revoked_at IS NULL`,
      [email.toLowerCase()],
    );
    expect(invitations).toEqual([{ vendor_id: vendor!.id, role: 'vendor_contact' }]);
    const mail = await waitForMail(join(t.dataDir, 'outbox'), (m) => m.to === email.toLowerCase());
    expect(mail.text).toContain('A questionnaire waits for you: "Campaign DR questionnaire"');

    // The next preview does not invite the same person twice: the request is open, the invitation pending.
    const again = await preview({ filter: { tiers: [vendor!.tier] } });
    expect(row(again.body)).toMatchObject({ skipReason: 'open_request', invitee: null });
  });
});
