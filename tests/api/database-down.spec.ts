import { createServer, Socket, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApp, seedDemoIfMissing } from '@bulwark/api';
import { loadConfig } from '@bulwark/platform';

import { auth, PASSWORD } from '../support/app';
import { freshDatabase, type TestDatabase } from '../support/database';
import { checkedRequest } from '../support/openapi-check';
import { missingService } from '../support/services';
import { until } from '../support/wait';

/**
 * PostgreSQL going away is not a logout: with the database unreachable, signed-in requests and logins
 * answer 503 with Retry-After (never 401, never 500), and the same session works again once it is back.
 * The application reaches its database through a TCP relay this test can cut and restore.
 */
let app: INestApplication;
let http: ReturnType<typeof request>;
let db: TestDatabase;
let relay: { server: Server; sockets: Set<Socket>; port: number } | null = null;
let relayPort = 0;
/** When set, the relay is cut the moment a client sends a message whose text matches: that message never reaches PostgreSQL. */
let cutOn: RegExp | null = null;

async function startRelay(target: URL, port = 0): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = new Socket();
    sockets.add(client).add(upstream);
    upstream.connect(Number(target.port || 5432), target.hostname);
    client.on('data', (chunk: Buffer) => {
      if (cutOn?.test(chunk.toString('latin1'))) {
        cutOn = null;
        void cutRelay();
        return;
      }
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as { port: number }).port;
  relay = { server, sockets, port: actual };
  return actual;
}

async function cutRelay(): Promise<void> {
  if (!relay) return;
  const { server, sockets } = relay;
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
  relay = null;
}

let target: URL;
const isPostgres = !!process.env['BULWARK_TEST_DB']?.includes('"postgres"');
// The relay is a TCP hop; the PGlite fallback listens on a Unix socket.
if (!isPostgres) missingService('no PostgreSQL server: the database-down test (a TCP relay to cut) skipped');

beforeAll(async () => {
  db = await freshDatabase();
  target = new URL(db.url);
  if (!isPostgres) return;
  relayPort = await startRelay(target);
  const viaRelay = new URL(db.url);
  viaRelay.host = `127.0.0.1:${relayPort}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: viaRelay.toString(),
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    SECRETS_KEY: Buffer.alloc(32, 9).toString('base64'),
    AUDIT_KEY: Buffer.alloc(32, 11).toString('base64'),
    LOG_LEVEL: 'error',
    DEMO_SEED: 'false',
    BULWARK_DATA_DIR: join(tmpdir(), `bulwark-dbdown-${process.pid}`),
  });
  app = await createApp(config, viaRelay.toString(), { logger: false });
  await app.init();
  await seedDemoIfMissing(app);
  http = await checkedRequest(app);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await cutRelay();
  await db?.drop();
});

describe.skipIf(!isPostgres)('the database is unreachable', () => {
  it('signed-in requests and logins answer 503 with Retry-After, never 401 or 500; the session works again afterwards', async () => {
    const token = (await http.post('/api/auth/login').send({ email: 'manager@demo.bulwark.test', password: PASSWORD })).body
      .token as string;
    expect((await http.get('/api/vendors').set(auth(token))).status).toBe(200);

    await cutRelay();
    for (const path of ['/api/vendors', '/api/auth/me', '/api/slas']) {
      const res = await http.get(path).set(auth(token));
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.error).toMatchObject({ code: 'service.unavailable', errorId: expect.any(String) });
    }
    const signIn = await http.post('/api/auth/login').send({ email: 'manager@demo.bulwark.test', password: 'bulwark-demo' });
    expect(signIn.status).toBe(503);

    await startRelay(target, relayPort);
    await until('the database to answer again', async () =>
      (await http.get('/api/vendors').set(auth(token))).status === 200 ? true : undefined,
    );
    expect((await http.get('/api/auth/me').set(auth(token))).status).toBe(200);
  }, 60_000);
});

describe.skipIf(!isPostgres)('the database goes away in the middle of a write', () => {
  const LOW_INTAKE = {
    servedCriticality: 'low',
    dataSensitivity: 'public',
    aiModelProvider: false,
    substitutability: 'easy',
    financialHealth: 'healthy',
  } as const;
  /** What PostgreSQL itself holds of a vendor (read directly, not through the relay): its rows and its audit entries. */
  async function traces(name: string): Promise<{ vendors: number; audit: number }> {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      const [v] = (await c.query(`SELECT count(*)::int AS n FROM vendors WHERE name = $1`, [name])).rows;
      const [a] = (
        await c.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'vendor' AND diff::text LIKE '%' || $1 || '%'`, [name])
      ).rows;
      return { vendors: v.n as number, audit: a.n as number };
    } finally {
      await c.end();
    }
  }
  const restored = async (token: string) => {
    if (!relay) await startRelay(target, relayPort);
    await until('the database to answer again', async () =>
      (await http.get('/api/vendors').set(auth(token))).status === 200 ? true : undefined,
    );
  };

  it('a write cut off before its commit answers 503 and leaves nothing (row nor audit entry); a write afterwards works', async () => {
    const token = (await http.post('/api/auth/login').send({ email: 'manager@demo.bulwark.test', password: PASSWORD })).body
      .token as string;
    for (const [cut, name] of [
      // After the vendor's INSERT, as its audit entry is written (in the same transaction).
      [/INSERT INTO "audit_log"/, 'Cut At The Audit Entry'],
      // The COMMIT itself never reaches the server.
      [/COMMIT/, 'Cut At The Commit'],
    ] as const) {
      cutOn = cut;
      const res = await http.post('/api/vendors').set(auth(token)).send({ name, intake: LOW_INTAKE }).timeout(20_000);
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.error).toMatchObject({ code: 'service.unavailable' });
      expect(relay, 'the relay was cut by the write').toBeNull();
      await restored(token);
      expect(await traces(name), name).toEqual({ vendors: 0, audit: 0 });
    }

    // Started while the database is unreachable: refused before anything is written.
    await cutRelay();
    const refused = await http.post('/api/vendors').set(auth(token)).send({ name: 'Sent While Down', intake: LOW_INTAKE }).timeout(20_000);
    expect(refused.status).toBe(503);
    await restored(token);
    expect(await traces('Sent While Down')).toEqual({ vendors: 0, audit: 0 });

    const ok = await http.post('/api/vendors').set(auth(token)).send({ name: 'Written After Recovery', intake: LOW_INTAKE });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(await traces('Written After Recovery')).toEqual({ vendors: 1, audit: 1 });
  }, 60_000);
});
