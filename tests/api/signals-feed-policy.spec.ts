import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFixtureServer, type FixtureServer } from '@bulwark/plugin-sdk/testing';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { ROOT } from '../support/services';

/**
 * The feed policy of FEED_ALLOWED_HOSTS: an entry opens one port of a private host (`host:port`),
 * every port only when it says so (`host:*`), and a bare host only its default ports (80, 443).
 */
const healthy = readFileSync(join(ROOT, 'plugins', 'statuspage', 'fixtures', 'handwritten-summary-healthy.json'));

let t: TestApp;
let listed: FixtureServer;
let other: FixtureServer;
let manager: string;

const port = (s: FixtureServer) => new URL(s.url).port;

beforeAll(async () => {
  const routes = { '/api/v2/summary.json': { body: healthy }, '/api/v2/incidents.json': { status: 404, body: 'not found' } };
  listed = await startFixtureServer(routes);
  other = await startFixtureServer(routes);
  // 127.0.0.1 on the listed server's port only; `localhost` bare (its default ports only).
  t = await bootApp({ FEED_ALLOWED_HOSTS: `127.0.0.1:${port(listed)}, localhost` });
  await seedOrgs(t, false);
  manager = await login(t, 'manager@demo.bulwark.test');
});
afterAll(async () => {
  await t?.close();
  await listed?.close();
  await other?.close();
});

const testRun = (baseUrl: string) =>
  t.http.post('/api/signal-sources/test').set(auth(manager)).send({ plugin: 'statuspage', config: { baseUrl } });

describe('FEED_ALLOWED_HOSTS', () => {
  it('a host:port entry opens that port of the private host, and no other', async () => {
    const ok = await testRun(listed.url);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, error: null });

    const refused = await testRun(other.url);
    expect(refused.status).toBe(200);
    expect(refused.body.ok).toBe(false);
    expect(refused.body.error).toMatch(/not a public address/);
    expect(other.requests).toEqual([]);
  });

  it('a bare host opens only its default ports (80 and 443), not every port', async () => {
    const refused = await testRun(`http://localhost:${port(other)}`);
    expect(refused.body.ok).toBe(false);
    expect(refused.body.error).toMatch(/not a public address/);
    expect(other.requests).toEqual([]);
  });
});
