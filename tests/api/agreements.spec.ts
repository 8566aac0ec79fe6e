import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { NormalizedSignal } from '@bulwark/plugin-sdk';
import { ingestSignals } from '@bulwark/signals';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';

let t: TestApp;
let ds: DataSource;
let procurement: string;
let openai: { vendorId: string; serviceId: string };
let contractId: string;
let slaId: string;

const H = 3600_000;
const JAN = Date.UTC(2026, 0, 1);

/** Signals as the ingestion stores them, for one source of the OpenAI API service. */
async function insertSignals(
  rows: { id: string; level: string; start: number; end: number | null; scheduled?: boolean; firstSeen?: number }[],
): Promise<void> {
  const [org] = await ds.query(`SELECT organization_id FROM vendors WHERE id = $1`, [openai.vendorId]);
  const [src] = await ds.query(
    `INSERT INTO signal_sources (organization_id, vendor_id, service_id, plugin, name, schedule_seconds) VALUES ($1, $2, $3, 'statuspage', 'OpenAI status', 300) RETURNING id`,
    [org.organization_id, openai.vendorId, openai.serviceId],
  );
  for (const r of rows) {
    await ds.query(
      `INSERT INTO signals (organization_id, vendor_id, service_id, source_id, dedupe_key, external_id, signal_type, level, title, started_at, resolved_at, scheduled_for, scheduled_until, provider_updated_at, content_hash, first_seen_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $10, 'h', $14)`,
      [
        org.organization_id,
        openai.vendorId,
        openai.serviceId,
        src.id,
        `${src.id}:${r.id}`,
        r.id,
        r.scheduled ? 'maintenance' : 'service_incident',
        r.level,
        r.id,
        new Date(r.start),
        r.end === null ? null : new Date(r.end),
        r.scheduled ? new Date(r.start) : null,
        r.scheduled && r.end ? new Date(r.end) : null,
        new Date(r.firstSeen ?? r.start),
      ],
    );
  }
}

beforeAll(async () => {
  t = await bootApp();
  await seedOrgs(t, false);
  ds = t.app.get(DataSource);
  procurement = await login(t, 'procurement@demo.bulwark.test');
  const [row] = await ds.query(
    `SELECT v.id AS vendor_id, s.id AS service_id FROM vendors v JOIN services s ON s.vendor_id = v.id WHERE v.name = 'OpenAI' AND s.name = 'OpenAI API'`,
  );
  openai = { vendorId: row.vendor_id, serviceId: row.service_id };
});
afterAll(async () => t?.close());

