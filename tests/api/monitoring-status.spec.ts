import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFixtureServer, type FixtureServer } from '@bulwark/plugin-sdk/testing';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { ROOT } from '../support/services';
import { pollAndWait } from '../support/wait';

/**
 * A null level must never pass for "operational": every vendor summary, service row and portfolio
 * status says whether anything watches it (`monitoring`), and the portfolio lists the critical
 * dependencies that nothing watches.
 */
const healthy = readFileSync(join(ROOT, 'plugins', 'statuspage', 'fixtures', 'handwritten-summary-healthy.json'));

let t: TestApp;
let up: FixtureServer;
let down: FixtureServer;
let ds: DataSource;
let manager: string;
let systemId: string;

interface Fixture {
  vendorId: string;
  serviceId: string;
  dependencyId: string;
  sourceId: string | null;
}
const vendors: Record<'none' | 'disabled' | 'watched' | 'failing' | 'stale', Fixture> = {} as never;

/** A vendor with one service that a critical system depends on, and optionally a source. */
async function vendorWith(name: string, source?: { baseUrl: string; enabled: boolean }): Promise<Fixture> {
  const intake = { servedCriticality: 'critical', dataSensitivity: 'internal', aiModelProvider: false, substitutability: 'moderate' };
  const vendor = await t.http.post('/api/vendors').set(auth(manager)).send({ name, intake });
  expect(vendor.status).toBe(201);
  const service = await t.http
    .post('/api/services')
    .set(auth(manager))
    .send({ vendorId: vendor.body.id, name: `${name} API`, kind: 'saas' });
  expect(service.status).toBe(201);
  const dep = await t.http
    .post('/api/dependencies')
    .set(auth(manager))
    .send({ systemId, serviceId: service.body.id, criticality: 'medium' });
  expect(dep.status).toBe(201);
  let sourceId: string | null = null;
  if (source) {
    const created = await t.http
      .post('/api/signal-sources')
      .set(auth(manager))
      .send({
        vendorId: vendor.body.id,
        plugin: 'statuspage',
        config: { baseUrl: source.baseUrl },
        scheduleSeconds: 3600,
        enabled: source.enabled,
      });
    expect(created.status).toBe(201);
    sourceId = created.body.id;
  }
  return { vendorId: vendor.body.id, serviceId: service.body.id, dependencyId: dep.body.id, sourceId };
}

beforeAll(async () => {
  up = await startFixtureServer({
    '/api/v2/summary.json': { body: healthy },
    '/api/v2/incidents.json': { status: 404, body: 'not found' },
  });
  down = await startFixtureServer({
    '/api/v2/summary.json': { status: 503, body: 'unavailable', headers: { 'content-type': 'text/plain' } },
    '/api/v2/incidents.json': { status: 503, body: 'unavailable', headers: { 'content-type': 'text/plain' } },
  });
  t = await bootApp({ FEED_ALLOWED_HOSTS: '127.0.0.1:*' });
  await seedOrgs(t, false);
  ds = t.app.get(DataSource);
  manager = await login(t, 'manager@demo.bulwark.test');
  const system = await t.http
    .post('/api/systems')
    .set(auth(manager))
    .send({ name: 'Monitoring test model', riskClass: 'high', criticality: 'critical', requiredRtoMinutes: 60, requiredRpoMinutes: 15 });
  expect(system.status).toBe(201);
  systemId = system.body.id;

  vendors.none = await vendorWith('Nosource Co');
  vendors.disabled = await vendorWith('Disabled Co', { baseUrl: up.url, enabled: false });
  vendors.watched = await vendorWith('Watched Co', { baseUrl: up.url, enabled: true });
  vendors.failing = await vendorWith('Failing Co', { baseUrl: down.url, enabled: true });
  vendors.stale = await vendorWith('Stale Co', { baseUrl: up.url, enabled: true });
  expect(await pollAndWait(t, manager, vendors.watched.sourceId!)).toMatchObject({ status: 'ok' });
  expect(await pollAndWait(t, manager, vendors.failing.sourceId!)).toMatchObject({ status: 'failing' });
  expect(await pollAndWait(t, manager, vendors.stale.sourceId!)).toMatchObject({ status: 'ok' });
  // No successful read (and no poll) for four schedule periods, derived from the clock.
  await ds.query(
    `UPDATE signal_sources SET last_success_at = now() - make_interval(secs => 4 * schedule_seconds), last_poll_at = now() - make_interval(secs => 4 * schedule_seconds) WHERE id = $1`,
    [vendors.stale.sourceId],
  );
}, 60_000);

