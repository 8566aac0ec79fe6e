import { join } from 'node:path';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RequestContext, systemActor } from '@bulwark/platform';
import { RecomputeService } from '@bulwark/slas';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { readOutbox } from '../support/outbox';
import { until } from '../support/wait';

let t: TestApp;
let ds: DataSource;
let procurement: string;
let manager: string;
let contact: string;
let org: string;
/** Bloomberg: a vendor without a demo contract, so every figure here comes from this test. */
let openai: { vendorId: string; serviceId: string };
let sourceId: string;
let slaId: string;

async function signal(id: string, level: string, start: Date, end: Date): Promise<void> {
  await ds.query(
    `INSERT INTO signals (organization_id, vendor_id, service_id, source_id, dedupe_key, external_id, signal_type, level, title, started_at, resolved_at, provider_updated_at, content_hash)
     VALUES ($1, $2, $3, $4, $5, $6, 'service_incident', $7, $6, $8, $9, $9, 'h')`,
    [org, openai.vendorId, openai.serviceId, sourceId, `${sourceId}:${id}`, id, level, start, end],
  );
}

/** The first instant of the month `back` months before this one (UTC): the test's months follow the clock,
 *  because the recompute covers the 13 months up to now. */
const month = (back: number) => DateTime.utc().startOf('month').minus({ months: back });
const at = (back: number, day: number, hour: number) => month(back).set({ day, hour }).toJSDate();
const label = (back: number) => month(back).toFormat('yyyy-MM');
// Four months ago ("August"): a 6-hour outage; three months ago ("September"): clean until a late signal arrives.
const AUG = 4;
const SEP = 3;
const OCT = 2;
/** The SLA takes effect ten months back: the rollup then holds that month and the nine after it, up to this one. */
const EFFECTIVE = 10;

const recompute = () => RequestContext.runAs(systemActor(org), () => t.app.get(RecomputeService).recompute(openai.vendorId));

beforeAll(async () => {
  t = await bootApp({ PUBLIC_URL: 'https://bulwark.example.com/portal' });
  await seedOrgs(t, false);
  ds = t.app.get(DataSource);
  procurement = await login(t, 'procurement@demo.bulwark.test');
  manager = await login(t, 'manager@demo.bulwark.test');
  contact = await login(t, 'contact@bloomberg.demo.bulwark.test');
  const [row] = await ds.query(
    `SELECT v.organization_id, v.id AS vendor_id, s.id AS service_id FROM vendors v JOIN services s ON s.vendor_id = v.id WHERE v.name = 'Bloomberg' AND s.name = 'Bloomberg Data License'`,
  );
  org = row.organization_id;
  openai = { vendorId: row.vendor_id, serviceId: row.service_id };
  [{ id: sourceId }] = await ds.query(
    `INSERT INTO signal_sources (organization_id, vendor_id, service_id, plugin, name, schedule_seconds, enabled) VALUES ($1, $2, $3, 'statuspage', 'status', 300, false) RETURNING id`,
    [org, openai.vendorId, openai.serviceId],
  );
  // AUG: 6 hours down (a breach of 99.9 %); SEP: clean.
  await signal('aug-outage', 'major_outage', at(AUG, 10, 0), at(AUG, 10, 6));
});
afterAll(async () => t?.close());