describe('contracts', () => {
  it('procurement records a contract with structured clauses; the renewal notice date is derived', async () => {
    const res = await t.http
      .post('/api/contracts')
      .set(auth(procurement))
      .send({
        vendorId: openai.vendorId,
        title: 'OpenAI Enterprise Agreement',
        reference: 'MSA-2026-014',
        status: 'active',
        effectiveDate: '2026-01-01',
        expiryDate: '2027-12-31',
        renewalNoticeDays: 90,
        annualValue: 240000,
        currency: 'USD',
        serviceIds: [openai.serviceId],
        serviceFees: [{ serviceId: openai.serviceId, annualFee: 240000 }],
        clauses: {
          rightToAudit: {
            scope: 'Model serving and data handling',
            noticeDays: 30,
            auditsPer12Months: 1,
            mode: 'remote',
            costBearer: 'customer',
            regulatorAccess: true,
          },
          breachNotificationHours: 72,
        },
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      renewalNoticeDate: '2027-10-02',
      services: [{ name: 'OpenAI API', annualFee: 240000 }],
      clauses: { breachNotificationHours: 72, rightToAudit: { noticeDays: 30 } },
    });
    contractId = res.body.id;
  });

  it('refuses bad dates, another vendor’s services, and writers other than procurement and admin', async () => {
    const bad = await t.http
      .post('/api/contracts')
      .set(auth(procurement))
      .send({ vendorId: openai.vendorId, title: 'x', effectiveDate: '2026-05-01', expiryDate: '2026-01-01' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields[0].path).toBe('expiryDate');
    const [other] = await ds.query(`SELECT id FROM services WHERE name = 'Amazon S3'`);
    const wrong = await t.http
      .patch(`/api/contracts/${contractId}`)
      .set(auth(procurement))
      .send({ serviceIds: [other.id] });
    expect(wrong.status).toBe(422);
    const auditor = await login(t, 'auditor@demo.bulwark.test');
    expect((await t.http.patch(`/api/contracts/${contractId}`).set(auth(auditor)).send({ title: 'x' })).status).toBe(403);
  });

  it('a vendor contact sees its own contracts only', async () => {
    // The demo organization has one contract with each of OpenAI and AWS besides the one created above.
    const contact = await login(t, 'contact@openai.demo.bulwark.test');
    const mine = await t.http.get('/api/contracts').set(auth(contact));
    expect(mine.body.items.map((c: { id: string }) => c.id)).toContain(contractId);
    expect(mine.body.items.map((c: { vendorName: string }) => c.vendorName)).toEqual(['OpenAI', 'OpenAI']);
    const all = await t.http.get('/api/contracts').set(auth(procurement));
    expect(all.body.total).toBeGreaterThan(mine.body.total);
    const aws = await login(t, 'contact@amazon-web-services.demo.bulwark.test');
    const theirs = (await t.http.get('/api/contracts').set(auth(aws))).body.items;
    expect(theirs.map((c: { vendorName: string }) => c.vendorName)).toEqual(['Amazon Web Services']);
    expect((await t.http.get(`/api/contracts/${contractId}`).set(auth(aws))).status).toBe(404);
  });
});

describe('SLAs and attainment', () => {
  it('creates an SLA whose scope must be the contract vendor’s services', async () => {
    const [s3] = await ds.query(`SELECT id FROM services WHERE name = 'Amazon S3'`);
    const wrong = await t.http
      .post('/api/slas')
      .set(auth(procurement))
      .send({
        contractId,
        name: 'API availability',
        effectiveFrom: '2026-01-01',
        terms: { availabilityTarget: 99.9 },
        scope: { serviceIds: [s3.id] },
      });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.fields[0].path).toBe('scope.serviceIds');
    const badTz = await t.http
      .post('/api/slas')
      .set(auth(procurement))
      .send({
        contractId,
        name: 'x',
        effectiveFrom: '2026-01-01',
        terms: { availabilityTarget: 99.9, timeZone: 'Mars/Olympus' },
        scope: { serviceIds: [openai.serviceId] },
      });
    expect(badTz.status).toBe(422);
    expect(badTz.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['terms.timeZone']);
    const res = await t.http
      .post('/api/slas')
      .set(auth(procurement))
      .send({
        contractId,
        name: 'API availability',
        effectiveFrom: '2026-01-01',
        terms: {
          availabilityTarget: 99.9,
          window: 'month',
          timeZone: 'UTC',
          maintenanceNoticeHours: 72,
          credits: [
            { belowPercent: 99.9, creditPercent: 10 },
            { belowPercent: 99, creditPercent: 25 },
          ],
          creditCapPercent: 30,
          rtoMinutes: 240,
          rpoMinutes: 60,
        },
        scope: { serviceIds: [openai.serviceId] },
      });
    expect(res.status).toBe(201);
    expect(res.body.current).toMatchObject({
      version: 1,
      terms: { availabilityTarget: 99.9, weights: { partialOutage: 0.5, degraded: 0 } },
    });
    slaId = res.body.id;
  });

  it('computes attainment per month from the signals in scope, with breaches, credits and exclusions', async () => {
    await insertSignals([
      { id: 'jan-major', level: 'major_outage', start: JAN + 10 * H, end: JAN + 10 * H + 45 * 60_000 },
      { id: 'jan-overlap', level: 'partial_outage', start: JAN + 10 * H, end: JAN + 10 * H + 30 * 60_000 },
      { id: 'feb-partial', level: 'partial_outage', start: Date.UTC(2026, 1, 3, 8), end: Date.UTC(2026, 1, 3, 10) },
      {
        id: 'feb-maint',
        level: 'maintenance',
        start: Date.UTC(2026, 1, 10, 2),
        end: Date.UTC(2026, 1, 10, 4),
        scheduled: true,
        firstSeen: Date.UTC(2026, 1, 1),
      },
      {
        id: 'mar-late-maint',
        level: 'maintenance',
        start: Date.UTC(2026, 2, 10, 2),
        end: Date.UTC(2026, 2, 10, 3),
        scheduled: true,
        firstSeen: Date.UTC(2026, 2, 10, 1),
      },
      { id: 'mar-degraded', level: 'degraded', start: Date.UTC(2026, 2, 12), end: Date.UTC(2026, 2, 13) },
    ]);
    const res = await t.http.get(`/api/slas/${slaId}/attainment?from=2026-01&to=2026-04`).set(auth(procurement));
    expect(res.status).toBe(200);
    const [jan, feb, mar, apr] = res.body;
    // 99.9 % of January allows 44.64 minutes: 45 minutes is a breach.
    expect(jan).toMatchObject({
      window: '2026-01',
      target: 99.9,
      downtimeMinutes: 45,
      breached: true,
      creditPercent: 10,
      creditAmount: 2000,
      version: 1,
    });
    expect(jan.availability).toBeCloseTo(100 * (1 - 45 / (31 * 24 * 60)), 4);
    // February: two hours at half weight; the maintenance announced nine days ahead is excluded.
    expect(feb).toMatchObject({ window: '2026-02', downtimeMinutes: 60, excludedMinutes: 120 });
    expect(feb.availability).toBeCloseTo(100 * (1 - 60 / (28 * 24 * 60)), 4);
    // March: maintenance announced one hour ahead counts fully; a degradation weighs nothing.
    expect(mar).toMatchObject({ window: '2026-03', downtimeMinutes: 60, excludedMinutes: 0 });
    for (const w of [jan, feb, mar]) expect(w.breached).toBe(w.availability < 99.9);
    expect(apr).toMatchObject({ window: '2026-04', downtimeMinutes: 0, availability: 100 });
    for (const w of res.body) expect(w.availability).toBeLessThanOrEqual(100);
  });

  it('a breach earns the credit of the schedule, capped, and its amount from the fee of the covered service', async () => {
    await insertSignals([{ id: 'may-major', level: 'major_outage', start: Date.UTC(2026, 4, 5), end: Date.UTC(2026, 4, 5, 12) }]);
    const [may] = (await t.http.get(`/api/slas/${slaId}/attainment?from=2026-05&to=2026-05`).set(auth(procurement))).body;
    expect(may.availability).toBeCloseTo(100 * (1 - 12 / (31 * 24)), 4);
    expect(may).toMatchObject({ breached: true, creditPercent: 25, creditAmount: 5000 });
  });

  it('refuses a bad attainment range with a 422 naming the field, never a 500', async () => {
    const get = (q: string) => t.http.get(`/api/slas/${slaId}/attainment?${q}`).set(auth(procurement));
    const tooMany = await get('from=2000-01&to=2026-12');
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['query.to']);
    // 240 months is the most: 241 is refused, 240 answered.
    expect((await get('from=2006-01&to=2026-01')).status).toBe(422);
    expect((await get('from=2006-02&to=2026-01')).status).toBe(200);
    const reversed = await get('from=2026-05&to=2026-01');
    expect(reversed.status).toBe(422);
    expect(reversed.body.error.fields[0].path).toBe('query.to');
    for (const [q, field] of [
      ['from=2026-13&to=2026-12', 'query.from'],
      ['from=2026-1&to=2026-12', 'query.from'],
      ['from=2026-01&to=26-12', 'query.to'],
    ] as const) {
      const bad = await get(q);
      expect(bad.status).toBe(422);
      expect(bad.body.error.fields[0].path).toBe(field);
    }
  });

  it('the vendor files its own figure; both are shown and the difference flagged', async () => {
    const contact = await login(t, 'contact@openai.demo.bulwark.test');
    const filed = await t.http
      .post(`/api/slas/${slaId}/vendor-reports`)
      .set(auth(contact))
      .send({ window: '2026-05', availability: 99.95, note: 'Our status page shows a shorter outage' });
    expect(filed.status).toBe(204);
    const [may] = (await t.http.get(`/api/slas/${slaId}/attainment?from=2026-05&to=2026-05`).set(auth(contact))).body;
    expect(may).toMatchObject({ vendorReported: 99.95, discrepancy: true });
    expect(
      (await t.http.post(`/api/slas/${slaId}/vendor-reports`).set(auth(procurement)).send({ window: '2026-05', availability: 99 })).status,
    ).toBe(403);
  });

  it('a new version applies from its effective date; earlier windows keep the old terms', async () => {
    const stale = await t.http
      .post(`/api/slas/${slaId}/versions`)
      .set(auth(procurement))
      .send({ effectiveFrom: '2025-12-01', terms: { availabilityTarget: 99.5 } });
    expect(stale.status).toBe(409);
    const res = await t.http
      .post(`/api/slas/${slaId}/versions`)
      .set(auth(procurement))
      .send({ effectiveFrom: '2026-05-01', terms: { availabilityTarget: 98, credits: [{ belowPercent: 98, creditPercent: 10 }] } });
    expect(res.status).toBe(201);
    expect(res.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const windows = (await t.http.get(`/api/slas/${slaId}/attainment?from=2026-04&to=2026-05`).set(auth(procurement))).body;
    expect(windows.map((w: { version: number; target: number }) => [w.version, w.target])).toEqual([
      [1, 99.9],
      [2, 98],
    ]);
    expect(windows[1]).toMatchObject({ breached: false, creditPercent: 0 });
    const actions = (await ds.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [slaId])).map(
      (r: { action: string }) => r.action,
    );
    expect(actions).toEqual(['sla.created', 'sla.vendor_report_filed', 'sla.version_added']);
  });

  it('an SLA that takes effect mid-month is measured from that day, with a prorated credit amount', async () => {
    const res = await t.http
      .post('/api/slas')
      .set(auth(procurement))
      .send({
        contractId,
        name: 'Batch availability',
        effectiveFrom: '2026-01-21',
        terms: { availabilityTarget: 99.9, credits: [{ belowPercent: 99.9, creditPercent: 10 }] },
        scope: { serviceIds: [openai.serviceId] },
      });
    expect(res.status).toBe(201);
    // Two hours down on 25 January; the 45 minutes on 1 January happened before the SLA existed.
    await insertSignals([{ id: 'jan-late-major', level: 'major_outage', start: Date.UTC(2026, 0, 25, 6), end: Date.UTC(2026, 0, 25, 8) }]);
    const windows = (await t.http.get(`/api/slas/${res.body.id}/attainment?from=2025-12&to=2026-02`).set(auth(procurement))).body;
    expect(windows.map((w: { window: string }) => w.window)).toEqual(['2026-01', '2026-02']);
    const [jan, feb] = windows;
    expect(jan).toMatchObject({
      window: '2026-01',
      partial: true,
      start: '2026-01-21T00:00:00.000Z',
      downtimeMinutes: 120,
      breached: true,
      creditPercent: 10,
      version: 1,
    });
    expect(jan.availability).toBeCloseTo(100 * (1 - 120 / (11 * 24 * 60)), 4);
    // The January fee is 20,000 (240,000 a year); 11 of its 31 days were under the SLA.
    expect(jan.creditAmount).toBeCloseTo((20000 * 11) / 31 / 10, 2);
    expect(feb).toMatchObject({ partial: false, start: '2026-02-01T00:00:00.000Z' });
  });
});

