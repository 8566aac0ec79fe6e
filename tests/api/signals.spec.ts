import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFixtureServer, type FixtureServer } from '@bulwark/plugin-sdk/testing';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { ROOT } from '../support/services';
import { pollAndWait, until } from '../support/wait';

const FIX = join(ROOT, 'plugins', 'statuspage', 'fixtures');
const github = readFileSync(join(FIX, 'github-2022-11-25-summary-active-major-incident.json'));
const healthy = readFileSync(join(FIX, 'handwritten-summary-healthy.json'));

let t: TestApp;
let feed: FixtureServer;
let manager: string;
let ds: DataSource;
let openai: { vendorId: string; serviceId: string };

beforeAll(async () => {
  feed = await startFixtureServer({
    '/api/v2/summary.json': { body: github },
    '/api/v2/incidents.json': { status: 404, body: 'not found' },
  });
  t = await bootApp({ FEED_ALLOWED_HOSTS: '127.0.0.1:*' });
  await seedOrgs(t, false);
  ds = t.app.get(DataSource);
  manager = await login(t, 'manager@demo.bulwark.test');
  const [row] = await ds.query(
    `SELECT v.id AS vendor_id, s.id AS service_id FROM vendors v JOIN services s ON s.vendor_id = v.id WHERE v.name = 'OpenAI' AND s.name = 'OpenAI API'`,
  );
  openai = { vendorId: row.vendor_id, serviceId: row.service_id };
});
afterAll(async () => {
  await t?.close();
  await feed?.close();
});

