import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFixtureServer, type FixtureServer } from '@bulwark/plugin-sdk/testing';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { pollAndWait } from '../support/wait';

/**
 * A large feed (the report's: a Statuspage of 80,000 components, under the size cap) must neither be
 * taken whole nor make the vendor's summaries unbounded: a source contributes at most FEED_MAX_SIGNALS
 * signals per poll (small here, so the test stays fast), and the vendor summary answers one bounded
 * page of open signals with their total and a cursor to the next page.
 */
const MAX_SIGNALS = 100;

/** A Statuspage summary.json with `n` components, every `degradedEvery`-th degraded. */
function summary(n: number, degradedEvery: number): string {
  const at = new Date(Date.now() - 3600_000).toISOString();
  return JSON.stringify({
    page: { id: 'big', name: 'Big Co', url: 'https://status.big.example', time_zone: 'Etc/UTC', updated_at: at },
    status: { indicator: 'minor', description: 'Minor Service Outage' },
    components: Array.from({ length: n }, (_, i) => ({
      id: `cmp${String(i).padStart(6, '0')}`,
      name: `Component ${i}`,
      status: i % degradedEvery === 0 ? 'degraded_performance' : 'operational',
      created_at: at,
      updated_at: at,
      position: i,
      description: null,
      showcase: false,
      start_date: null,
      group_id: null,
      page_id: 'big',
      group: false,
      only_show_if_degraded: false,
    })),
    incidents: [],
    scheduled_maintenances: [],
  });
}

const FITS = 80; // components, under the cap
const DEGRADED_EVERY = 4; // 20 degraded, 60 operational
/** The components and the page's overall status (indicator "minor": degraded). */
const OPEN = FITS + 1;
const DEGRADED = FITS / DEGRADED_EVERY + 1;

let t: TestApp;
let feed: FixtureServer;
let ds: DataSource;
let manager: string;
let vendorId: string;
let sourceId: string;

beforeAll(async () => {
  feed = await startFixtureServer({
    '/big/api/v2/summary.json': { body: summary(5 * MAX_SIGNALS, DEGRADED_EVERY) },
    '/big/api/v2/incidents.json': { status: 404, body: 'not found' },
    '/fits/api/v2/summary.json': { body: summary(FITS, DEGRADED_EVERY) },
    '/fits/api/v2/incidents.json': { status: 404, body: 'not found' },
  });
  t = await bootApp({ FEED_ALLOWED_HOSTS: '127.0.0.1:*', FEED_MAX_SIGNALS: String(MAX_SIGNALS) });
  await seedOrgs(t, false);
  ds = t.app.get(DataSource);
  manager = await login(t, 'manager@demo.bulwark.test');
  const intake = { servedCriticality: 'high', dataSensitivity: 'internal', aiModelProvider: false, substitutability: 'moderate' };
  const vendor = await t.http.post('/api/vendors').set(auth(manager)).send({ name: 'Big Co', intake });
  vendorId = vendor.body.id;
});
afterAll(async () => {
  await t?.close();
  await feed?.close();
});

const storedFromFeed = async (id: string) =>
  (await ds.query(`SELECT count(*)::int AS n FROM signals WHERE source_id = $1 AND signal_type <> 'source_status'`, [id]))[0].n as number;

describe('a feed over the per-source cap', () => {
  it('the Test button refuses it with an error naming the cap', async () => {
    const res = await t.http
      .post('/api/signal-sources/test')
      .set(auth(manager))
      .send({ plugin: 'statuspage', config: { baseUrl: `${feed.url}/big` } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: false, signals: [] });
    expect(res.body.error).toMatch(/500 components.*at most 100.*FEED_MAX_SIGNALS/);
  });

  it('a poll of it fails with the same error, stores none of it, and the source speaks as unknown', async () => {
    const created = await t.http
      .post('/api/signal-sources')
      .set(auth(manager))
      .send({ vendorId, plugin: 'statuspage', config: { baseUrl: `${feed.url}/big` }, scheduleSeconds: 3600 });
    expect(created.status).toBe(201);
    sourceId = created.body.id;
    const polled = await pollAndWait(t, manager, sourceId);
    expect(polled).toMatchObject({ status: 'failing', lastError: expect.stringMatching(/at most 100.*FEED_MAX_SIGNALS/) });
    expect(await storedFromFeed(sourceId)).toBe(0);
    const s = (await t.http.get(`/api/vendors/${vendorId}/signals`).set(auth(manager))).body;
    expect(s.level).toBe('unknown');
  });
});

