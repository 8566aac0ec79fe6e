import { startFixtureServer, type FixtureServer } from '@bulwark/plugin-sdk/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { ROOT } from '../support/services';

const FIX = join(ROOT, 'plugins', 'statuspage', 'fixtures');
const github = readFileSync(join(FIX, 'github-2022-11-25-summary-active-major-incident.json'));
const healthy = readFileSync(join(FIX, 'handwritten-summary-healthy.json'));

let t: TestApp;
let feed: FixtureServer;
let manager: string;
let ds: DataSource;
let openai: { vendorId: string; serviceId: string };

async function until<T>(fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  feed = await startFixtureServer({ '/api/v2/summary.json': { body: github }, '/api/v2/incidents.json': { status: 404, body: 'not found' } });
  t = await bootApp({ FEED_ALLOWED_HOSTS: '127.0.0.1' });
  await seedOrgs(t, false);
  ds = t.app.get(DataSource);
  manager = await login(t, 'manager@demo.bulwark.test');
  const [row] = await ds.query(`SELECT v.id AS vendor_id, s.id AS service_id FROM vendors v JOIN services s ON s.vendor_id = v.id WHERE v.name = 'OpenAI' AND s.name = 'OpenAI API'`);
  openai = { vendorId: row.vendor_id, serviceId: row.service_id };
});
afterAll(async () => {
  await t?.close();
  await feed?.close();
});

async function pollAndWait(sourceId: string): Promise<Record<string, unknown>> {
  const before = (await t.http.get(`/api/signal-sources/${sourceId}`).set(auth(manager))).body.lastPollAt;
  expect((await t.http.post(`/api/signal-sources/${sourceId}/poll`).set(auth(manager))).status).toBe(202);
  return until(async () => {
    const s = (await t.http.get(`/api/signal-sources/${sourceId}`).set(auth(manager))).body;
    return s.lastPollAt && s.lastPollAt !== before ? s : undefined;
  });
}

