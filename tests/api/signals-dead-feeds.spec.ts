import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFixtureServer, type FixtureServer } from '@bulwark/plugin-sdk/testing';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { ROOT } from '../support/services';
import { pollAndWait, until } from '../support/wait';

/**
 * A dead feed must not leave the vendor green: whatever makes a poll fail (a timeout, a 5xx, an
 * over-size body, a refused address, not only an unreadable body) turns the source's share of the
 * rollup to `unknown`, and a source that has not read its feed for a few schedule periods shows as
 * `stale` wherever its status is shown.
 */
const healthy = readFileSync(join(ROOT, 'plugins', 'statuspage', 'fixtures', 'handwritten-summary-healthy.json'));
const MAX_BYTES = 4096;

let t: TestApp;
let feed: FixtureServer;
let ds: DataSource;
let manager: string;
let vendorId: string;
let sourceId: string;

beforeAll(async () => {
  feed = await startFixtureServer({
    '/api/v2/summary.json': { body: healthy },
    '/api/v2/incidents.json': { status: 404, body: 'not found' },
  });
  // A short timeout and a small size cap, so that the failures are quick to provoke.
  t = await bootApp({ FEED_ALLOWED_HOSTS: '127.0.0.1:*', FEED_TIMEOUT_SECONDS: '1', FEED_MAX_BYTES: String(MAX_BYTES) });
  await seedOrgs(t, false);
  ds = t.app.get(DataSource);
  manager = await login(t, 'manager@demo.bulwark.test');
  const intake = { servedCriticality: 'high', dataSensitivity: 'internal', aiModelProvider: false, substitutability: 'moderate' };
  const vendor = await t.http.post('/api/vendors').set(auth(manager)).send({ name: 'Deadfeed Co', intake });
  expect(vendor.status).toBe(201);
  vendorId = vendor.body.id;
  const source = await t.http
    .post('/api/signal-sources')
    .set(auth(manager))
    .send({ vendorId, plugin: 'statuspage', config: { baseUrl: feed.url }, scheduleSeconds: 3600 });
  expect(source.status).toBe(201);
  sourceId = source.body.id;
});
afterAll(async () => {
  await t?.close();
  await feed?.close();
});

const summary = async () => (await t.http.get(`/api/vendors/${vendorId}/signals`).set(auth(manager))).body;
const degradedEntry = async () =>
  ((await t.http.get('/api/signals/degraded').set(auth(manager))).body as { vendorId: string; level: string }[]).find(
    (d) => d.vendorId === vendorId,
  );

/** Polls now and waits until the vendor's rollup is `level` (a retry of an earlier failed poll may land first). */
async function pollUntilLevel(level: string): Promise<Record<string, unknown>> {
  await pollAndWait(t, manager, sourceId);
  return until(`the vendor rollup to be ${level}`, async () => {
    const s = await summary();
    return s.level === level ? s : undefined;
  });
}

describe('a failed poll', () => {
  it('starts from a healthy feed: every component operational', async () => {
    const s = await pollUntilLevel('operational');
    expect(s['openSignals']).not.toHaveLength(0);
    expect(await degradedEntry()).toBeUndefined();
  });

  const failures: [string, () => Promise<void>, () => Promise<void>][] = [
    [
      'a 5xx answer',
      async () =>
        void (feed.routes['/api/v2/summary.json'] = { status: 503, body: 'unavailable', headers: { 'content-type': 'text/plain' } }),
      async () => void (feed.routes['/api/v2/summary.json'] = { body: healthy }),
    ],
    [
      'a timeout',
      async () => void (feed.routes['/api/v2/summary.json'] = { body: healthy, delayMs: 2500 }),
      async () => void (feed.routes['/api/v2/summary.json'] = { body: healthy }),
    ],
    [
      'an over-size body',
      async () =>
        void (feed.routes['/api/v2/summary.json'] = {
          body: JSON.stringify({ ...JSON.parse(healthy.toString()), padding: 'x'.repeat(MAX_BYTES) }),
        }),
      async () => void (feed.routes['/api/v2/summary.json'] = { body: healthy }),
    ],
    [
      'a refused address',
      async () => {
        const res = await t.http
          .patch(`/api/signal-sources/${sourceId}`)
          .set(auth(manager))
          .send({ config: { baseUrl: 'http://10.0.0.1' } });
        expect(res.status).toBe(200);
      },
      async () => {
        const res = await t.http
          .patch(`/api/signal-sources/${sourceId}`)
          .set(auth(manager))
          .send({ config: { baseUrl: feed.url } });
        expect(res.status).toBe(200);
      },
    ],
  ];

  it.each(failures)(
    'after %s the source is failing and its share of the rollup is unknown, until a poll succeeds',
    async (_what, breakFeed, repair) => {
      await breakFeed();
      const s = await pollUntilLevel('unknown');
      const source = (s['sources'] as { id: string; status: string; lastError: string | null }[]).find((x) => x.id === sourceId)!;
      expect(['failing', 'invalid_config']).toContain(source.status);
      expect(source.lastError).toBeTruthy();
      // The old rows still say "operational"; they no longer speak for the present.
      expect(
        (s['openSignals'] as { signalType: string; level: string }[]).some(
          (x) => x.signalType === 'source_status' && x.level === 'unknown',
        ),
      ).toBe(true);
      expect(await degradedEntry()).toMatchObject({ level: 'unknown' });

      await repair();
      await pollUntilLevel('operational');
      expect(await ds.query(`SELECT id FROM signals WHERE source_id = $1 AND signal_type = 'source_status'`, [sourceId])).toEqual([]);
      expect(await degradedEntry()).toBeUndefined();
    },
  );
});

describe('a source that has not read its feed for a few schedule periods', () => {
  // A source of its own: the failures above leave retries of the first source's polls in the queue.
  let staleId: string;
  const status = async () => (await t.http.get(`/api/signal-sources/${staleId}`).set(auth(manager))).body.status as string;
  /** Moves the last success back `periods` schedule periods (derived from the clock, not a fixed date). */
  const lastSuccessAgo = (periods: number) =>
    ds.query(
      `UPDATE signal_sources SET last_success_at = now() - make_interval(secs => $2::float8 * schedule_seconds), last_poll_at = now() - make_interval(secs => $2::float8 * schedule_seconds) WHERE id = $1`,
      [staleId, periods],
    );

  it('is stale in the source list, the source itself and the vendor summary; a successful poll makes it ok again', async () => {
    const created = await t.http
      .post('/api/signal-sources')
      .set(auth(manager))
      .send({ vendorId, plugin: 'statuspage', name: 'Second watch', config: { baseUrl: feed.url }, scheduleSeconds: 3600 });
    staleId = created.body.id;
    expect(await pollAndWait(t, manager, staleId)).toMatchObject({ status: 'ok' });

    await lastSuccessAgo(4);
    expect(await status()).toBe('stale');
    const listed = (await t.http.get('/api/signal-sources').query({ vendorId }).set(auth(manager))).body as {
      id: string;
      status: string;
    }[];
    expect(listed.find((x) => x.id === staleId)?.status).toBe('stale');
    const inSummary = ((await summary()).sources as { id: string; status: string }[]).find((x) => x.id === staleId);
    expect(inSummary?.status).toBe('stale');

    expect(await pollAndWait(t, manager, staleId)).toMatchObject({ status: 'ok' });
  });

  it('one and a half periods late is not stale yet (a poll may be queued or retrying)', async () => {
    await lastSuccessAgo(1.5);
    expect(await status()).toBe('ok');
  });
});
