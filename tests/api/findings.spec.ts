import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FINDING_DUE_DAYS } from '@bulwark/api-schema';
import { FindingReminders, RiskAcceptances } from '@bulwark/findings';
import { Reminders } from '@bulwark/platform';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from '@bulwark/plugin-webhook-ingest';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { uploadEvidence } from '../support/evidence';
import { until } from '../support/wait';

/**
 * Findings and remediation on the real database: every transition and every refusal (wrong role, wrong
 * side, wrong vendor, stale state, missing input), four eyes on risk acceptance, an expired acceptance
 * reopening the finding, raising again reopening instead of duplicating, the overdue filter, and a
 * financial-distress crossing in signals opening a finding through the domain event.
 */
let t: TestApp;
let ds: DataSource;
let admin: string;
let manager: string;
let auditor: string;
let procurement: string;
let contact: string; // OpenAI's contact
let otherContact: string; // Bloomberg's contact
let openai: string;
let bloomberg: string;

const today = () => DateTime.utc().toISODate()!;
const inDays = (n: number) => DateTime.utc().plus({ days: n }).toISODate()!;

async function raise(body: Record<string, unknown>, token = manager) {
  return t.http
    .post('/api/findings')
    .set(auth(token))
    .send({ vendorId: openai, title: 'Backups are not tested', severity: 'medium', ...body });
}

const move = (id: string, body: Record<string, unknown>, token: string) =>
  t.http.post(`/api/findings/${id}/transitions`).set(auth(token)).send(body);

const plan = { rootCause: 'No restore drills', correctiveAction: 'Quarterly restore drills', targetDate: inDays(20) };

function fieldsOf(res: { body: { error?: { fields?: { path: string }[] } } }): string[] {
  return (res.body.error?.fields ?? []).map((f) => f.path);
}

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, true);
  ds = t.app.get(DataSource);
  [admin, manager, auditor, procurement, contact, otherContact] = await Promise.all(
    [
      'admin@demo.bulwark.test',
      'manager@demo.bulwark.test',
      'auditor@demo.bulwark.test',
      'procurement@demo.bulwark.test',
      'contact@openai.demo.bulwark.test',
      'contact@bloomberg.demo.bulwark.test',
    ].map((e) => login(t, e)),
  );
  const vendor = async (name: string) =>
    (
      (await ds.query(
        `SELECT v.id FROM vendors v JOIN organizations o ON o.id = v.organization_id WHERE o.slug = 'demo-org' AND v.name = $1`,
        [name],
      )) as { id: string }[]
    )[0]!.id;
  openai = await vendor('OpenAI');
  bloomberg = await vendor('Bloomberg');
});
afterAll(async () => t?.close());