describe('breaches, credits and disputes', () => {
  it('creating the SLA computes attainment and opens a breach with its credit, telling both sides', async () => {
    const c = await t.http
      .post('/api/contracts')
      .set(auth(procurement))
      .send({
        vendorId: openai.vendorId,
        title: 'Bloomberg Data License Agreement',
        status: 'active',
        effectiveDate: month(EFFECTIVE).toISODate(),
        annualValue: 120000,
        serviceIds: [openai.serviceId],
        serviceFees: [{ serviceId: openai.serviceId, annualFee: 120000 }],
      });
    const sla = await t.http
      .post('/api/slas')
      .set(auth(procurement))
      .send({
        contractId: c.body.id,
        name: 'API availability',
        effectiveFrom: month(EFFECTIVE).toISODate(),
        terms: {
          availabilityTarget: 99.9,
          rtoMinutes: 240,
          rpoMinutes: 30,
          credits: [
            { belowPercent: 99.9, creditPercent: 10 },
            { belowPercent: 99, creditPercent: 25 },
          ],
        },
        scope: { serviceIds: [openai.serviceId] },
      });
    slaId = sla.body.id;
    const page = await until('a breach of the new SLA', async () => {
      const res = await t.http.get(`/api/breaches?slaId=${slaId}`).set(auth(manager));
      return res.body.total > 0 ? res.body : undefined;
    });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      window: label(AUG),
      status: 'open',
      target: 99.9,
      creditPercent: 10,
      creditAmount: 1000,
      currency: 'USD',
    });
    expect(page.items[0].availability).toBeCloseTo(100 * (1 - 6 / (month(AUG).daysInMonth! * 24)), 4);
    await until('the breach mails to both sides', async () => {
      const dir = join(t.dataDir, 'outbox');
      const to = readOutbox(dir)
        .filter((m) => m.subject.startsWith('SLA breach'))
        .map((m) => m.to);
      return to.includes('contact@bloomberg.demo.bulwark.test') && to.includes('procurement@demo.bulwark.test') ? true : undefined;
    });
  });

  it('the portfolio dashboard reads the rollup', async () => {
    const res = await t.http.get('/api/sla-portfolio').set(auth(manager));
    const entry = res.body.find((e: { slaId: string }) => e.slaId === slaId);
    expect(entry).toMatchObject({ vendorName: 'Bloomberg', target: 99.9, breaches12m: 1, credits12m: 1000 });
    expect(entry.openWindowAvailability).toBe(100);
    const rows = await ds.query(`SELECT count(*)::int AS n FROM sla_attainment WHERE sla_id = $1`, [slaId]);
    // From the effective month up to this one: the earlier months of the 13-month span have no terms.
    expect(rows[0].n).toBe(EFFECTIVE + 1);
  });

  it('the vendor disputes with evidence; the manager waives it; the thread then closes', async () => {
    const mine = (await t.http.get('/api/breaches').set(auth(contact))).body.items;
    expect(mine.every((b: { vendorName: string }) => b.vendorName === 'Bloomberg')).toBe(true);
    const [breach] = mine;
    const disputed = await t.http
      .post(`/api/breaches/${breach.id}/comments`)
      .set(auth(contact))
      .send({ body: 'The outage was in a region you do not use.', evidenceLinks: ['https://status.openai.com/incidents/abc'] });
    expect(disputed.status).toBe(201);
    expect(disputed.body).toMatchObject({
      status: 'disputed',
      comments: [{ authorSide: 'vendor', evidenceLinks: ['https://status.openai.com/incidents/abc'] }],
    });
    const other = await login(t, 'contact@openai.demo.bulwark.test');
    expect((await t.http.get(`/api/breaches/${breach.id}`).set(auth(other))).status).toBe(404);
    expect(
      (await t.http.post(`/api/breaches/${breach.id}/resolve`).set(auth(contact)).send({ decision: 'waived', note: 'nope' })).status,
    ).toBe(403);
    const waived = await t.http
      .post(`/api/breaches/${breach.id}/resolve`)
      .set(auth(manager))
      .send({ decision: 'waived', note: 'Confirmed: eu-west only, not in scope.' });
    expect(waived.body).toMatchObject({ status: 'waived', resolutionNote: 'Confirmed: eu-west only, not in scope.' });
    expect(
      (await t.http.post(`/api/breaches/${breach.id}/resolve`).set(auth(manager)).send({ decision: 'upheld', note: 'changed my mind' }))
        .status,
    ).toBe(409);
    expect((await t.http.post(`/api/breaches/${breach.id}/comments`).set(auth(contact)).send({ body: 'thanks' })).status).toBe(409);
  });

  it('a late signal opens a breach for an earlier month; a correction withdraws it; the order does not matter', async () => {
    await signal('sep-late', 'major_outage', at(SEP, 3, 0), at(SEP, 3, 2));
    await recompute();
    const sep = (await t.http.get(`/api/breaches?slaId=${slaId}`).set(auth(manager))).body.items.find(
      (b: { window: string }) => b.window === label(SEP),
    );
    expect(sep).toMatchObject({ status: 'open', creditPercent: 10 });
    const before = await ds.query(
      `SELECT window_label, availability, breached FROM sla_attainment WHERE sla_id = $1 ORDER BY window_label`,
      [slaId],
    );
    await recompute();
    expect(
      await ds.query(`SELECT window_label, availability, breached FROM sla_attainment WHERE sla_id = $1 ORDER BY window_label`, [slaId]),
    ).toEqual(before);
    await ds.query(`UPDATE signals SET level = 'degraded' WHERE external_id = 'sep-late'`);
    await recompute();
    const withdrawn = await t.http.get(`/api/breaches?slaId=${slaId}&status=withdrawn`).set(auth(manager));
    expect(withdrawn.body.items.map((b: { window: string }) => b.window)).toEqual([label(SEP)]);
    expect(
      (await t.http.get(`/api/breaches?slaId=${slaId}`).set(auth(manager))).body.items.map((b: { window: string }) => b.window),
    ).toEqual([label(AUG)]);
  });
});