describe('the vendor summary of a large source', () => {
  let pagedVendorId: string;

  it('answers one bounded page of open signals, worst first, with the total and a cursor to the rest', async () => {
    const intake = { servedCriticality: 'high', dataSensitivity: 'internal', aiModelProvider: false, substitutability: 'moderate' };
    pagedVendorId = (await t.http.post('/api/vendors').set(auth(manager)).send({ name: 'Many Parts Co', intake })).body.id;
    const created = await t.http
      .post('/api/signal-sources')
      .set(auth(manager))
      .send({ vendorId: pagedVendorId, plugin: 'statuspage', config: { baseUrl: `${feed.url}/fits` }, scheduleSeconds: 3600 });
    expect(await pollAndWait(t, manager, created.body.id)).toMatchObject({ status: 'ok' });
    expect(await storedFromFeed(created.body.id)).toBe(OPEN);

    const limit = 25;
    const seen: { id: string; level: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let first: Record<string, unknown> | null = null;
    do {
      const res = await t.http
        .get(`/api/vendors/${pagedVendorId}/signals`)
        .query({ limit, ...(cursor ? { cursor } : {}) })
        .set(auth(manager));
      expect(res.status).toBe(200);
      const page = res.body as { openSignals: { id: string; level: string }[]; openTotal: number; nextCursor: string | null };
      first ??= res.body as Record<string, unknown>;
      expect(page.openSignals.length).toBeLessThanOrEqual(limit);
      expect(page.openTotal).toBe(OPEN);
      seen.push(...page.openSignals);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(Math.ceil(OPEN / limit));
    expect(new Set(seen.map((s) => s.id)).size).toBe(OPEN);
    // Worst first across pages: every degraded signal before every operational one.
    const levels = seen.map((s) => s.level);
    expect(levels.lastIndexOf('degraded')).toBeLessThan(levels.indexOf('operational'));
    expect(first).toMatchObject({
      level: 'degraded',
      openByLevel: expect.arrayContaining([
        { level: 'degraded', count: DEGRADED },
        { level: 'operational', count: OPEN - DEGRADED },
      ]),
    });

    // Without a limit the page is bounded too.
    const whole = (await t.http.get(`/api/vendors/${pagedVendorId}/signals`).set(auth(manager))).body;
    expect(whole.openSignals.length).toBeLessThanOrEqual(50);
    expect(whole.openTotal).toBe(OPEN);
    expect(whole.nextCursor).toEqual(expect.any(String));

    const degraded = ((await t.http.get('/api/signals/degraded').set(auth(manager))).body as { vendorId: string }[]).find(
      (d) => d.vendorId === pagedVendorId,
    );
    expect(degraded).toMatchObject({ level: 'degraded', openSignals: DEGRADED, worst: { level: 'degraded' } });
  });

  it('refuses a page size over 200 or a bad cursor with 422 naming the parameter', async () => {
    const big = await t.http.get(`/api/vendors/${pagedVendorId}/signals`).query({ limit: 201 }).set(auth(manager));
    expect(big.status).toBe(422);
    expect(big.body.error.fields[0].path).toMatch(/limit/);
    const bad = await t.http.get(`/api/vendors/${pagedVendorId}/signals`).query({ cursor: 'not-a-cursor' }).set(auth(manager));
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields[0].path).toMatch(/cursor/);
  });
});

describe('the rollup in the database', () => {
  it('counts only the services in use and, where both name regions, the regions in use, as before', async () => {
    const intake = { servedCriticality: 'high', dataSensitivity: 'internal', aiModelProvider: false, substitutability: 'moderate' };
    const vendor = (await t.http.post('/api/vendors').set(auth(manager)).send({ name: 'Regions Co', intake })).body;
    const service = async (name: string, regions: string[]) =>
      (await t.http.post('/api/services').set(auth(manager)).send({ vendorId: vendor.id, name, kind: 'cloud_infrastructure', regions }))
        .body.id as string;
    const used = await service('Used Compute', ['eastus']);
    const unused = await service('Unused Storage', []);
    const [system] = await ds.query(`SELECT id, name FROM internal_systems WHERE name = 'Document Intelligence'`);
    expect(
      (await t.http.post('/api/dependencies').set(auth(manager)).send({ systemId: system.id, serviceId: used, criticality: 'high' }))
        .status,
    ).toBe(201);
    const source = (
      await t.http
        .post('/api/signal-sources')
        .set(auth(manager))
        .send({ vendorId: vendor.id, plugin: 'statuspage', config: {}, scheduleSeconds: 3600, enabled: false })
    ).body;
    const rows: [string, string | null, string | null, string, number | null][] = [
      ['wide-eastus', null, 'eastus', 'degraded', 2],
      ['wide-brazil', null, 'brazilsouth', 'major_outage', 4], // a region not in use
      ['unused', unused, null, 'major_outage', 4], // a service not in use
      ['used', used, null, 'partial_outage', 3],
      ['wide-global', null, 'global', 'info', 1],
    ];
    for (const [id, serviceId, region, level, severity] of rows)
      await ds.query(
        `INSERT INTO signals (organization_id, vendor_id, service_id, source_id, dedupe_key, external_id, signal_type, region, level, severity, title, content_hash, provider_updated_at)
         SELECT organization_id, id, $2::uuid, $3::uuid, $3::text || ':' || $4::text, $4::text, 'component_status', $5::text, $6::text, $7::smallint, $4::text, md5($4::text), now() FROM vendors WHERE id = $1`,
        [vendor.id, serviceId, source.id, id, region, level, severity],
      );
    const s = (await t.http.get(`/api/vendors/${vendor.id}/signals`).set(auth(manager))).body;
    expect(s).toMatchObject({ level: 'partial_outage', openTotal: 3, nextCursor: null });
    expect(s.openSignals.map((x: { externalId: string }) => x.externalId)).toEqual(['used', 'wide-eastus', 'wide-global']);
    expect(s.services).toEqual(
      expect.arrayContaining([
        // The source is disabled: what it recorded counts, but nothing watches the vendor now.
        { serviceId: null, serviceName: 'Vendor-wide', level: 'degraded', openCount: 2, monitoring: 'not_monitored' },
        { serviceId: used, serviceName: 'Used Compute', level: 'partial_outage', openCount: 1, monitoring: 'not_monitored' },
        { serviceId: unused, serviceName: 'Unused Storage', level: null, openCount: 0, monitoring: 'not_monitored' },
      ]),
    );
    const entry = ((await t.http.get('/api/signals/degraded').set(auth(manager))).body as { vendorId: string }[]).find(
      (d) => d.vendorId === vendor.id,
    );
    expect(entry).toMatchObject({ level: 'partial_outage', openSignals: 2, worst: { externalId: 'used' }, affectedSystems: [system.name] });
  });
});