describe('plugins and the test button', () => {
  it('lists the plugins with their config as JSON Schema', async () => {
    const res = await t.http.get('/api/plugins').set(auth(manager));
    expect(res.status).toBe(200);
    const statuspage = res.body.find((p: { id: string }) => p.id === 'statuspage');
    expect(statuspage).toMatchObject({ kind: 'health', push: false });
    expect(statuspage.configSchema.properties.baseUrl).toMatchObject({ type: 'string' });
    // Score models come from the plugins, so the portal knows no model names or zones of its own.
    expect(statuspage.scoreModels).toEqual([]);
    const secEdgar = res.body.find((p: { id: string }) => p.id === 'sec-edgar');
    expect(secEdgar.scoreModels).toEqual([
      { key: 'altman-z', label: 'Altman Z', zones: { distress: 1.81, safe: 2.99 } },
      { key: 'altman-z-double-prime', label: 'Altman Z″', zones: { distress: 1.1, safe: 2.6 } },
    ]);
  });

  it('runs a plugin once and shows what would be ingested, storing nothing', async () => {
    // The demo organizations come with signal history; the test run must add nothing to it.
    const before = (await ds.query(`SELECT count(*)::int AS n FROM signals`))[0].n;
    const res = await t.http
      .post('/api/signal-sources/test')
      .set(auth(manager))
      .send({ plugin: 'statuspage', config: { baseUrl: feed.url } });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    const incident = res.body.signals.find((s: { signalType: string }) => s.signalType === 'service_incident');
    expect(incident).toMatchObject({ level: 'partial_outage', lifecycle: 'open' });
    // The plugin's own check of the settings, next to what the poll found.
    expect(res.body.selfTest).toEqual({ ok: true, message: expect.stringMatching(/GitHub: .*components, 1 unresolved incidents/) });
    expect((await ds.query(`SELECT count(*)::int AS n FROM signals`))[0].n).toBe(before);
  });

  it('refuses private and metadata addresses through the SSRF-safe client', async () => {
    for (const baseUrl of ['http://169.254.169.254', 'http://10.0.0.1', 'http://[::1]:3000']) {
      const res = await t.http.post('/api/signal-sources/test').set(auth(manager)).send({ plugin: 'statuspage', config: { baseUrl } });
      expect(res.status).toBe(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.error).toMatch(/not a public address/);
      expect(res.body.selfTest).toMatchObject({ ok: false, message: expect.stringMatching(/not a public address/) });
    }
  });

  it('rejects an unknown plugin or an invalid config with 422 naming the field', async () => {
    const unknown = await t.http.post('/api/signal-sources/test').set(auth(manager)).send({ plugin: 'nope', config: {} });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.fields[0].path).toBe('plugin');
    const bad = await t.http
      .post('/api/signal-sources')
      .set(auth(manager))
      .send({ vendorId: openai.vendorId, plugin: 'statuspage', config: { baseUrl: 'ftp://x' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields[0].path).toBe('config.baseUrl');
  });
});

describe('a polled source', () => {
  let sourceId: string;

  it('is created, polled by the worker path, and its signals appear on the vendor', async () => {
    const res = await t.http
      .post('/api/signal-sources')
      .set(auth(manager))
      .send({
        vendorId: openai.vendorId,
        serviceId: openai.serviceId,
        plugin: 'statuspage',
        config: { baseUrl: feed.url },
        scheduleSeconds: 3600,
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'pending', serviceName: 'OpenAI API', enabled: true });
    sourceId = res.body.id;
    const polled = await pollAndWait(t, manager, sourceId);
    expect(polled).toMatchObject({ status: 'ok', consecutiveFailures: 0, lastError: null });
    const signals = await t.http.get('/api/signals').query({ vendorId: openai.vendorId, pageSize: 200 }).set(auth(manager));
    expect(signals.body.total).toBeGreaterThan(5);
    const summary = await t.http.get(`/api/vendors/${openai.vendorId}/signals`).set(auth(manager));
    expect(summary.body.level).toBe('partial_outage');
    expect(summary.body.services.find((s: { serviceName: string }) => s.serviceName === 'OpenAI API').level).toBe('partial_outage');
    const degraded = await t.http.get('/api/signals/degraded').set(auth(manager));
    expect(degraded.body.find((d: { vendorName: string }) => d.vendorName === 'OpenAI')).toMatchObject({
      level: 'partial_outage',
      affectedSystems: ['Customer Support Assistant'],
    });
  });

  it('lists an open incident in every range after its start (from=), not in a range that ended before', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const later = await t.http.get('/api/signals').query({ sourceId, from: today, pageSize: 200 }).set(auth(manager));
    expect(later.status).toBe(200);
    // Updated last on 2022-11-25 and still open: it overlaps today.
    expect(later.body.items.map((s: { externalId: string }) => s.externalId)).toContain('incident:ljwdk6qml8z8');
    const before = await t.http
      .get('/api/signals')
      .query({ sourceId, from: '2022-01-01', to: '2022-11-24', pageSize: 200 })
      .set(auth(manager));
    expect(before.body.items.map((s: { externalId: string }) => s.externalId)).not.toContain('incident:ljwdk6qml8z8');
  });

  it('polling again stores nothing new', async () => {
    const count = async () => (await ds.query(`SELECT count(*)::int AS n FROM signals WHERE source_id = $1`, [sourceId]))[0].n;
    const before = await count();
    await pollAndWait(t, manager, sourceId);
    expect(await count()).toBe(before);
  });

  const openIds = async () =>
    (
      await ds.query(
        `SELECT external_id FROM signals WHERE source_id = $1 AND signal_type <> 'source_status' AND resolved_at IS NULL AND coalesce(lifecycle, '') NOT IN ('resolved', 'completed') ORDER BY 1`,
        [sourceId],
      )
    ).map((r: { external_id: string }) => r.external_id);

  it('records unknown, never operational, when the feed cannot be parsed; the rollup says unknown; nothing is resolved', async () => {
    const openBefore = await openIds();
    expect(openBefore).toContain('incident:ljwdk6qml8z8');
    // All components of the page operational, no incident: the old component rows alone say "operational".
    feed.routes['/api/v2/summary.json'] = { body: '<html><body>Maintenance page</body></html>', headers: { 'content-type': 'text/html' } };
    const polled = await pollAndWait(t, manager, sourceId);
    expect(polled).toMatchObject({ status: 'failing', consecutiveFailures: 1 });
    expect(String(polled['lastError'])).toMatch(/parse/i);
    const [marker] = await ds.query(`SELECT level FROM signals WHERE source_id = $1 AND signal_type = 'source_status'`, [sourceId]);
    expect(marker.level).toBe('unknown');
    expect(await openIds()).toEqual(openBefore);

    // The source's part of the rollup is unknown, the same on the vendor page and in the degraded view.
    const summary = (await t.http.get(`/api/vendors/${openai.vendorId}/signals`).set(auth(manager))).body;
    expect(summary.services.find((s: { serviceName: string }) => s.serviceName === 'OpenAI API').level).toBe('unknown');
    expect(summary.level).toBe('unknown');
    const degraded = (await t.http.get('/api/signals/degraded').set(auth(manager))).body;
    expect(degraded.find((d: { vendorName: string }) => d.vendorName === 'OpenAI')).toMatchObject({
      level: 'unknown',
      worst: { signalType: 'source_status' },
    });
  });

  it('a vendor contact sees the signals and the source status, never its settings or errors', async () => {
    const contact = await login(t, 'contact@openai.demo.bulwark.test');
    const asManager = (await t.http.get(`/api/vendors/${openai.vendorId}/signals`).set(auth(manager))).body;
    expect(asManager.sources.find((x: { id: string }) => x.id === sourceId)).toMatchObject({
      config: { baseUrl: feed.url },
      lastError: expect.stringMatching(/parse/i),
    });
    const res = await t.http.get(`/api/vendors/${openai.vendorId}/signals`).set(auth(contact));
    expect(res.status).toBe(200);
    expect(res.body.level).toBe(asManager.level);
    expect(res.body.openSignals.length).toBe(asManager.openSignals.length);
    const mine = res.body.sources.find((x: { id: string }) => x.id === sourceId);
    expect(mine).toMatchObject({ status: 'failing', config: {}, secretsSet: [], lastError: null, webhookUrl: null });
    for (const src of res.body.sources) expect(src).toMatchObject({ config: {}, lastError: null });
    expect(res.body.openSignals.find((x: { signalType: string }) => x.signalType === 'source_status')).toMatchObject({
      level: 'unknown',
      detail: null,
    });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(feed.url);
    expect(text).not.toMatch(/HTML page|Maintenance page/);
  });

  it('a successful complete poll resolves what the feed no longer lists, at the poll time, with history', async () => {
    const openBefore = await openIds();
    const prev = (await t.http.get(`/api/signal-sources/${sourceId}`).set(auth(manager))).body.lastPollAt as string;
    feed.routes['/api/v2/summary.json'] = { body: healthy };
    const recovered = await pollAndWait(t, manager, sourceId);
    expect(recovered).toMatchObject({ status: 'ok', consecutiveFailures: 0 });
    expect(await ds.query(`SELECT level FROM signals WHERE source_id = $1 AND signal_type = 'source_status'`, [sourceId])).toEqual([]);
    const [incident] = await ds.query(
      `SELECT id, lifecycle, resolved_at FROM signals WHERE source_id = $1 AND external_id = 'incident:ljwdk6qml8z8'`,
      [sourceId],
    );
    expect(incident.lifecycle).toBe('resolved');
    expect(incident.resolved_at.getTime()).toBeGreaterThan(new Date(prev).getTime());
    expect(incident.resolved_at.getTime()).toBeLessThanOrEqual(new Date(recovered['lastPollAt'] as string).getTime());
    const history = await ds.query(
      `SELECT lifecycle, provider_updated_at FROM signal_changes WHERE signal_id = $1 ORDER BY provider_updated_at`,
      [incident.id],
    );
    expect(history.map((h: { lifecycle: string }) => h.lifecycle)).toEqual(['open', 'resolved']);
    expect(history[1].provider_updated_at).toEqual(incident.resolved_at);
    const openAfter = await openIds();
    expect(openAfter.every((id: string) => !openBefore.includes(id) || id.startsWith('component:') || id.startsWith('page:'))).toBe(true);
    expect(openAfter).not.toContain('incident:ljwdk6qml8z8');
    // Polling the same healthy feed again resolves and records nothing more.
    const changes = async () =>
      (
        await ds.query(`SELECT count(*)::int AS n FROM signal_changes c JOIN signals s ON s.id = c.signal_id WHERE s.source_id = $1`, [
          sourceId,
        ])
      )[0].n;
    const n = await changes();
    await pollAndWait(t, manager, sourceId);
    expect(await changes()).toBe(n);
    expect(await openIds()).toEqual(openAfter);
  });

  it('a narrowed filter takes effect at once: the config change polls, and what it no longer watches is resolved', async () => {
    const before = (await t.http.get(`/api/signal-sources/${sourceId}`).set(auth(manager))).body.lastPollAt;
    const res = await t.http
      .patch(`/api/signal-sources/${sourceId}`)
      .set(auth(manager))
      .send({ config: { components: ['API'] } });
    expect(res.status).toBe(200);
    await until('the poll after the config change', async () => {
      const s = (await t.http.get(`/api/signal-sources/${sourceId}`).set(auth(manager))).body;
      return s.lastPollAt !== before && s.status === 'ok' ? s : undefined;
    });
    // Only the API component is watched now; the page rollup is page-wide, so it goes too.
    expect(await openIds()).toEqual(['component:8l4ygp009s5s']);
  });

  it('is disabled and deleted with audit entries, and its schedule goes with it; its signals stay in the history', async () => {
    const recorded = await ds.query(`SELECT id FROM signals WHERE dedupe_key LIKE $1 ORDER BY id`, [`${sourceId}:%`]);
    const changeIds = async (signalIds: string[]) =>
      (await ds.query(`SELECT id FROM signal_changes WHERE signal_id = ANY($1::uuid[]) ORDER BY id`, [signalIds])).map(
        (r: { id: string }) => r.id,
      );
    const history = await changeIds(recorded.map((r: { id: string }) => r.id));
    expect(recorded.length).toBeGreaterThan(5);
    const off = await t.http.patch(`/api/signal-sources/${sourceId}`).set(auth(manager)).send({ enabled: false });
    expect(off.body).toMatchObject({ enabled: false, status: 'disabled' });
    expect((await t.http.post(`/api/signal-sources/${sourceId}/poll`).set(auth(manager))).status).toBe(409);
    expect((await t.http.delete(`/api/signal-sources/${sourceId}`).set(auth(manager))).status).toBe(204);
    const actions = (await ds.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [sourceId])).map(
      (r: { action: string }) => r.action,
    );
    expect(actions).toEqual(['signal_source.created', 'signal_source.updated', 'signal_source.updated', 'signal_source.deleted']);
    // The signals and their history stay, without a source; nothing is left open that nobody watches.
    const kept = await ds.query(`SELECT id, source_id, resolved_at FROM signals WHERE dedupe_key LIKE $1 ORDER BY id`, [`${sourceId}:%`]);
    expect(kept.map((r: { id: string }) => r.id)).toEqual(recorded.map((r: { id: string }) => r.id));
    expect(kept.every((r: { source_id: string | null; resolved_at: Date | null }) => r.source_id === null && r.resolved_at !== null)).toBe(
      true,
    );
    const ids = kept.map((r: { id: string }) => r.id);
    expect(await changeIds(ids)).toEqual(expect.arrayContaining(history));
    const listed = await t.http.get('/api/signals').query({ vendorId: openai.vendorId, pageSize: 200 }).set(auth(manager));
    expect(
      listed.body.items.some(
        (s: { externalId: string; sourceId: string | null }) => s.externalId === 'incident:ljwdk6qml8z8' && s.sourceId === null,
      ),
    ).toBe(true);
    expect((await t.http.get(`/api/vendors/${openai.vendorId}/signals`).set(auth(manager))).status).toBe(200);
  });

  it('deleting the demo status-page source keeps the SLA attainment it measured', async () => {
    const [sla] = await ds.query(`SELECT id FROM slas WHERE vendor_id = $1 LIMIT 1`, [openai.vendorId]);
    const now = new Date();
    const month = (d: Date) => d.toISOString().slice(0, 7);
    const range = { from: month(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 6, 1))), to: month(now) };
    const before = await t.http.get(`/api/slas/${sla.id}/attainment`).query(range).set(auth(manager));
    expect(before.status).toBe(200);
    expect(before.body.some((w: { downtimeMinutes: number; open: boolean }) => !w.open && w.downtimeMinutes > 0)).toBe(true);
    const demo: { id: string }[] = await ds.query(
      `SELECT id FROM signal_sources WHERE vendor_id = $1 AND name LIKE 'OpenAI status page%'`,
      [openai.vendorId],
    );
    expect(demo.length).toBeGreaterThan(0);
    for (const d of demo) expect((await t.http.delete(`/api/signal-sources/${d.id}`).set(auth(manager))).status).toBe(204);
    const after = await t.http.get(`/api/slas/${sla.id}/attainment`).query(range).set(auth(manager));
    // Closed windows are final; the open one moves with the clock.
    const closed = (body: { open: boolean }[]) => body.filter((w) => !w.open);
    expect(closed(before.body).length).toBeGreaterThan(3);
    expect(closed(after.body)).toEqual(closed(before.body));
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