describe('findings', () => {
  it('raises a finding with a due date from the severity policy; bad input names the field', async () => {
    const res = await raise({ severity: 'critical', details: 'No restore test in 18 months.' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      status: 'open',
      source: 'manual',
      severity: 'critical',
      vendorName: 'OpenAI',
      dueDate: inDays(FINDING_DUE_DAYS.critical),
      overdue: false,
      allowedTransitions: ['plan_proposed'],
    });
    expect(res.body.events).toHaveLength(1);
    expect(res.body.events[0]).toMatchObject({ kind: 'raised', toStatus: 'open', actorSide: 'internal' });
    const [audit] = await ds.query(`SELECT action FROM audit_log WHERE entity_id = $1`, [res.body.id]);
    expect(audit.action).toBe('finding.raised');

    const bad = await raise({ severity: 'urgent', title: '' });
    expect(bad.status).toBe(422);
    expect(fieldsOf(bad)).toEqual(expect.arrayContaining(['severity', 'title']));
    expect(fieldsOf(await raise({ source: 'audit' }))).toEqual(['sourceId']);
    expect(fieldsOf(await raise({ vendorId: randomUUID() }))).toEqual(['vendorId']);
    // The vendor-side owner must be a contact of that vendor.
    const [other] = await ds.query(`SELECT id FROM users WHERE email = 'contact@bloomberg.demo.bulwark.test'`);
    expect(fieldsOf(await raise({ vendorOwnerId: other.id }))).toEqual(['vendorOwnerId']);
    // Only admins and vendor managers raise findings.
    for (const token of [auditor, procurement, contact]) expect((await raise({}, token)).status).toBe(403);
  });

  it('walks the whole remediation: plan proposed, changes requested, proposed again, accepted, remediated, ready, sent back, ready again, closed', async () => {
    const [owner] = await ds.query(`SELECT id FROM users WHERE email = 'contact@openai.demo.bulwark.test'`);
    const f = (await raise({ severity: 'high', vendorOwnerId: owner.id })).body;
    expect(f.vendorOwnerName).toBeTruthy();

    // A plan needs its three parts, and a target date not in the past.
    const noPlan = await move(f.id, { to: 'plan_proposed' }, contact);
    expect(noPlan.status).toBe(422);
    expect(fieldsOf(noPlan)).toEqual(['rootCause', 'correctiveAction', 'targetDate']);
    expect(fieldsOf(await move(f.id, { to: 'plan_proposed', ...plan, targetDate: inDays(-1) }, contact))).toEqual(['targetDate']);
    // The organization does not propose the vendor's plan; the vendor does not accept its own.
    expect((await move(f.id, { to: 'plan_proposed', ...plan }, manager)).status).toBe(403);

    let r = await move(f.id, { to: 'plan_proposed', ...plan }, contact);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ status: 'plan_proposed', rootCause: plan.rootCause, targetDate: plan.targetDate });
    expect(r.body.allowedTransitions).toEqual(['plan_accepted', 'changes_requested']);
    expect((await move(f.id, { to: 'plan_accepted' }, contact)).status).toBe(403);

    // Requesting changes needs a note; the finding goes back to the vendor for the plan.
    expect(fieldsOf(await move(f.id, { to: 'changes_requested' }, manager))).toEqual(['note']);
    r = await move(f.id, { to: 'changes_requested', note: 'Monthly drills, not quarterly' }, manager);
    expect(r.body).toMatchObject({ status: 'changes_requested', returnedFrom: 'plan_proposed', allowedTransitions: ['plan_proposed'] });
    expect((await move(f.id, { to: 'ready_for_verification' }, contact)).status).toBe(409);
    r = await move(f.id, { to: 'plan_proposed', ...plan, correctiveAction: 'Monthly restore drills' }, contact);
    expect(r.body.status).toBe('plan_proposed');

    // Stale: a client that saw an older version is refused.
    const stale = await move(f.id, { to: 'plan_accepted', version: r.body.version - 1 }, manager);
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('finding.stale');
    r = await move(f.id, { to: 'plan_accepted', version: r.body.version }, manager);
    expect(r.body.status).toBe('plan_accepted');
    // Accepting again (a second manager's stale click) is a conflict, not a second acceptance.
    const again = await move(f.id, { to: 'plan_accepted' }, admin);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('finding.illegal_transition');

    r = await move(f.id, { to: 'in_remediation' }, contact);
    expect(r.body.status).toBe('in_remediation');
    // Evidence must be the vendor's own items in the vault: an unknown id or another vendor's is refused.
    const foreign = await uploadEvidence(t.http, manager, bloomberg, 'Bloomberg drill');
    for (const wrong of [randomUUID(), foreign]) {
      const refused = await move(f.id, { to: 'ready_for_verification', evidenceIds: [wrong] }, contact);
      expect(refused.status).toBe(422);
      expect(fieldsOf(refused)).toEqual(['evidenceIds']);
    }
    const evidence = [await uploadEvidence(t.http, contact, openai, 'Drill report')];
    r = await move(f.id, { to: 'ready_for_verification', evidenceIds: evidence, note: 'Drill report attached' }, contact);
    expect(r.body).toMatchObject({ status: 'ready_for_verification', evidenceIds: evidence });
    r = await move(f.id, { to: 'changes_requested', note: 'The report misses the RPO measured' }, manager);
    expect(r.body).toMatchObject({ status: 'changes_requested', returnedFrom: 'ready_for_verification' });
    expect(r.body.allowedTransitions).toEqual(['in_remediation', 'ready_for_verification']);
    const evidence2 = [await uploadEvidence(t.http, contact, openai, 'Drill report with the RPO')];
    r = await move(f.id, { to: 'ready_for_verification', evidenceIds: evidence2 }, contact);
    expect(r.body.evidenceIds).toEqual([...evidence, ...evidence2]);
    // The attached items show as linked to the finding in the library (once each, however often attached).
    const linked = await t.http.get(`/api/evidence?targetType=finding&targetId=${f.id}`).set(auth(contact)).expect(200);
    expect(linked.body.items.map((e: { id: string }) => e.id).sort()).toEqual([...evidence, ...evidence2].sort());
    for (const e of linked.body.items as { links: { targetType: string; targetId: string; label: string }[] }[])
      expect(e.links.filter((l) => l.targetType === 'finding' && l.targetId === f.id)).toHaveLength(1);

    // Closing needs the verification note; the evidence already on the finding counts.
    expect(fieldsOf(await move(f.id, { to: 'closed' }, manager))).toEqual(['note']);
    expect((await move(f.id, { to: 'closed', note: 'Verified' }, contact)).status).toBe(403);
    r = await move(f.id, { to: 'closed', note: 'Verified the drill report' }, manager);
    expect(r.body).toMatchObject({ status: 'closed', allowedTransitions: [] });
    expect(r.body.closedAt).toBeTruthy();
    expect(r.body.events.map((e: { toStatus: string }) => e.toStatus)).toEqual([
      'open',
      'plan_proposed',
      'changes_requested',
      'plan_proposed',
      'plan_accepted',
      'in_remediation',
      'ready_for_verification',
      'changes_requested',
      'ready_for_verification',
      'closed',
    ]);
    const stored = await ds.query(`SELECT evidence_ids FROM finding_events WHERE finding_id = $1 AND cardinality(evidence_ids) > 0`, [
      f.id,
    ]);
    expect(stored.map((e: { evidence_ids: string[] }) => e.evidence_ids)).toEqual([evidence, evidence2]);
    const actions = await ds.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [f.id]);
    expect(actions.map((a: { action: string }) => a.action)).toContain('finding.closed');
    expect(actions).toHaveLength(10);
    // Closed is final for transitions.
    expect((await move(f.id, { to: 'changes_requested', note: 'reopen?' }, manager)).status).toBe(409);
    // The vendor-side people were told what the organization decided.
    const told = await ds.query(
      `SELECT count(*)::int AS n FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'contact@openai.demo.bulwark.test' AND n.link = $1`,
      [`/findings/${f.id}`],
    );
    expect(told[0].n).toBeGreaterThan(3);
  });

  it('closing a high or critical finding needs evidence; a low one does not', async () => {
    for (const [severity, needs] of [
      ['critical', true],
      ['low', false],
    ] as const) {
      const f = (await raise({ severity, title: `No evidence ${severity}` })).body;
      await move(f.id, { to: 'plan_proposed', ...plan }, contact);
      await move(f.id, { to: 'plan_accepted' }, manager);
      await move(f.id, { to: 'in_remediation' }, contact);
      expect((await move(f.id, { to: 'ready_for_verification' }, contact)).body.status).toBe('ready_for_verification');
      const close = await move(f.id, { to: 'closed', note: 'Looks fine' }, manager);
      if (needs) {
        expect(close.status).toBe(422);
        expect(fieldsOf(close)).toEqual(['evidenceIds']);
        const withEvidence = await move(
          f.id,
          { to: 'closed', note: 'Looks fine', evidenceIds: [await uploadEvidence(t.http, manager, openai, `Verification ${severity}`)] },
          manager,
        );
        expect(withEvidence.body.status).toBe('closed');
      } else expect(close.body.status).toBe('closed');
    }
  });

  it('vendor contacts see and work only their own vendor; auditors and procurement read everything and change nothing', async () => {
    const mine = (await raise({ title: 'OpenAI finding' })).body;
    const theirs = (await raise({ vendorId: bloomberg, title: 'Bloomberg finding' })).body;
    const list = await t.http.get('/api/findings?pageSize=200').set(auth(contact));
    expect(list.status).toBe(200);
    expect(new Set(list.body.items.map((f: { vendorId: string }) => f.vendorId))).toEqual(new Set([openai]));
    expect((await t.http.get(`/api/findings/${theirs.id}`).set(auth(contact))).status).toBe(404);
    expect((await move(theirs.id, { to: 'plan_proposed', ...plan }, contact)).status).toBe(404);
    expect((await t.http.get(`/api/findings?vendorId=${bloomberg}`).set(auth(contact))).body.items).toEqual([]);
    // Bloomberg's contact cannot touch OpenAI's finding either.
    expect((await move(mine.id, { to: 'plan_proposed', ...plan }, otherContact)).status).toBe(404);
    for (const token of [auditor, procurement]) {
      const all = await t.http.get('/api/findings?pageSize=200').set(auth(token));
      expect(all.body.items.map((f: { id: string }) => f.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
      expect((await t.http.get(`/api/findings/${theirs.id}`).set(auth(token))).status).toBe(200);
      expect((await move(mine.id, { to: 'plan_proposed', ...plan }, token)).status).toBe(403);
      expect(
        (
          await t.http
            .post(`/api/findings/${mine.id}/risk-acceptances`)
            .set(auth(token))
            .send({ reason: 'x'.repeat(20), expiresAt: inDays(30) })
        ).status,
      ).toBe(403);
    }
    // Another organization's manager does not find it.
    const otherManager = await login(t, 'manager@other.bulwark.test');
    expect((await t.http.get(`/api/findings/${mine.id}`).set(auth(otherManager))).status).toBe(404);
    expect((await move(mine.id, { to: 'plan_accepted' }, otherManager)).status).toBe(404);
  });

  it('filters by vendor, status, severity, overdue and search', async () => {
    const late = (await raise({ vendorId: bloomberg, title: 'Late patching of terminals', severity: 'low' })).body;
    await ds.query(`UPDATE findings SET due_date = $2 WHERE id = $1`, [late.id, inDays(-3)]);
    const closedLate = (await raise({ vendorId: bloomberg, title: 'Closed but late', severity: 'low' })).body;
    await ds.query(`UPDATE findings SET due_date = $2, status = 'closed', closed_at = now() WHERE id = $1`, [closedLate.id, inDays(-3)]);

    const overdue = await t.http.get(`/api/findings?overdue=true&vendorId=${bloomberg}`).set(auth(manager));
    expect(overdue.status).toBe(200);
    expect(overdue.body.items.map((f: { id: string }) => f.id)).toEqual([late.id]);
    expect(overdue.body.items[0].overdue).toBe(true);
    const notOverdue = await t.http.get(`/api/findings?overdue=false&vendorId=${bloomberg}&pageSize=200`).set(auth(manager));
    expect(notOverdue.body.items.map((f: { id: string }) => f.id)).toContain(closedLate.id);
    expect(notOverdue.body.items.map((f: { id: string }) => f.id)).not.toContain(late.id);

    const search = await t.http.get('/api/findings?search=terminals').set(auth(manager));
    expect(search.body.items.map((f: { id: string }) => f.id)).toEqual([late.id]);
    const byVendorName = await t.http.get('/api/findings?search=bloomberg&pageSize=200').set(auth(manager));
    expect(byVendorName.body.items.every((f: { vendorId: string }) => f.vendorId === bloomberg)).toBe(true);
    const closed = await t.http.get(`/api/findings?status=closed&severity=low&vendorId=${bloomberg}`).set(auth(manager));
    expect(closed.body.items.map((f: { id: string }) => f.id)).toEqual([closedLate.id]);
    const page = await t.http.get('/api/findings?pageSize=1&page=2').set(auth(manager));
    expect(page.body).toMatchObject({ page: 2, pageSize: 1 });
    expect(page.body.items).toHaveLength(1);
    expect(page.body.total).toBeGreaterThan(2);
    const bad = await t.http.get('/api/findings?overdue=yes&severity=urgent').set(auth(manager));
    expect(bad.status).toBe(422);
    expect(fieldsOf(bad).sort()).toEqual(['query.overdue', 'query.severity'].sort());
  });

  it('risk acceptance needs a second person; an expired one reopens the finding by itself; extending is a new acceptance', async () => {
    const f = (await raise({ severity: 'high', title: 'Single region deployment' })).body;
    const ask = (token: string, body: Record<string, unknown>) =>
      t.http.post(`/api/findings/${f.id}/risk-acceptances`).set(auth(token)).send(body);
    expect(fieldsOf(await ask(manager, { reason: 'short', expiresAt: inDays(30) }))).toEqual(['reason']);
    expect(fieldsOf(await ask(manager, { reason: 'Accepted until the migration', expiresAt: today() }))).toEqual(['expiresAt']);
    const asked = await ask(manager, { reason: 'Accepted until the multi-region migration', expiresAt: inDays(30) });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body.status).toBe('open');
    const acceptance = asked.body.riskAcceptances[0];
    expect(acceptance).toMatchObject({ state: 'pending', expiresAt: inDays(30), approvedById: null });
    // One pending at a time.
    expect((await ask(admin, { reason: 'Another request for the same', expiresAt: inDays(40) })).status).toBe(409);

    const approve = (token: string, id = acceptance.id) =>
      t.http.post(`/api/findings/${f.id}/risk-acceptances/${id}/approve`).set(auth(token));
    const self = await approve(manager);
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('finding.four_eyes');
    expect((await approve(contact)).status).toBe(403);
    expect((await approve(admin, randomUUID())).status).toBe(404);
    const ok = await approve(admin);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ status: 'risk_accepted', riskAcceptedUntil: inDays(30), overdue: false, allowedTransitions: [] });
    expect(ok.body.riskAcceptances[0]).toMatchObject({ state: 'active', approvedByName: expect.any(String) });
    expect((await approve(manager)).status).toBe(409);
    // Transitions wait while the risk is accepted.
    expect((await move(f.id, { to: 'plan_proposed', ...plan }, contact)).status).toBe(409);
    // The vendor sees that the risk is accepted, not the organization's deliberation.
    const seen = (await t.http.get(`/api/findings/${f.id}`).set(auth(contact))).body;
    expect(seen.status).toBe('risk_accepted');
    expect(seen.riskAcceptances).toEqual([]);
    expect(JSON.stringify(seen)).not.toContain('multi-region migration');

    // Extending is a new acceptance, approved again; the history keeps both.
    const extend = await ask(admin, { reason: 'Migration slipped by a quarter', expiresAt: inDays(90) });
    expect(extend.body.riskAcceptances).toHaveLength(2);
    const ext = extend.body.riskAcceptances[1];
    const extended = await approve(manager, ext.id);
    expect(extended.body).toMatchObject({ status: 'risk_accepted', riskAcceptedUntil: inDays(90) });
    expect(extended.body.riskAcceptances.map((a: { state: string }) => a.state)).toEqual(['superseded', 'active']);
    const stored = await ds.query(
      `SELECT expires_at::text AS e FROM finding_risk_acceptances WHERE finding_id = $1 ORDER BY requested_at`,
      [f.id],
    );
    expect(stored.map((s: { e: string }) => s.e)).toEqual([inDays(30), inDays(90)]);

    // The acceptance runs out (moved into the past in the database): reads show the finding open at once…
    await ds.query(`UPDATE findings SET risk_accepted_until = $2 WHERE id = $1`, [f.id, inDays(-1)]);
    const read = (await t.http.get(`/api/findings/${f.id}`).set(auth(manager))).body;
    expect(read).toMatchObject({ status: 'open', riskAcceptedUntil: null, allowedTransitions: ['plan_proposed'] });
    const openList = await t.http.get(`/api/findings?status=open&search=${encodeURIComponent('Single region')}`).set(auth(manager));
    expect(openList.body.items.map((x: { id: string }) => x.id)).toEqual([f.id]);
    // …and the sweep records it, once, with a new due date from the policy.
    expect(await t.app.get(RiskAcceptances).reopenExpired()).toBeGreaterThanOrEqual(1);
    expect(await t.app.get(RiskAcceptances).reopenExpired()).toBe(0);
    const [row] = await ds.query(`SELECT status, risk_accepted_until, due_date::text AS due FROM findings WHERE id = $1`, [f.id]);
    expect(row).toMatchObject({ status: 'open', risk_accepted_until: null, due: inDays(FINDING_DUE_DAYS.high) });
    const after = (await t.http.get(`/api/findings/${f.id}`).set(auth(manager))).body;
    expect(after.events.at(-1)).toMatchObject({ kind: 'reopened', fromStatus: 'risk_accepted', toStatus: 'open', actorSide: 'system' });
    const [expiredAudit] = await ds.query(
      `SELECT actor_email FROM audit_log WHERE entity_id = $1 AND action = 'finding.acceptance_expired'`,
      [f.id],
    );
    expect(expiredAudit.actor_email).toBe('findings@bulwark');
    // The vendor can work it again.
    expect((await move(f.id, { to: 'plan_proposed', ...plan }, contact)).body.status).toBe('plan_proposed');
    // A closed finding has no risk to accept.
    const closed = (await raise({ severity: 'low', title: 'Closed one' })).body;
    await ds.query(`UPDATE findings SET status = 'closed' WHERE id = $1`, [closed.id]);
    expect(
      (
        await t.http
          .post(`/api/findings/${closed.id}/risk-acceptances`)
          .set(auth(manager))
          .send({ reason: 'Too late for this one', expiresAt: inDays(5) })
      ).status,
    ).toBe(409);
  });

  it('raising again from the same source and key reopens the finding instead of duplicating it', async () => {
    const key = { source: 'audit', sourceId: randomUUID(), sourceKey: 'audit-2026/item-7' };
    const first = await raise({ ...key, severity: 'medium', title: 'Access reviews missing' });
    expect(first.status).toBe(201);
    // While it is being worked, raising again records it and keeps the state.
    await move(first.body.id, { to: 'plan_proposed', ...plan }, contact);
    const again = await raise({ ...key, severity: 'medium', title: 'Access reviews missing' });
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.status).toBe('plan_proposed');
    expect(again.body.events.at(-1).kind).toBe('raised_again');
    // Closed, then raised again: reopened, with the new severity and a new due date.
    await ds.query(`UPDATE findings SET status = 'closed', closed_at = now() WHERE id = $1`, [first.body.id]);
    const reopened = await raise({ ...key, severity: 'critical', title: 'Access reviews still missing' });
    expect(reopened.body).toMatchObject({
      id: first.body.id,
      status: 'open',
      severity: 'critical',
      title: 'Access reviews still missing',
      dueDate: inDays(FINDING_DUE_DAYS.critical),
      closedAt: null,
      rootCause: null,
    });
    expect(reopened.body.events.at(-1)).toMatchObject({ kind: 'reopened', fromStatus: 'closed', toStatus: 'open' });
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM findings WHERE source_key = $1`, [key.sourceKey]);
    expect(n).toBe(1);
    // The same key for another vendor is another finding.
    const otherVendor = await raise({ ...key, vendorId: bloomberg });
    expect(otherVendor.body.id).not.toBe(first.body.id);
  });

  it('due-date reminders go to the vendor owner and the vendor side, once per step, escalating when overdue', async () => {
    const reminders = t.app.get(Reminders);
    expect(t.app.get(FindingReminders).type).toBe('finding.due');
    const f = (await raise({ severity: 'low', title: 'Reminder subject' })).body;
    await ds.query(`UPDATE findings SET due_date = $2 WHERE id = $1`, [f.id, inDays(7)]);
    await reminders.sweep();
    await reminders.sweep();
    const noticesOf = async (email: string) =>
      (
        (await ds.query(
          `SELECT n.dedupe_key FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = $1 AND n.dedupe_key LIKE $2`,
          [email, `reminder:finding.due:${f.id}:%`],
        )) as { dedupe_key: string }[]
      ).map((r) => r.dedupe_key.split(':').at(-1));
    expect(await noticesOf('contact@openai.demo.bulwark.test')).toEqual(['due-7d']);
    // Overdue by two days: the +1 step, escalated to the vendor managers.
    await ds.query(`UPDATE findings SET due_date = $2 WHERE id = $1`, [f.id, inDays(-2)]);
    await reminders.sweep();
    expect(await noticesOf('manager@demo.bulwark.test')).toContain('overdue+1d');
    // Closed: no more reminders.
    await ds.query(`UPDATE findings SET due_date = $2, status = 'closed' WHERE id = $1`, [f.id, inDays(-7)]);
    await reminders.sweep();
    expect(await noticesOf('manager@demo.bulwark.test')).not.toContain('overdue+7d');
  });

  it('a vendor whose financial health crosses into distress gets a signal finding, reopened when it crosses again', async () => {
    const [{ id: pinecone }] = await ds.query(
      `SELECT v.id FROM vendors v JOIN organizations o ON o.id = v.organization_id WHERE o.slug = 'demo-org' AND v.name = 'Pinecone'`,
    );
    const secret = 'findings-test-signing-secret-0123456789';
    const src = await t.http
      .post('/api/signal-sources')
      .set(auth(manager))
      .send({
        vendorId: pinecone,
        plugin: 'webhook-ingest',
        config: {
          signingSecret: secret,
          provider: 'RapidRatings FHR',
          signalType: 'financial_score',
          valueMap: [
            { max: 40, level: 'major_outage', band: 'high risk' },
            { min: 40, level: 'operational', band: 'low risk' },
          ],
        },
      });
    expect(src.status).toBe(201);
    const path = new URL(src.body.webhookUrl).pathname;
    const push = async (score: number, asOf: string) => {
      const raw = JSON.stringify([{ id: 'pinecone', score, title: 'Pinecone FHR', asOf }]);
      const at = Math.floor(Date.now() / 1000);
      const res = await t.http
        .post(path)
        .set({
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: String(at),
          [SIGNATURE_HEADER]: `sha256=${signWebhook(raw, at, secret)}`,
        })
        .send(raw);
      expect(res.status).toBe(202);
    };
    const signalFinding = async () =>
      (
        (await ds.query(`SELECT id, status, source, source_key, severity FROM findings WHERE vendor_id = $1 AND source = 'signal'`, [
          pinecone,
        ])) as {
          id: string;
          status: string;
        }[]
      )[0];

    await push(35, '2026-10-01');
    const opened = await until('the financial-distress finding', async () => signalFinding());
    expect(opened).toMatchObject({ status: 'open', source: 'signal', source_key: 'financial-health', severity: 'high' });
    // Healthy again, the finding is worked and closed; distress again reopens the same one.
    await push(80, '2026-10-02');
    await ds.query(`UPDATE findings SET status = 'closed', closed_at = now() WHERE id = $1`, [opened.id]);
    await push(30, '2026-10-03');
    await until('the finding to reopen', async () => ((await signalFinding())?.status === 'open' ? true : undefined));
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM findings WHERE vendor_id = $1 AND source = 'signal'`, [pinecone]);
    expect(n).toBe(1);
    const detail = (await t.http.get(`/api/findings/${opened.id}`).set(auth(manager))).body;
    expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual(['raised', 'reopened']);
    expect(detail.events[0].actorSide).toBe('system');
  });
});
