import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { refusalFindingKey } from '@bulwark/audits';
import { InProcessQueue, QUEUE, Reminders } from '@bulwark/platform';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { uploadEvidence } from '../support/evidence';

/**
 * Right-to-audit requests on the real database, against the demo's OpenAI contract (remote audits only, 30
 * calendar days' notice, one audit per 12 months, regulator access): the entitlement and its refusals, the
 * override, every transition and refusal of the workflow (both sides), the counter-proposed window, items
 * answered, returned with a question on their thread and accepted, the closing rule on the audit's findings, and
 * the refusal path escalating and opening a finding. Dates derive from the clock (the organization is in UTC).
 */
let t: TestApp;
let ds: DataSource;
let admin: string;
let manager: string;
let procurement: string;
let contact: string; // OpenAI's
let otherContact: string; // Bloomberg's
let openai: string;
let bloomberg: string;
let openaiContract: string;

const inDays = (n: number) => DateTime.utc().plus({ days: n }).toISODate()!;
const fieldsOf = (res: { body: { error?: { fields?: { path: string; message: string }[] } } }) =>
  (res.body.error?.fields ?? []).map((f) => f.path);
const messagesOf = (res: { body: { error?: { fields?: { path: string; message: string }[] } } }) =>
  (res.body.error?.fields ?? []).map((f) => f.message).join(' | ');

const move = (id: string, body: Record<string, unknown>, token: string) =>
  t.http.post(`/api/audits/${id}/transitions`).set(auth(token)).send(body);

function create(body: Record<string, unknown>, token = manager) {
  return t.http
    .post('/api/audits')
    .set(auth(token))
    .send({
      vendorId: openai,
      title: 'Annual API platform audit',
      mode: 'remote',
      proposedStart: inDays(40),
      proposedEnd: inDays(42),
      timeZone: 'Europe/London',
      scope: { topics: ['Sub-processors', 'Data retention'] },
      objectives: 'Confirm zero data retention and the sub-processor list.',
      items: [
        { reference: 'PBC-1', details: 'Sub-processor list', dueDate: inDays(20) },
        { reference: 'PBC-2', details: 'Data retention configuration evidence', dueDate: inDays(25) },
      ],
      ...body,
    });
}

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, true);
  ds = t.app.get(DataSource);
  [admin, manager, procurement, contact, otherContact] = await Promise.all(
    [
      'admin@demo.bulwark.test',
      'manager@demo.bulwark.test',
      'procurement@demo.bulwark.test',
      'contact@openai.demo.bulwark.test',
      'contact@bloomberg.demo.bulwark.test',
    ].map((e) => login(t, e)),
  );
  const one = async (sql: string, p: unknown[]) => ((await ds.query(sql, p)) as { id: string }[])[0]!.id;
  openai = await one(
    `SELECT v.id FROM vendors v JOIN organizations o ON o.id = v.organization_id WHERE o.slug = 'demo-org' AND v.name = $1`,
    ['OpenAI'],
  );
  bloomberg = await one(
    `SELECT v.id FROM vendors v JOIN organizations o ON o.id = v.organization_id WHERE o.slug = 'demo-org' AND v.name = $1`,
    ['Bloomberg'],
  );
  openaiContract = await one(`SELECT id FROM contracts WHERE vendor_id = $1 AND clauses->'rightToAudit' <> 'null'::jsonb`, [openai]);
});
afterAll(async () => t?.close());