afterAll(async () => {
  await t?.close();
  await up?.close();
  await down?.close();
});

interface Summary {
  level: string | null;
  monitoring: string;
  services: { serviceId: string | null; level: string | null; monitoring: string }[];
}
const summary = async (f: Fixture): Promise<Summary> => {
  const res = await t.http.get(`/api/vendors/${f.vendorId}/signals`).set(auth(manager));
  expect(res.status).toBe(200);
  return res.body as Summary;
};
interface Status {
  vendorId: string;
  level: string | null;
  monitoring: string;
  unwatchedCritical: { dependencyId: string; serviceId: string; systemName: string; criticality: string; monitoring: string }[];
}
const statuses = async (): Promise<Status[]> => {
  const res = await t.http.get('/api/signals/status').set(auth(manager));
  expect(res.status).toBe(200);
  return res.body as Status[];
};
const statusOf = (all: Status[], f: Fixture) => all.find((s) => s.vendorId === f.vendorId)!;
const serviceRow = (s: Summary, f: Fixture) => s.services.find((x) => x.serviceId === f.serviceId)!;

describe('monitoring state', () => {
  it('a vendor with no source is not monitored, with no level, and its critical dependency is listed', async () => {
    const s = await summary(vendors.none);
    expect(s).toMatchObject({ level: null, monitoring: 'not_monitored' });
    expect(serviceRow(s, vendors.none)).toMatchObject({ level: null, monitoring: 'not_monitored' });
    const st = statusOf(await statuses(), vendors.none);
    expect(st).toMatchObject({ level: null, monitoring: 'not_monitored' });
    // The dependency is medium, the system relying on it critical: it must be watched.
    expect(st.unwatchedCritical).toEqual([
      expect.objectContaining({
        dependencyId: vendors.none.dependencyId,
        serviceId: vendors.none.serviceId,
        systemName: 'Monitoring test model',
        criticality: 'critical',
        monitoring: 'not_monitored',
      }),
    ]);
  });

  it('a disabled source watches nothing', async () => {
    const s = await summary(vendors.disabled);
    expect(s).toMatchObject({ level: null, monitoring: 'not_monitored' });
    expect(serviceRow(s, vendors.disabled).monitoring).toBe('not_monitored');
    expect(statusOf(await statuses(), vendors.disabled).unwatchedCritical.map((d) => d.monitoring)).toEqual(['not_monitored']);
  });

  it('a source that reads its feed makes the vendor monitored, and its level operational', async () => {
    const s = await summary(vendors.watched);
    expect(s).toMatchObject({ level: 'operational', monitoring: 'monitored' });
    expect(serviceRow(s, vendors.watched).monitoring).toBe('monitored');
    expect(statusOf(await statuses(), vendors.watched)).toMatchObject({
      level: 'operational',
      monitoring: 'monitored',
      unwatchedCritical: [],
    });
  });

  it('a source whose latest poll failed is failing', async () => {
    const s = await summary(vendors.failing);
    expect(s).toMatchObject({ level: 'unknown', monitoring: 'failing' });
    expect(serviceRow(s, vendors.failing).monitoring).toBe('failing');
    const st = statusOf(await statuses(), vendors.failing);
    expect(st).toMatchObject({ level: 'unknown', monitoring: 'failing' });
    expect(st.unwatchedCritical.map((d) => d.monitoring)).toEqual(['failing']);
  });

  it('a source with no read for more than three schedule periods is stale, though its old rows still say operational', async () => {
    const s = await summary(vendors.stale);
    expect(s).toMatchObject({ level: 'operational', monitoring: 'stale' });
    expect(serviceRow(s, vendors.stale).monitoring).toBe('stale');
    const st = statusOf(await statuses(), vendors.stale);
    expect(st).toMatchObject({ monitoring: 'stale' });
    expect(st.unwatchedCritical.map((d) => d.monitoring)).toEqual(['stale']);
  });

  it('lists every vendor of the organization once, the demo ones (no enabled source) not monitored', async () => {
    const all = await statuses();
    const names = (await ds.query(
      `SELECT v.id FROM vendors v JOIN organizations o ON o.id = v.organization_id WHERE o.slug = 'demo-org'`,
    )) as {
      id: string;
    }[];
    expect(all.map((s) => s.vendorId).sort()).toEqual(names.map((n) => n.id).sort());
    const bloomberg = (await ds.query(`SELECT id FROM vendors WHERE name = 'Bloomberg'`)) as { id: string }[];
    expect(all.find((s) => s.vendorId === bloomberg[0]!.id)).toMatchObject({ level: null, monitoring: 'not_monitored' });
  });
});