describe('component status and scope', () => {
  /** Polls as a statuspage source would: each call is one poll of the given states. */
  let poll: (signals: Partial<NormalizedSignal>[], completeAt?: string) => Promise<void>;
  const month = (back: number) => DateTime.utc().startOf('month').minus({ months: back });
  const at = (back: number, day: number, hour: number) => month(back).set({ day, hour }).toISO()!;
  const component = (
    name: string | null,
    level: NormalizedSignal['level'],
    updatedAt: string,
    title = `${name}: ${level}`,
  ): Partial<NormalizedSignal> => ({
    externalId: name ? `component:${name}` : 'page:openai',
    signalType: 'component_status',
    service: name,
    level,
    title,
    updatedAt,
  });
  const base = {
    region: null,
    lifecycle: null,
    detail: null,
    startedAt: null,
    resolvedAt: null,
    scheduledFor: null,
    scheduledUntil: null,
    score: null,
    url: null,
  };
  let chatSla: string;
  let wholeSla: string;

  beforeAll(async () => {
    const [org] = await ds.query(`SELECT organization_id FROM vendors WHERE id = $1`, [openai.vendorId]);
    const [src] = await ds.query(
      `INSERT INTO signal_sources (organization_id, vendor_id, service_id, plugin, name, schedule_seconds) VALUES ($1, $2, $3, 'statuspage', 'OpenAI components', 300) RETURNING id`,
      [org.organization_id, openai.vendorId, openai.serviceId],
    );
    poll = (signals, observedAt) =>
      ds
        .transaction((m) =>
          ingestSignals(
            m,
            { organizationId: org.organization_id, vendorId: openai.vendorId, serviceId: openai.serviceId, sourceId: src.id },
            signals.map((s) => ({ ...base, ...s }) as NormalizedSignal),
            observedAt ? { complete: true, observedAt: new Date(observedAt) } : {},
          ),
        )
        .then(() => undefined);
    const sla = (name: string, components: string[]) =>
      t.http
        .post('/api/slas')
        .set(auth(procurement))
        .send({
          contractId,
          name,
          effectiveFrom: month(14).toISODate(),
          terms: { availabilityTarget: 99.9 },
          scope: { serviceIds: [openai.serviceId], components },
        })
        .then((r) => r.body.id as string);
    chatSla = await sla('Chat availability', ['Chat Completions']);
    wholeSla = await sla('Whole page availability', []);
  });

  it('a component that went down and recovered keeps its outage, measured from its state history', async () => {
    const label = month(2).toFormat('yyyy-MM');
    // The demo data has its own outages in that month (from the 11th on); what this test adds comes on top.
    const [baseline] = (await t.http.get(`/api/slas/${wholeSla}/attainment?from=${label}&to=${label}`).set(auth(procurement))).body;
    // Two months back: Chat Completions operational, down from the 3rd 10:00 to 13:00, then operational again.
    await poll([component('Chat Completions', 'operational', at(2, 1, 0))]);
    await poll([component('Chat Completions', 'major_outage', at(2, 3, 10))]);
    await poll([component('Chat Completions', 'major_outage', at(2, 3, 11), 'Chat Completions: still investigating')]);
    await poll([component('Chat Completions', 'operational', at(2, 3, 13))]);
    // Another component and the page rollup (no component) are down for longer, but not in this SLA's scope.
    await poll([component('Embeddings', 'major_outage', at(2, 5, 0)), component(null, 'major_outage', at(2, 5, 0))]);
    await poll([component('Embeddings', 'operational', at(2, 5, 10)), component(null, 'operational', at(2, 5, 10))]);
    // An incident that names no component is not known to touch Chat Completions; one that names it counts.
    await poll([
      {
        ...base,
        externalId: 'incident:nameless',
        signalType: 'service_incident',
        service: null,
        level: 'major_outage',
        lifecycle: 'resolved',
        title: 'Elevated errors',
        startedAt: at(2, 7, 0),
        updatedAt: at(2, 7, 6),
        resolvedAt: at(2, 7, 6),
      },
      {
        ...base,
        externalId: 'incident:chat',
        signalType: 'service_incident',
        service: 'Chat Completions, Embeddings',
        level: 'partial_outage',
        lifecycle: 'resolved',
        title: 'Slow chat',
        startedAt: at(2, 9, 0),
        updatedAt: at(2, 9, 2),
        resolvedAt: at(2, 9, 2),
      },
    ]);
    const [chat] = (await t.http.get(`/api/slas/${chatSla}/attainment?from=${label}&to=${label}`).set(auth(procurement))).body;
    // 3 hours down, plus 2 hours of partial outage at half weight.
    expect(chat).toMatchObject({ window: label, downtimeMinutes: 180 + 60, breached: true });
    // Without a component list, the page rollup, the other component and the nameless incident count too.
    const [whole] = (await t.http.get(`/api/slas/${wholeSla}/attainment?from=${label}&to=${label}`).set(auth(procurement))).body;
    expect(whole.downtimeMinutes - baseline.downtimeMinutes).toBe(180 + 10 * 60 + 6 * 60 + 60);
  });

  it('a component the feed stops listing is resolved then: its outage ends at that poll', async () => {
    const sla = await t.http
      .post('/api/slas')
      .set(auth(procurement))
      .send({
        contractId,
        name: 'Moderation availability',
        effectiveFrom: month(14).toISODate(),
        terms: { availabilityTarget: 99.9 },
        scope: { serviceIds: [openai.serviceId], components: ['Moderation'] },
      });
    const label = month(3).toFormat('yyyy-MM');
    // Complete snapshots (as a statuspage poll is): Moderation goes down on the 2nd at 00:00; at 04:00 the
    // page no longer lists it (the vendor retired the component, or the source's filter changed).
    await poll([component('Moderation', 'major_outage', at(3, 2, 0))], at(3, 2, 0));
    await poll([], at(3, 2, 4));
    const [w] = (await t.http.get(`/api/slas/${sla.body.id}/attainment?from=${label}&to=${label}`).set(auth(procurement))).body;
    expect(w).toMatchObject({ window: label, downtimeMinutes: 240 });
    // Later months see nothing of it.
    const later = (
      await t.http
        .get(`/api/slas/${sla.body.id}/attainment?from=${month(2).toFormat('yyyy-MM')}&to=${month(0).toFormat('yyyy-MM')}`)
        .set(auth(procurement))
    ).body;
    expect(later.map((x: { downtimeMinutes: number }) => x.downtimeMinutes)).toEqual([0, 0, 0]);
  });

  it('a maintenance counts as announced from the provider’s own announcement time, not from when Bulwark first saw it', async () => {
    const sla = await t.http
      .post('/api/slas')
      .set(auth(procurement))
      .send({
        contractId,
        name: 'Files availability',
        effectiveFrom: month(14).toISODate(),
        terms: { availabilityTarget: 99.9, maintenanceNoticeHours: 72 },
        scope: { serviceIds: [openai.serviceId], components: ['Files'] },
      });
    const label = month(4).toFormat('yyyy-MM');
    const maintenance = (id: string, announcedAt: string | null, day: number): Partial<NormalizedSignal> => ({
      externalId: id,
      signalType: 'maintenance',
      service: 'Files',
      level: 'maintenance',
      lifecycle: 'completed',
      title: 'Files storage upgrade',
      scheduledFor: at(4, day, 2),
      scheduledUntil: at(4, day, 4),
      updatedAt: at(4, day, 4),
      announcedAt,
    });
    // Both are seen by Bulwark only now (a source added late); one was announced a week ahead, one an hour ahead.
    await poll([maintenance('maint:announced', at(4, 3, 2), 10), maintenance('maint:late', at(4, 20, 1), 20)]);
    const [w] = (await t.http.get(`/api/slas/${sla.body.id}/attainment?from=${label}&to=${label}`).set(auth(procurement))).body;
    expect(w).toMatchObject({ window: label, excludedMinutes: 120, downtimeMinutes: 120 });
  });

  it('a component that is down now counts from when it went down, not from its last update', async () => {
    const now = DateTime.utc();
    await poll([component('Chat Completions', 'partial_outage', now.minus({ hours: 5 }).toISO()!)]);
    await poll([
      component('Chat Completions', 'partial_outage', now.minus({ hours: 1 }).toISO()!, 'Chat Completions: fix deployed, monitoring'),
    ]);
    const windows: { downtimeMinutes: number; open: boolean; breached: boolean }[] = (
      await t.http
        .get(`/api/slas/${chatSla}/attainment?from=${month(1).toFormat('yyyy-MM')}&to=${month(0).toFormat('yyyy-MM')}`)
        .set(auth(procurement))
    ).body;
    // Five hours at half weight, whichever of the two months they fall in.
    const total = windows.reduce((sum, w) => sum + w.downtimeMinutes, 0);
    expect(total).toBeGreaterThanOrEqual(150);
    expect(total).toBeLessThan(152);
    expect(windows.find((w) => w.open)).toMatchObject({ breached: false });
  });
});