describe('entitlement', () => {
  it('names the clause, the earliest start (today + 30 days), the mode and the 12-month count', async () => {
    const res = await t.http.get(`/api/audits/entitlement?vendorId=${openai}&mode=remote&proposedStart=${inDays(30)}`).set(auth(manager));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      contractId: openaiContract,
      earliestStart: inDays(30),
      issueDate: inDays(0),
      timeZone: 'UTC',
      modeAllowed: true,
      costBearer: 'customer',
      auditsInWindow: 0,
      allowance: 1,
      allowed: true,
      reasons: [],
    });
    expect(res.body.clause.name).toContain('OpenAI Enterprise Services Agreement');
    expect(res.body.clause.text).toContain('30 calendar days');
  });

  it('refuses a start one day inside the notice and an on-site audit, naming field and rule', async () => {
    const res = await t.http.get(`/api/audits/entitlement?vendorId=${openai}&mode=on_site&proposedStart=${inDays(29)}`).set(auth(manager));
    expect(res.body.allowed).toBe(false);
    expect(res.body.reasons.map((r: { field: string; rule: string }) => `${r.field}:${r.rule}`).sort()).toEqual([
      'mode:mode_not_allowed',
      'proposedStart:notice_period',
    ]);
  });

  it('has no clause for a vendor without one; bad input names the field', async () => {
    const res = await t.http
      .get(`/api/audits/entitlement?vendorId=${bloomberg}&mode=remote&proposedStart=${inDays(60)}`)
      .set(auth(manager));
    expect(res.body).toMatchObject({ allowed: false, clause: null, reasons: [{ field: 'contractId', rule: 'no_clause' }] });
    const bad = await t.http.get(`/api/audits/entitlement?vendorId=${openai}&mode=remote&proposedStart=soon`).set(auth(manager));
    expect(bad.status).toBe(422);
    expect(fieldsOf(bad)).toContain('query.proposedStart');
  });
});

