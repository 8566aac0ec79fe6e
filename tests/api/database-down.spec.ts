import { createServer, Socket, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type request from 'supertest';
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

async function startRelay(target: URL, port = 0): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = new Socket();
    sockets.add(client).add(upstream);
    upstream.connect(Number(target.port || 5432), target.hostname);
    client.pipe(upstream).pipe(client);
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
