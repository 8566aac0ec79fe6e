import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFixtureServer, type FixtureServer } from '@bulwark/plugin-sdk/testing';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { ROOT } from '../support/services';
import { pollAndWait } from '../support/wait';

/**
 * The feed policy of FEED_ALLOWED_HOSTS: an entry opens one port of a private host (`host:port`),
 * every port only when it says so (`host:*`), and a bare host only its default ports (80, 443).
 * And what a failed fetch leaves in the source's stored error: never the response body.
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

describe('stored feed errors', () => {
  // What the endpoint answered may hold anything (a session id, an internal host name, licensed data):
  // the stored error says what happened (status, content type, size), never what the body said.
  const BODY_SECRET = 'internal-db-07.corp password=hunter2';

  it('name the status, content type and size of an error answer or an unreadable page, never its body', async () => {
    const ds = t.app.get(DataSource);
    const [vendor] = await ds.query(`SELECT id FROM vendors WHERE name = 'OpenAI'`);
    const created = await t.http
      .post('/api/signal-sources')
      .set(auth(manager))
      .send({ vendorId: vendor.id, plugin: 'statuspage', config: { baseUrl: listed.url }, scheduleSeconds: 3600 });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const page = `<html><body>${BODY_SECRET}</body></html>`;
    listed.routes['/api/v2/summary.json'] = { status: 503, body: page, headers: { 'content-type': 'text/html' } };
    const failed = await pollAndWait(t, manager, id);
    expect(failed['status']).toBe('failing');
    expect(failed['lastError']).toMatch(/HTTP 503/);
    expect(failed['lastError']).toContain('text/html');
    expect(failed['lastError']).toContain(`${Buffer.byteLength(page)} bytes`);
    expect(failed['lastError']).not.toContain('hunter2');
    expect(failed['lastError']).not.toContain('internal-db');

    listed.routes['/api/v2/summary.json'] = { status: 200, body: page, headers: { 'content-type': 'text/html' } };
    const unreadable = await pollAndWait(t, manager, id);
    expect(unreadable['lastError']).toMatch(/HTML page/);
    const markers = await ds.query(`SELECT detail FROM signals WHERE source_id = $1 AND signal_type = 'source_status'`, [id]);
    const tested = await testRun(listed.url);
    for (const text of [unreadable['lastError'], ...markers.map((m: { detail: string }) => m.detail), tested.body.error])
      expect(String(text)).not.toContain('hunter2');
    listed.routes['/api/v2/summary.json'] = { body: healthy };
  });
});