describe('audit requests', () => {
  let mainAudit: string;

  it('refuses a request inside the notice with 422 naming the rule; an override with a reason records it, visible in the log', async () => {
    const early = await create({ proposedStart: inDays(10), proposedEnd: inDays(11) });
    expect(early.status).toBe(422);
    expect(early.body.error.code).toBe('audit.not_entitled');
    expect(fieldsOf(early)).toEqual(['proposedStart']);
    expect(messagesOf(early)).toContain('notice_period');
    const shortReason = await create({ proposedStart: inDays(10), proposedEnd: inDays(11), override: { reason: 'short' } });
    expect(shortReason.status).toBe(422);
    expect(fieldsOf(shortReason)).toEqual(['override.reason']);

    const overridden = await create({
      title: 'Urgent incident review',
      proposedStart: inDays(10),
      proposedEnd: inDays(11),
      override: { reason: 'Incident on our side: the board asked for an urgent review' },
    });
    expect(overridden.status, JSON.stringify(overridden.body)).toBe(201);
    expect(overridden.body).toMatchObject({
      status: 'draft',
      overrideReason: 'Incident on our side: the board asked for an urgent review',
      overrideByName: expect.any(String),
      outsideEntitlement: false,
      contractId: openaiContract,
    });
    expect(overridden.body.entitlement.reasons.map((r: { rule: string }) => r.rule)).toEqual(['notice_period']);
    const [log] = (await ds.query(`SELECT diff FROM audit_log WHERE entity_id = $1 AND action = 'audit_request.created'`, [
      overridden.body.id,
    ])) as { diff: { override: { reason: string; rules: string[] } } }[];
    expect(log!.diff.override).toEqual({ reason: 'Incident on our side: the board asked for an urgent review', rules: ['notice_period'] });
    // A draft is the organization's: the vendor does not see it.
    expect((await t.http.get(`/api/audits/${overridden.body.id}`).set(auth(contact))).status).toBe(404);
    // Cancelling needs a reason; a cancelled audit never counts.
    expect(fieldsOf(await move(overridden.body.id, { to: 'cancelled' }, manager))).toEqual(['reason']);
    const cancelled = await move(overridden.body.id, { to: 'cancelled', reason: 'Handled through the incident process' }, manager);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Handled through the incident process',
      allowedTransitions: [],
    });
  });

  it('creates and issues an audit within the entitlement; the vendor is told and sees it without the internal planning', async () => {
    const created = await create({});
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    mainAudit = created.body.id;
    expect(created.body).toMatchObject({ status: 'draft', overrideReason: null, itemsTotal: 2, itemsAccepted: 0, windowStart: inDays(40) });
    expect(await move(mainAudit, { to: 'acknowledged' }, contact).then((r) => r.status)).toBe(404); // a draft is not the vendor's yet
    const issued = await move(mainAudit, { to: 'issued' }, manager);
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    expect(issued.body).toMatchObject({ status: 'issued', issuedAt: expect.any(String) });
    const seen = await t.http.get(`/api/audits/${mainAudit}`).set(auth(contact));
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ entitlement: null, overrideReason: null, clause: { noticeDays: 30, noticeBasis: 'calendar' } });
    expect((await t.http.get(`/api/audits/${mainAudit}`).set(auth(otherContact))).status).toBe(404);
    const list = await t.http.get('/api/audits').set(auth(otherContact));
    expect(list.body.items.map((a: { id: string }) => a.id)).not.toContain(mainAudit);
    const inbox = await t.http.get('/api/inbox?waitingOn=vendor').set(auth(contact));
    expect(inbox.body.items.some((i: { kind: string; id: string }) => i.kind === 'audit' && i.id === mainAudit)).toBe(true);
  });

  it('refuses a second audit in the same 12 months unless overridden; a regulator with access is not limited', async () => {
    const second = await create({ title: 'Second audit', proposedStart: inDays(100), proposedEnd: inDays(101) });
    expect(second.status).toBe(422);
    expect(messagesOf(second)).toContain('allowance_exceeded');
    const onSite = await create({ title: 'On-site audit', mode: 'on_site', proposedStart: inDays(100), proposedEnd: inDays(101) });
    expect(fieldsOf(onSite).sort()).toEqual(['mode', 'proposedStart']);
    const regulator = await create({
      title: 'Supervisory audit',
      auditorKind: 'regulator',
      auditorName: 'Financial Conduct Authority',
      proposedStart: inDays(100),
      proposedEnd: inDays(101),
    });
    expect(regulator.status, JSON.stringify(regulator.body)).toBe(201);
    expect(regulator.body.entitlement).toMatchObject({ allowed: true, allowance: null, auditsInWindow: 1 });
    await move(regulator.body.id, { to: 'cancelled', reason: 'Not needed this year' }, manager);
    // A request placed BEFORE the issued audit (which starts in 40 days) shares its 12 months: refused too, and the
    // answer names the busiest window, the one ending on the later audit's start (ADR 0018 addendum).
    const before = await create({ title: 'Earlier audit', proposedStart: inDays(30), proposedEnd: inDays(31) });
    expect(before.status).toBe(422);
    expect(fieldsOf(before)).toEqual(['proposedStart']);
    expect(messagesOf(before)).toContain('allowance_exceeded');
    const ent = await t.http.get(`/api/audits/entitlement?vendorId=${openai}&mode=remote&proposedStart=${inDays(30)}`).set(auth(manager));
    expect(ent.body).toMatchObject({ allowed: false, auditsInWindow: 1, windowTo: inDays(40) });
    expect(ent.body.countedAudits.map((a: { id: string }) => a.id)).toEqual([mainAudit]);
  });

  it('takes each step from its own side only', async () => {
    const wrong = await move(mainAudit, { to: 'acknowledged' }, manager);
    expect(wrong.status).toBe(403);
    expect((await move(mainAudit, { to: 'cancelled', reason: 'no' }, contact)).status).toBe(403);
    expect((await move(mainAudit, { to: 'fieldwork' }, manager)).status).toBe(409);
  });

  it('lets the vendor counter the window within the entitlement; the requester accepts it before scheduling', async () => {
    const tooEarly = await move(mainAudit, { to: 'acknowledged', window: { start: inDays(20), end: inDays(21) } }, contact);
    expect(tooEarly.status).toBe(422);
    expect(fieldsOf(tooEarly)).toEqual(['window.start']);
    const countered = await move(
      mainAudit,
      { to: 'acknowledged', window: { start: inDays(50), end: inDays(52) }, reason: 'Our compliance lead is away that week' },
      contact,
    );
    expect(countered.status, JSON.stringify(countered.body)).toBe(200);
    expect(countered.body).toMatchObject({
      status: 'acknowledged',
      windowStart: inDays(40),
      counterProposal: { start: inDays(50), end: inDays(52), note: 'Our compliance lead is away that week' },
    });
    const inbox = await t.http.get('/api/inbox?waitingOn=us').set(auth(manager));
    expect(
      inbox.body.items.some((i: { id: string; title: string }) => i.id === mainAudit && i.title.startsWith('Audit window proposed')),
    ).toBe(true);
    const blocked = await move(mainAudit, { to: 'scheduled' }, manager);
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.code).toBe('audit.counter_pending');
    expect((await t.http.post(`/api/audits/${mainAudit}/window-decision`).set(auth(contact)).send({ accept: true })).status).toBe(403);
    const accepted = await t.http.post(`/api/audits/${mainAudit}/window-decision`).set(auth(manager)).send({ accept: true });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ windowStart: inDays(50), windowEnd: inDays(52), counterProposal: null });
    expect((await t.http.post(`/api/audits/${mainAudit}/window-decision`).set(auth(manager)).send({ accept: true })).status).toBe(409);
    const scheduled = await move(mainAudit, { to: 'scheduled' }, manager);
    expect(scheduled.body.status).toBe('scheduled');
  });

  it('has items answered with evidence or n/a, returned with a question on their thread, and accepted', async () => {
    const detail = (await t.http.get(`/api/audits/${mainAudit}`).set(auth(manager))).body;
    const [pbc1, pbc2] = detail.items as { id: string; reference: string }[];
    const url = (id: string, what: string) => `/api/audits/${mainAudit}/items/${id}/${what}`;
    const theirs = await uploadEvidence(t.http, otherContact, bloomberg, 'Bloomberg sub-processors');
    const wrong = await t.http
      .post(url(pbc1!.id, 'responses'))
      .set(auth(contact))
      .send({ evidenceIds: [theirs] });
    expect(wrong.status).toBe(422);
    expect(fieldsOf(wrong)).toEqual(['evidenceIds']);
    const both = await t.http
      .post(url(pbc1!.id, 'responses'))
      .set(auth(contact))
      .send({ evidenceIds: [theirs], notApplicableReason: 'Not relevant' });
    expect(fieldsOf(both)).toEqual(['evidenceIds']);
    // Accepting before delivery is refused.
    expect((await t.http.post(url(pbc1!.id, 'decision')).set(auth(manager)).send({ decision: 'accept' })).status).toBe(409);

    const evidence = await uploadEvidence(t.http, contact, openai, 'Sub-processor list', 'policy');
    const delivered = await t.http
      .post(url(pbc1!.id, 'responses'))
      .set(auth(contact))
      .send({ evidenceIds: [evidence] });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    expect(delivered.body.items.find((i: { id: string }) => i.id === pbc1!.id)).toMatchObject({
      status: 'delivered',
      evidenceIds: [evidence],
    });
    // The evidence shows as linked to the item in the vendor's library.
    const links = (await ds.query(`SELECT target_type FROM evidence_links WHERE evidence_id = $1 AND target_id = $2`, [
      evidence,
      pbc1!.id,
    ])) as unknown[];
    expect(links).toHaveLength(1);

    const noQuestion = await t.http.post(url(pbc1!.id, 'decision')).set(auth(manager)).send({ decision: 'return' });
    expect(fieldsOf(noQuestion)).toEqual(['comment']);
    // The decision and its question commit together: a failure after the comment is written (the decision's history
    // row) leaves no comment, and a failure writing the comment leaves no decision. Failures injected by triggers.
    await ds.query(`CREATE FUNCTION test_fail_on_marker() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF to_jsonb(NEW)::text LIKE '%' || TG_ARGV[0] || '%' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`);
    await ds.query(
      `CREATE TRIGGER test_fail_event BEFORE INSERT ON audit_request_events FOR EACH ROW EXECUTE FUNCTION test_fail_on_marker('FAIL-DECISION')`,
    );
    await ds.query(
      `CREATE TRIGGER test_fail_comment BEFORE INSERT ON thread_comments FOR EACH ROW EXECUTE FUNCTION test_fail_on_marker('FAIL-COMMENT')`,
    );
    try {
      for (const marker of ['FAIL-DECISION', 'FAIL-COMMENT']) {
        const failed = await t.http
          .post(url(pbc1!.id, 'decision'))
          .set(auth(manager))
          .send({ decision: 'return', comment: `${marker}: is this list current?` });
        expect(failed.status, marker).toBeGreaterThanOrEqual(500);
        expect(await ds.query(`SELECT 1 FROM thread_comments WHERE target_id = $1`, [pbc1!.id]), marker).toEqual([]);
        const [row] = (await ds.query(`SELECT status FROM audit_request_items WHERE id = $1`, [pbc1!.id])) as { status: string }[];
        expect(row!.status, marker).toBe('delivered');
        expect(await ds.query(`SELECT 1 FROM audit_request_events WHERE item_id = $1 AND kind = 'item_returned'`, [pbc1!.id])).toEqual([]);
      }
    } finally {
      await ds.query(`DROP TRIGGER test_fail_event ON audit_request_events`);
      await ds.query(`DROP TRIGGER test_fail_comment ON thread_comments`);
      await ds.query(`DROP FUNCTION test_fail_on_marker()`);
    }
    const returned = await t.http
      .post(url(pbc1!.id, 'decision'))
      .set(auth(manager))
      .send({ decision: 'return', comment: 'Does the list include the EU hosting provider?' });
    expect(returned.body.items.find((i: { id: string }) => i.id === pbc1!.id).status).toBe('returned');
    const thread = await t.http.get(`/api/threads/audit_item/${pbc1!.id}`).set(auth(contact));
    expect(thread.status).toBe(200);
    expect(thread.body.comments.map((c: { body: string }) => c.body)).toContain('Does the list include the EU hosting provider?');
    // Written through the thread service: the comment's own audit entry, and the vendor's contacts told by the
    // thread's notice (one per person, with its e-mail), not by a second notice of the decision.
    const [comment] = (await ds.query(`SELECT id, author_side, audience FROM thread_comments WHERE target_id = $1`, [pbc1!.id])) as {
      id: string;
      author_side: string;
      audience: string;
    }[];
    expect(comment).toMatchObject({ author_side: 'customer', audience: 'vendor' });
    const entries = (await ds.query(`SELECT action, diff FROM audit_log WHERE entity_type = 'thread_comment' AND entity_id = $1`, [
      comment!.id,
    ])) as { action: string; diff: { targetType: string; targetId: string } }[];
    expect(entries).toEqual([
      { action: 'thread.commented', diff: expect.objectContaining({ targetType: 'audit_item', targetId: pbc1!.id }) },
    ]);
    const told = (await ds.query(
      `SELECT u.email, n.title, n.dedupe_key AS key FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE n.dedupe_key = $1 OR n.dedupe_key LIKE $2`,
      [`thread-comment-${comment!.id}`, `audit-item-${pbc1!.id}-%`],
    )) as { email: string; title: string; key: string }[];
    const toContact = told.filter((n) => n.email === 'contact@openai.demo.bulwark.test');
    expect(toContact).toHaveLength(1);
    expect(toContact[0]).toMatchObject({ key: `thread-comment-${comment!.id}`, title: expect.stringContaining('Audit item PBC-1') });
    expect(told.every((n) => !n.email.endsWith('@bloomberg.demo.bulwark.test'))).toBe(true);
    await t.app.get<InProcessQueue>(QUEUE).drain(20_000);
    const mails = (await ds.query(`SELECT idempotency_key FROM mail_deliveries WHERE idempotency_key LIKE $1`, [
      `thread-comment-${comment!.id}-%`,
    ])) as unknown[];
    expect(mails.length).toBeGreaterThan(0);
    expect((await t.http.get(`/api/threads/audit_item/${pbc1!.id}`).set(auth(otherContact))).status).toBe(404);

    const again = await t.http
      .post(url(pbc1!.id, 'responses'))
      .set(auth(contact))
      .send({ evidenceIds: [evidence], note: 'Yes: row 12' });
    expect(again.status).toBe(200);
    const accepted = await t.http.post(url(pbc1!.id, 'decision')).set(auth(manager)).send({ decision: 'accept' });
    expect(accepted.body.items.find((i: { id: string }) => i.id === pbc1!.id).status).toBe('accepted');
    expect(
      (
        await t.http
          .post(url(pbc1!.id, 'responses'))
          .set(auth(contact))
          .send({ evidenceIds: [evidence] })
      ).status,
    ).toBe(409);

    const na = await t.http
      .post(url(pbc2!.id, 'responses'))
      .set(auth(contact))
      .send({ notApplicableReason: 'Zero data retention: no retention configuration exists' });
    expect(na.status).toBe(200);
    const naAccepted = await t.http.post(url(pbc2!.id, 'decision')).set(auth(admin)).send({ decision: 'accept' });
    expect(naAccepted.body).toMatchObject({ itemsAccepted: 2, itemsTotal: 2, itemsOverdue: 0 });
    // Only the vendor answers; only the organization decides.
    expect((await t.http.post(url(pbc2!.id, 'responses')).set(auth(manager)).send({ notApplicableReason: 'n/a for us' })).status).toBe(403);
  });

  it('runs fieldwork, issues the report and closes only when the audit’s findings are in hand', async () => {
    expect(fieldsOf(await move(mainAudit, { to: 'fieldwork' }, manager))).toEqual(['fieldwork']);
    const fieldwork = await move(
      mainAudit,
      { to: 'fieldwork', fieldwork: { start: inDays(50), end: inDays(52), attendees: ['Internal audit', 'OpenAI compliance'] } },
      manager,
    );
    expect(fieldwork.body).toMatchObject({
      status: 'fieldwork',
      fieldworkStart: inDays(50),
      attendees: ['Internal audit', 'OpenAI compliance'],
    });
    expect(fieldsOf(await move(mainAudit, { to: 'report_issued' }, manager))).toEqual(['reportEvidenceId']);
    const report = await uploadEvidence(t.http, manager, openai, 'Audit report', 'other');
    const reported = await move(mainAudit, { to: 'report_issued', reportEvidenceId: report }, manager);
    expect(reported.body).toMatchObject({ status: 'report_issued', reportEvidenceId: report });

    const finding = await t.http
      .post('/api/findings')
      .set(auth(manager))
      .send({
        vendorId: openai,
        source: 'audit',
        sourceId: mainAudit,
        sourceKey: `${mainAudit}:1`,
        title: 'Sub-processor list outdated',
        severity: 'medium',
      });
    expect(finding.status).toBe(201);
    const blocked = await move(mainAudit, { to: 'closed' }, manager);
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.code).toBe('audit.findings_open');
    expect((await t.http.get(`/api/audits/${mainAudit}`).set(auth(manager))).body.findings).toMatchObject([
      { id: finding.body.id, status: 'open' },
    ]);
    // A risk acceptance that has run out does not count, even before the sweep records it.
    await ds.query(`UPDATE findings SET status = 'risk_accepted', risk_accepted_until = $2 WHERE id = $1`, [finding.body.id, inDays(-1)]);
    expect((await move(mainAudit, { to: 'closed' }, manager)).body.error.code).toBe('audit.findings_open');
    await ds.query(`UPDATE findings SET status = 'open', risk_accepted_until = NULL WHERE id = $1`, [finding.body.id]);
    // Carried into remediation: the vendor's plan accepted, with its due date.
    const plan = await t.http
      .post(`/api/findings/${finding.body.id}/transitions`)
      .set(auth(contact))
      .send({ to: 'plan_proposed', rootCause: 'Manual upkeep', correctiveAction: 'Generate the list', targetDate: inDays(30) });
    expect(plan.status).toBe(200);
    await t.http.post(`/api/findings/${finding.body.id}/transitions`).set(auth(manager)).send({ to: 'plan_accepted' });
    const closed = await move(mainAudit, { to: 'closed' }, manager);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closedAt: expect.any(String), allowedTransitions: [] });
    const actions = (await ds.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [mainAudit])) as { action: string }[];
    expect(actions.map((a) => a.action)).toEqual([
      'audit_request.created',
      'audit_request.issued',
      'audit_request.acknowledged',
      'audit_request.window_accepted',
      'audit_request.scheduled',
      'audit_request.fieldwork',
      'audit_request.report_issued',
      'audit_request.closed',
    ]);
  });

  it('records a refusal with its reason; the escalation tells procurement with the clause and opens a finding', async () => {
    const created = await create({
      title: 'Regulator-requested audit',
      auditorKind: 'regulator',
      auditorName: 'European Central Bank',
      proposedStart: inDays(120),
      proposedEnd: inDays(121),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    await move(id, { to: 'issued' }, manager);
    expect(fieldsOf(await move(id, { to: 'refused' }, contact))).toEqual(['reason']);
    const refused = await move(id, { to: 'refused', reason: 'We only accept the audit once per contract year' }, contact);
    expect(refused.body).toMatchObject({ status: 'refused', refusalReason: 'We only accept the audit once per contract year' });
    expect((await move(id, { to: 'escalated', reason: 'x' }, contact)).status).toBe(403);
    const escalated = await move(id, { to: 'escalated', reason: 'The clause grants regulator access' }, manager);
    expect(escalated.body.status).toBe('escalated');
    await t.app.get<InProcessQueue>(QUEUE).drain(20_000);
    const [finding] = (await ds.query(`SELECT id, source, severity, status FROM findings WHERE source_key = $1`, [
      refusalFindingKey(id),
    ])) as {
      source: string;
      severity: string;
      status: string;
    }[];
    expect(finding).toMatchObject({ source: 'audit', severity: 'high', status: 'open' });
    expect((await t.http.get(`/api/audits/${id}`).set(auth(manager))).body.findings).toHaveLength(1);
    const notices = await t.http.get('/api/notifications').set(auth(procurement));
    const notice = (notices.body.items as { title: string; body: string }[]).find((n) => n.title.includes('Regulator-requested audit'));
    expect(notice?.body).toContain('We only accept the audit once per contract year');
    expect(notice?.body).toContain('Regulator access: granted');
  });

  it('counts the notice from the issue date in the organization’s time zone', async () => {
    const zone = 'Pacific/Kiritimati'; // UTC+14: its date is ahead of UTC's for most of the day
    const org = ((await ds.query(`SELECT id FROM organizations WHERE slug = 'demo-org'`)) as { id: string }[])[0]!.id;
    await ds.query(`UPDATE organizations SET time_zone = $2 WHERE id = $1`, [org, zone]);
    try {
      const before = DateTime.now().setZone(zone).toISODate()!;
      const res = await t.http
        .get(`/api/audits/entitlement?vendorId=${openai}&mode=remote&proposedStart=${inDays(200)}`)
        .set(auth(manager));
      const after = DateTime.now().setZone(zone).toISODate()!;
      expect(res.body.timeZone).toBe(zone);
      expect([before, after]).toContain(res.body.issueDate);
      expect(res.body.earliestStart).toBe(DateTime.fromISO(res.body.issueDate).plus({ days: 30 }).toISODate());
    } finally {
      await ds.query(`UPDATE organizations SET time_zone = 'UTC' WHERE id = $1`, [org]);
    }
  });

  it('shows overdue items to both sides and reminds the vendor of them, escalating when overdue', async () => {
    // OpenAI's allowance is used by the audit above: this one is overridden.
    const created = await create({
      title: 'Follow-up review',
      proposedStart: inDays(200),
      proposedEnd: inDays(201),
      items: [{ reference: 'F-1', details: 'Updated sub-processor list', dueDate: inDays(20) }],
      override: { reason: 'Follow-up of the finding, agreed with the vendor' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const itemId = created.body.items[0].id as string;
    await move(id, { to: 'issued' }, manager);
    await move(id, { to: 'acknowledged' }, contact);
    const reminders = t.app.get(Reminders);
    const noticesOf = async (email: string) =>
      (
        (await ds.query(
          `SELECT n.dedupe_key FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = $1 AND n.dedupe_key LIKE $2`,
          [email, `reminder:audit_item.due:${itemId}:%`],
        )) as { dedupe_key: string }[]
      ).map((r) => r.dedupe_key.split(':').at(-1));
    await ds.query(`UPDATE audit_request_items SET due_date = $2 WHERE id = $1`, [itemId, inDays(7)]);
    await reminders.sweep();
    await reminders.sweep();
    expect(await noticesOf('contact@openai.demo.bulwark.test')).toEqual(['due-7d']);
    await ds.query(`UPDATE audit_request_items SET due_date = $2 WHERE id = $1`, [itemId, inDays(-2)]);
    await reminders.sweep();
    expect(await noticesOf('manager@demo.bulwark.test')).toContain('overdue+1d');
    for (const token of [manager, contact]) {
      const list = await t.http.get(`/api/audits?vendorId=${openai}&status=acknowledged`).set(auth(token));
      expect(list.body.items.find((a: { id: string }) => a.id === id)).toMatchObject({ itemsOverdue: 1, itemsTotal: 1 });
      const detail = await t.http.get(`/api/audits/${id}`).set(auth(token));
      expect(detail.body.items[0]).toMatchObject({ overdue: true, status: 'requested' });
    }
    // One more item, requested while the audit is under way; a reference taken or a past due date is refused.
    const dup = await t.http
      .post(`/api/audits/${id}/items`)
      .set(auth(manager))
      .send({ reference: 'f-1', details: 'Again', dueDate: inDays(5) });
    expect(fieldsOf(dup)).toEqual(['reference']);
    const past = await t.http
      .post(`/api/audits/${id}/items`)
      .set(auth(manager))
      .send({ reference: 'F-2', details: 'Late', dueDate: inDays(-1) });
    expect(fieldsOf(past)).toEqual(['dueDate']);
    const added = await t.http
      .post(`/api/audits/${id}/items`)
      .set(auth(manager))
      .send({ reference: 'F-2', details: 'Board minutes approving the register', dueDate: inDays(10) });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.items.map((i: { reference: string }) => i.reference).sort()).toEqual(['F-1', 'F-2']);
    expect(added.body.events.at(-1)).toMatchObject({ kind: 'item_added' });
    expect(
      (
        await t.http
          .post(`/api/audits/${mainAudit}/items`)
          .set(auth(manager))
          .send({ reference: 'X-1', details: 'Too late', dueDate: inDays(5) })
      ).status,
    ).toBe(409);
    // Delivered: no more reminders.
    await t.http
      .post(`/api/audits/${id}/items/${itemId}/responses`)
      .set(auth(contact))
      .send({ notApplicableReason: 'No sub-processor changed' });
    await ds.query(`UPDATE audit_request_items SET due_date = $2 WHERE id = $1`, [itemId, inDays(-7)]);
    await reminders.sweep();
    expect(await noticesOf('manager@demo.bulwark.test')).not.toContain('overdue+7d');
  });
});
