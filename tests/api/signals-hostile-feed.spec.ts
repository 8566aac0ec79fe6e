import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFixtureServer, type FixtureServer } from '@bulwark/plugin-sdk/testing';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { ROOT } from '../support/services';
import { pollAndWait } from '../support/wait';

/**
 * A hostile feed: 10 MB of `[[[[…` (under the 10 MB size cap). Parsed on the API's event loop it
 * stalled every request for seconds and took hundreds of MB; it must be refused before parsing, and
 * the source form's Test must run where even an expensive feed cannot stall the API.
 */
const hostile = Buffer.alloc(10 * 1024 * 1024 - 4096, '[');
const deepXml = Buffer.from(`<?xml version="1.0"?><rss version="2.0"><channel>${'<item>'.repeat(1_500_000)}`);
/** Shallow but heavy: three million empty arrays take far more memory than the test run may use. */
const heavy = Buffer.from(`[${'[],'.repeat(3_000_000)}[]]`);
const healthy = readFileSync(join(ROOT, 'plugins', 'statuspage', 'fixtures', 'handwritten-summary-healthy.json'));

let t: TestApp;
let feed: FixtureServer;
let manager: string;

beforeAll(async () => {
  feed = await startFixtureServer({
    '/api/v2/summary.json': { body: hostile },
    '/api/v2/incidents.json': { status: 404, body: 'not found' },
    '/en-us/status/feed/': { body: deepXml, headers: { 'content-type': 'application/rss+xml' } },
    '/heavy/api/v2/summary.json': { body: heavy },
    '/heavy/api/v2/incidents.json': { status: 404, body: 'not found' },
    '/healthy/api/v2/summary.json': { body: healthy },
    '/healthy/api/v2/incidents.json': { status: 404, body: 'not found' },
  });
  // A small memory limit for test runs, so that a heavy feed exceeds it quickly.
  t = await bootApp({ FEED_ALLOWED_HOSTS: '127.0.0.1:*', FEED_TEST_MEMORY_MB: '64' });
  await seedOrgs(t, false);
  manager = await login(t, 'manager@demo.bulwark.test');
});
afterAll(async () => {
  await t?.close();
  await feed?.close();
});

/** Runs `work` while asking GET /api/health every 50 ms; answers its result and the slowest health answer. */
async function whileProbingHealth<T>(work: Promise<T>): Promise<{ result: T; slowestMs: number; probes: number }> {
  let done = false;
  let slowestMs = 0;
  let probes = 0;
  const probe = (async () => {
    while (!done) {
      const t0 = performance.now();
      const res = await t.http.get('/api/health');
      slowestMs = Math.max(slowestMs, performance.now() - t0);
      probes++;
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const result = await work.finally(() => {
    done = true;
  });
  await probe;
  return { result, slowestMs, probes };
}

describe('a deeply nested feed', () => {
  it('the Test button answers a clear error while the API keeps answering', async () => {
    const run = t.http
      .post('/api/signal-sources/test')
      .set(auth(manager))
      .send({ plugin: 'statuspage', config: { baseUrl: feed.url } })
      .then((r) => r);
    const { result: res, slowestMs, probes } = await whileProbingHealth(run);
    expect(res.status).toBe(200);
    expect(probes).toBeGreaterThan(0);
    // Parsed on the event loop, this body held every request for 5 s or more; off it, health answers in
    // milliseconds. The bound is generous for a loaded machine.
    expect(slowestMs, `the slowest /api/health answer took ${Math.round(slowestMs)} ms`).toBeLessThan(2000);
    expect(res.body.ok).toBe(false);
    expect(res.body.error).toMatch(/summary\.json: nested deeper than 64 levels/);
    expect(res.body.selfTest).toMatchObject({ ok: false, message: expect.stringMatching(/nested deeper than 64 levels/) });
  });

  it('XML nested a million levels deep is refused the same way', async () => {
    const run = t.http
      .post('/api/signal-sources/test')
      .set(auth(manager))
      .send({ plugin: 'azure-status', config: { baseUrl: feed.url } })
      .then((r) => r);
    const { result: res, slowestMs } = await whileProbingHealth(run);
    expect(slowestMs, `the slowest /api/health answer took ${Math.round(slowestMs)} ms`).toBeLessThan(2000);
    expect(res.body.ok).toBe(false);
    expect(res.body.error).toMatch(/Azure status feed: nested deeper than 64 levels/);
  });

  it('a feed that needs more memory than a test run may use stops that run with a clear error; the next run works', async () => {
    const test = (path: string) =>
      t.http
        .post('/api/signal-sources/test')
        .set(auth(manager))
        .send({ plugin: 'statuspage', config: { baseUrl: `${feed.url}${path}` } })
        .then((r) => r);
    const { result: res, slowestMs } = await whileProbingHealth(test('/heavy'));
    expect(slowestMs, `the slowest /api/health answer took ${Math.round(slowestMs)} ms`).toBeLessThan(2000);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: false, signals: [] });
    expect(res.body.error).toMatch(/stopped: reading the feed needed more than 64 MB of memory \(FEED_TEST_MEMORY_MB\)/);
    const next = await test('/healthy');
    expect(next.body).toMatchObject({ ok: true, error: null });
  });

  it('a polled source of that feed fails with the same error, and records unknown', async () => {
    const [vendor] = await t.app.get(DataSource).query(`SELECT id FROM vendors WHERE name = 'OpenAI'`);
    const created = await t.http
      .post('/api/signal-sources')
      .set(auth(manager))
      .send({ vendorId: vendor.id, plugin: 'statuspage', config: { baseUrl: feed.url }, scheduleSeconds: 3600 });
    expect(created.status).toBe(201);
    const polled = await pollAndWait(t, manager, created.body.id);
    expect(polled).toMatchObject({ status: 'failing', lastError: expect.stringMatching(/nested deeper than 64 levels/) });
  });
});
