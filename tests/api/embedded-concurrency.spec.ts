import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApp, migrate, openDatabase, seedDemoIfMissing, type Database } from '@bulwark/api';
import { loadConfig } from '@bulwark/platform';

import { auth, PASSWORD } from '../support/app';
import { freshDatabase } from '../support/database';

/**
 * The embedded default (no DATABASE_URL: PGlite, in-process jobs) under the load of a small team: 20
 * clients mixing reads and writes for a bounded time must see no status but the ones each request
 * deserves. PGlite is one session, so the pool in front of it must never interleave two connections'
 * statements (the old symptom: "portal does not exist", "bind message supplies 1 parameters", 401s).
 */
interface Target {
  app: INestApplication;
  http: ReturnType<typeof request>;
  dataDir: string;
  db: Database;
  close(): Promise<void>;
}

/** The application on the embedded default (no DATABASE_URL) or on the real PostgreSQL, with in-process jobs. */
async function boot(kind: 'embedded' | 'postgres'): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-embedded-'));
  const pg = kind === 'postgres' ? await freshDatabase() : null;
  const config = loadConfig({
    NODE_ENV: 'test',
    BULWARK_DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    SECRETS_KEY: Buffer.alloc(32, 9).toString('base64'),
    LOG_LEVEL: 'error',
    DEMO_SEED: 'false',
    ...(pg ? { DATABASE_URL: pg.url, AUDIT_KEY: Buffer.alloc(32, 11).toString('base64') } : {}),
  });
  expect(config.mode).toBe(kind === 'embedded' ? 'embedded' : 'production');
  const db = await openDatabase(config);
  if (kind === 'embedded') await migrate(db.url);
  const app = await createApp(config, db.url, { logger: false });
  await app.init();
  await seedDemoIfMissing(app);
  return {
    app,
    db,
    dataDir,
    http: request(app.getHttpServer()),
    async close() {
      await app.close();
      await db.embedded?.close();
      await pg?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** 20 clients mixing reads and writes for 8 s; every answer that is not the one the request deserves. */
async function load(http: ReturnType<typeof request>): Promise<{ requests: number; unexpected: string[] }> {
  const login = async (email: string) => (await http.post('/api/auth/login').send({ email, password: PASSWORD })).body.token as string;
  const manager = await login('manager@demo.bulwark.test');
  const contact = await login('contact@openai.demo.bulwark.test');
  const vendors = (await http.get('/api/vendors?pageSize=100').set(auth(manager))).body.items as { id: string; name: string }[];
  const openai = vendors.find((v) => v.name === 'OpenAI')!;
  const unexpected: string[] = [];
  let requests = 0;
  const check = async (what: string, want: number, run: () => Promise<request.Response>) => {
    const res = await run();
    requests += 1;
    if (res.status !== want) unexpected.push(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
  };
  const steps: ((client: number, i: number) => Promise<void>)[] = [
    () => check('GET /vendors', 200, () => http.get('/api/vendors').set(auth(manager))),
    () => check('GET /vendors/:id', 200, () => http.get(`/api/vendors/${openai.id}`).set(auth(manager))),
    () => check('GET /slas', 200, () => http.get('/api/slas').set(auth(manager))),
    () => check('GET /breaches (contact)', 200, () => http.get('/api/breaches').set(auth(contact))),
    () => check('GET /notifications', 200, () => http.get('/api/notifications').set(auth(contact))),
    () => check('GET /commitment-chain', 200, () => http.get('/api/commitment-chain').set(auth(manager))),
    (client, i) =>
      check('POST /systems', 201, () =>
        http
          .post('/api/systems')
          .set(auth(manager))
          .send({
            name: `Load system ${client}-${i}`,
            riskClass: 'limited',
            criticality: 'medium',
            requiredRtoMinutes: 240,
            requiredRpoMinutes: 60,
          }),
      ),
    (client, i) =>
      check('PATCH /vendors/:id', 200, () =>
        http
          .patch(`/api/vendors/${openai.id}`)
          .set(auth(manager))
          .send({ description: `Description ${client}-${i}` }),
      ),
  ];
  const until = Date.now() + 8_000;
  await Promise.all(
    Array.from({ length: 20 }, async (_, client) => {
      for (let i = 0; Date.now() < until; i += 1) await steps[(client + i) % steps.length]!(client, i);
    }),
  );
  return { requests, unexpected };
}

describe.each(['embedded', 'postgres'] as const)('the %s database under concurrency', (kind) => {
  let target: Target;
  beforeAll(async () => {
    target = await boot(kind);
  }, 180_000);
  afterAll(async () => target?.close());

  // Only the embedded database has files of its own to keep private.
  if (kind === 'embedded')
    it('keeps its files private: the data folder is 0700 and the database is reached only through a private socket', () => {
      expect(statSync(join(target.dataDir, 'pgdata')).mode & 0o777).toBe(0o700);
      expect(target.db.url).not.toMatch(/@(127\.0\.0\.1|localhost)[:/]/);
    });

  it('20 clients mixing reads and writes for a bounded time get no unexpected status', async () => {
    const { requests, unexpected } = await load(target.http);
    console.log(`${kind}: ${requests} requests by 20 clients in 8 s, ${unexpected.length} unexpected`);
    expect(requests).toBeGreaterThan(20);
    expect(unexpected).toEqual([]);
  }, 120_000);
});