describe('upholding', () => {
  it('procurement upholds a breach: the credit stands and the thread closes', async () => {
    await signal('oct-outage', 'major_outage', at(OCT, 7, 0), at(OCT, 7, 3));
    await recompute();
    const oct = (await t.http.get(`/api/breaches?slaId=${slaId}`).set(auth(manager))).body.items.find(
      (b: { window: string }) => b.window === label(OCT),
    );
    expect(oct).toMatchObject({ status: 'open', creditPercent: 10 });
    const upheld = await t.http
      .post(`/api/breaches/${oct.id}/resolve`)
      .set(auth(procurement))
      .send({ decision: 'upheld', note: 'Credit applied to the November invoice.' });
    expect(upheld.body).toMatchObject({ status: 'upheld', creditPercent: 10, resolutionNote: 'Credit applied to the November invoice.' });
    expect((await t.http.post(`/api/breaches/${oct.id}/comments`).set(auth(contact)).send({ body: 'late objection' })).status).toBe(409);
    // A later recompute leaves a decided breach alone.
    await recompute();
    expect((await t.http.get(`/api/breaches/${oct.id}`).set(auth(manager))).body.status).toBe('upheld');
  });
});

describe('recompute and notices', () => {
  const rollup = () =>
    ds.query(
      `SELECT window_label, version, availability, downtime_minutes, excluded_minutes, breached, credit_percent, credit_amount, open FROM sla_attainment WHERE sla_id = $1 ORDER BY window_label`,
      [slaId],
    );
  const breachRows = () =>
    ds.query(
      `SELECT id, window_label, availability, credit_percent, status, state_seq, notified_seq FROM sla_breaches WHERE sla_id = $1 ORDER BY window_label`,
      [slaId],
    );
  const noticesOf = (breachId: string) =>
    ds.query(
      `SELECT n.dedupe_key, u.email FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.dedupe_key LIKE $1 ORDER BY n.dedupe_key, u.email`,
      [`breach-${breachId}-%`],
    );
  const mails = (subject: string) => readOutbox(join(t.dataDir, 'outbox')).filter((m) => m.subject === subject);

  it('concurrent recomputes of one vendor store the same rows as one recompute', async () => {
    await signal('jun-outage', 'major_outage', at(6, 12, 0), at(6, 12, 4));
    const results = await Promise.all([recompute(), recompute(), recompute()]);
    // One of them detected the new breach; the others found it already there.
    expect(results.map((r) => r.breaches).sort()).toEqual([0, 0, 1]);
    const [rows, breaches] = [await rollup(), await breachRows()];
    await recompute();
    expect(await rollup()).toEqual(rows);
    expect(await breachRows()).toEqual(breaches);
    const jun = breaches.find((b: { window_label: string }) => b.window_label === label(6));
    expect(jun).toMatchObject({ status: 'open', state_seq: 1, notified_seq: 1 });
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND action = 'sla.breach_detected'`, [
      jun.id,
    ]);
    expect(n).toBe(1);
    // One notice per recipient, whatever the number of recomputes.
    const notices = await noticesOf(jun.id);
    expect(notices.map((x: { email: string }) => x.email)).toEqual([...new Set(notices.map((x: { email: string }) => x.email))]);
    expect(notices.map((x: { email: string }) => x.email)).toContain('contact@bloomberg.demo.bulwark.test');
  });

  it('a withdrawn breach that re-opens is told to both sides, once per change of state', async () => {
    const sep = (await breachRows()).find((b: { window_label: string }) => b.window_label === label(SEP));
    expect(sep).toMatchObject({ status: 'withdrawn' });
    await ds.query(
      `UPDATE signals SET level = 'major_outage', provider_updated_at = provider_updated_at + interval '1 second' WHERE external_id = 'sep-late'`,
    );
    await recompute();
    await recompute();
    const reopened = (await breachRows()).find((b: { id: string }) => b.id === sep.id);
    expect(reopened).toMatchObject({ status: 'open', state_seq: 3, notified_seq: 3 });
    const subject = `SLA breach re-opened: API availability (${label(SEP)})`;
    await until('the mails to both sides', async () =>
      mails(subject).some((m) => m.to === 'procurement@demo.bulwark.test') &&
      mails(subject).some((m) => m.to === 'contact@bloomberg.demo.bulwark.test')
        ? true
        : undefined,
    );
    // Detected, withdrawn, re-opened: three notices to each recipient, never more.
    const keys = (await noticesOf(sep.id))
      .filter((x: { email: string }) => x.email === 'procurement@demo.bulwark.test')
      .map((x: { dedupe_key: string }) => x.dedupe_key);
    expect(keys).toEqual([`breach-${sep.id}-1`, `breach-${sep.id}-2`, `breach-${sep.id}-3`]);
    expect(mails(subject).filter((m) => m.to === 'procurement@demo.bulwark.test')).toHaveLength(1);
  });

  it('a breach notice that could not be sent is sent by the next recompute, once', async () => {
    // The notifications table refuses breach notices for a while (a real failure, not a stub).
    await ds.query(
      `CREATE FUNCTION refuse_breach_notice() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.dedupe_key LIKE 'breach-%' THEN RAISE EXCEPTION 'notifications unavailable'; END IF; RETURN NEW; END $$`,
    );
    await ds.query(
      `CREATE TRIGGER refuse_breach_notice BEFORE INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION refuse_breach_notice()`,
    );
    await signal('may-outage', 'major_outage', at(7, 20, 0), at(7, 20, 5));
    await expect(recompute()).rejects.toThrow(/notifications unavailable/);
    const may = (await breachRows()).find((b: { window_label: string }) => b.window_label === label(7));
    expect(may).toMatchObject({ status: 'open', state_seq: 1, notified_seq: 0 });
    expect(await noticesOf(may.id)).toEqual([]);
    await ds.query(`DROP TRIGGER refuse_breach_notice ON notifications; DROP FUNCTION refuse_breach_notice()`);
    // The job's retry (or the hourly sweep) runs the recompute again.
    await recompute();
    await recompute();
    expect((await breachRows()).find((b: { id: string }) => b.id === may.id)).toMatchObject({ notified_seq: 1 });
    const subject = `SLA breach: API availability (${label(7)})`;
    await until('the mails to both sides', async () =>
      mails(subject).some((m) => m.to === 'contact@bloomberg.demo.bulwark.test') &&
      mails(subject).some((m) => m.to === 'procurement@demo.bulwark.test')
        ? true
        : undefined,
    );
    expect(mails(subject).filter((m) => m.to === 'procurement@demo.bulwark.test')).toHaveLength(1);
    expect((await noticesOf(may.id)).filter((x: { email: string }) => x.email === 'procurement@demo.bulwark.test')).toHaveLength(1);
  });
});

describe('commitment chain', () => {
  it('compares each dependency’s required RTO/RPO with the contract, and reads untested until joint tests exist', async () => {
    const res = await t.http.get('/api/commitment-chain').set(auth(manager));
    expect(res.status).toBe(200);
    // Credit Risk Scoring needs RTO 240 / RPO 60; the Bloomberg SLA promises RTO 240 / RPO 30: the contract covers it, no test has.
    const row = res.body.find(
      (r: { systemName: string; serviceName: string }) =>
        r.systemName === 'Credit Risk Scoring' && r.serviceName === 'Bloomberg Data License',
    );
    expect(row).toMatchObject({
      requiredRtoMinutes: 240,
      contractualRtoMinutes: 240,
      requiredRpoMinutes: 60,
      contractualRpoMinutes: 30,
      status: 'untested',
      gaps: [],
      measuredRtoMinutes: null,
      slaName: 'API availability',
    });
    const sanctions = res.body.find(
      (r: { systemName: string; serviceName: string }) => r.systemName === 'Sanctions Screening' && r.serviceName === 'World-Check One',
    );
    expect(sanctions).toMatchObject({ status: 'contract_gap', gaps: ['no SLA covers this service'] });
    expect(row.notices).toEqual([]);
    // A version with a looser RTO that takes effect later is announced, not applied before its date.
    const later = DateTime.utc().plus({ months: 2 }).startOf('month').toISODate()!;
    expect(
      (
        await t.http
          .post(`/api/slas/${slaId}/versions`)
          .set(auth(procurement))
          .send({ effectiveFrom: later, terms: { availabilityTarget: 99.9, rtoMinutes: 480, rpoMinutes: 30 } })
      ).status,
    ).toBe(201);
    const after = (await t.http.get('/api/commitment-chain').set(auth(manager))).body.find(
      (r: { dependencyId: string }) => r.dependencyId === row.dependencyId,
    );
    expect(after).toMatchObject({ status: 'untested', gaps: [], contractualRtoMinutes: 240 });
    // Nothing is ever `covered` without a measurement.
    expect(
      (await t.http.get('/api/commitment-chain').set(auth(manager))).body.filter((r: { status: string }) => r.status === 'covered'),
    ).toEqual([]);
    expect(after.notices).toEqual([`from ${later}, “API availability” version 2: contractual RTO 480 min exceeds the required 240 min`]);
    // Once that date has come (here: the version moved to today), the gap is real.
    await ds.query(`UPDATE sla_versions SET effective_from = current_date WHERE sla_id = $1 AND version = 2`, [slaId]);
    const now = (await t.http.get('/api/commitment-chain').set(auth(manager))).body.find(
      (r: { dependencyId: string }) => r.dependencyId === row.dependencyId,
    );
    expect(now).toMatchObject({ status: 'contract_gap', gaps: ['contractual RTO 480 min exceeds the required 240 min'], notices: [] });
    // An expired contract covers nothing.
    await ds.query(
      `UPDATE contracts SET expiry_date = current_date - 1, effective_date = current_date - 400 WHERE id = (SELECT contract_id FROM slas WHERE id = $1)`,
      [slaId],
    );
    const expired = (await t.http.get('/api/commitment-chain').set(auth(manager))).body.find(
      (r: { dependencyId: string }) => r.dependencyId === row.dependencyId,
    );
    expect(expired.status).toBe('contract_gap');
    expect(expired.gaps[0]).toMatch(/^the contract “.+” expired on \d{4}-\d{2}-\d{2}$/);
    const contactRes = await t.http.get('/api/commitment-chain').set(auth(contact));
    expect(contactRes.status).toBe(403);
  });
});

describe('the hourly sweep', () => {
  it('queues a recompute for every vendor with an SLA, so a window that closes quietly is still judged', async () => {
    const queued = await t.app.get(RecomputeService).enqueueAll();
    const [{ n }] = await ds.query(`SELECT count(DISTINCT (organization_id, vendor_id))::int AS n FROM slas`);
    expect(queued).toBe(n);
    expect(queued).toBeGreaterThan(0);
  });
});

describe('links in e-mails', () => {
  it('every mail that links to the portal links absolutely to PUBLIC_URL, to a page whose record exists', async () => {
    const linked = readOutbox(join(t.dataDir, 'outbox')).filter((m) => m.text.includes('Open in Bulwark:'));
    expect(linked.length).toBeGreaterThan(0);
    for (const mail of linked) {
      const link = /Open in Bulwark: (\S+)/.exec(mail.text)![1]!;
      expect(link, mail.subject).toMatch(
        /^https:\/\/bulwark\.example\.com\/portal\/(vendor-home\/)?(breaches|negotiations|contracts|vendors|findings|audits|questionnaire-requests)\/[0-9a-f-]{36}(\/\w+)?$/,
      );
      // The portal page shows the record the API serves at the same path.
      // A vendor's mail may link to its own home's page of the record (`/vendor-home/audits/:id`).
      const [, kind, id] = /\/portal\/(?:vendor-home\/)?([\w-]+)\/([0-9a-f-]{36})/.exec(link)!;
      expect((await t.http.get(`/api/${kind}/${id}`).set(auth(manager))).status, link).toBe(200);
    }
  });
});