describe('plugins and the test button', () => {
  it('lists the plugins with their config as JSON Schema', async () => {
    const res = await t.http.get('/api/plugins').set(auth(manager));
    expect(res.status).toBe(200);
    const statuspage = res.body.find((p: { id: string }) => p.id === 'statuspage');
    expect(statuspage).toMatchObject({ kind: 'health', push: false });
    expect(statuspage.configSchema.properties.baseUrl).toMatchObject({ type: 'string' });
  });

  it('runs a plugin once and shows what would be ingested, storing nothing', async () => {
    // The demo organizations come with signal history; the test run must add nothing to it.
    const before = (await ds.query(`SELECT count(*)::int AS n FROM signals`))[0].n;
    const res = await t.http.post('/api/signal-sources/test').set(auth(manager)).send({ plugin: 'statuspage', config: { baseUrl: feed.url } });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    const incident = res.body.signals.find((s: { signalType: string }) => s.signalType === 'service_incident');
    expect(incident).toMatchObject({ level: 'partial_outage', lifecycle: 'open' });
    expect((await ds.query(`SELECT count(*)::int AS n FROM signals`))[0].n).toBe(before);
  });

  it('refuses private and metadata addresses through the SSRF-safe client', async () => {
    for (const baseUrl of ['http://169.254.169.254', 'http://10.0.0.1', 'http://[::1]:3000']) {
      const res = await t.http.post('/api/signal-sources/test').set(auth(manager)).send({ plugin: 'statuspage', config: { baseUrl } });
      expect(res.status).toBe(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.error).toMatch(/not a public address/);
    }
  });

  it('rejects an unknown plugin or an invalid config with 422 naming the field', async () => {
    const unknown = await t.http.post('/api/signal-sources/test').set(auth(manager)).send({ plugin: 'nope', config: {} });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.fields[0].path).toBe('plugin');
    const bad = await t.http.post('/api/signal-sources').set(auth(manager)).send({ vendorId: openai.vendorId, plugin: 'statuspage', config: { baseUrl: 'ftp://x' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields[0].path).toBe('config.baseUrl');
  });
});

describe('a polled source', () => {
  let sourceId: string;

  it('is created, polled by the worker path, and its signals appear on the vendor', async () => {
    const res = await t.http.post('/api/signal-sources').set(auth(manager)).send({ vendorId: openai.vendorId, serviceId: openai.serviceId, plugin: 'statuspage', config: { baseUrl: feed.url }, scheduleSeconds: 3600 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'pending', serviceName: 'OpenAI API', enabled: true });
    sourceId = res.body.id;
    const polled = await pollAndWait(sourceId);
    expect(polled).toMatchObject({ status: 'ok', consecutiveFailures: 0, lastError: null });
    const signals = await t.http.get('/api/signals').query({ vendorId: openai.vendorId, pageSize: 200 }).set(auth(manager));
    expect(signals.body.total).toBeGreaterThan(5);
    const summary = await t.http.get(`/api/vendors/${openai.vendorId}/signals`).set(auth(manager));
    expect(summary.body.level).toBe('partial_outage');
    expect(summary.body.services.find((s: { serviceName: string }) => s.serviceName === 'OpenAI API').level).toBe('partial_outage');
    const degraded = await t.http.get('/api/signals/degraded').set(auth(manager));
    expect(degraded.body.find((d: { vendorName: string }) => d.vendorName === 'OpenAI')).toMatchObject({ level: 'partial_outage', affectedSystems: ['Customer Support Assistant'] });
  });

  it('polling again stores nothing new', async () => {
    const count = async () => (await ds.query(`SELECT count(*)::int AS n FROM signals WHERE source_id = $1`, [sourceId]))[0].n;
    const before = await count();
    await pollAndWait(sourceId);
    expect(await count()).toBe(before);
  });

  it('records unknown, never operational, when the feed cannot be parsed', async () => {
    feed.routes['/api/v2/summary.json'] = { body: '<html><body>Maintenance page</body></html>', headers: { 'content-type': 'text/html' } };
    const polled = await pollAndWait(sourceId);
    expect(polled).toMatchObject({ status: 'failing', consecutiveFailures: 1 });
    expect(String(polled['lastError'])).toMatch(/parse/i);
    const [marker] = await ds.query(`SELECT level FROM signals WHERE source_id = $1 AND signal_type = 'source_status'`, [sourceId]);
    expect(marker.level).toBe('unknown');
    feed.routes['/api/v2/summary.json'] = { body: healthy };
    const recovered = await pollAndWait(sourceId);
    expect(recovered).toMatchObject({ status: 'ok', consecutiveFailures: 0 });
    expect(await ds.query(`SELECT level FROM signals WHERE source_id = $1 AND signal_type = 'source_status'`, [sourceId])).toEqual([]);
  });

  it('is disabled and deleted with audit entries, and its schedule goes with it', async () => {
    const off = await t.http.patch(`/api/signal-sources/${sourceId}`).set(auth(manager)).send({ enabled: false });
    expect(off.body).toMatchObject({ enabled: false, status: 'disabled' });
    expect((await t.http.post(`/api/signal-sources/${sourceId}/poll`).set(auth(manager))).status).toBe(409);
    expect((await t.http.delete(`/api/signal-sources/${sourceId}`).set(auth(manager))).status).toBe(204);
    const actions = (await ds.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [sourceId])).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['signal_source.created', 'signal_source.updated', 'signal_source.deleted']);
  });
});

describe('who sees signals', () => {
  it('a vendor contact reads their own vendor rollup but not the portfolio, nor another vendor', async () => {
    const contact = await login(t, 'contact@openai.demo.bulwark.test');
    expect((await t.http.get(`/api/vendors/${openai.vendorId}/signals`).set(auth(contact))).status).toBe(200);
    expect((await t.http.get('/api/signals').set(auth(contact))).status).toBe(403);
    expect((await t.http.get('/api/signal-sources').set(auth(contact))).status).toBe(403);
    const [other] = await ds.query(`SELECT id FROM vendors WHERE name = 'Bloomberg'`);
    expect((await t.http.get(`/api/vendors/${other.id}/signals`).set(auth(contact))).status).toBe(403);
  });
});
