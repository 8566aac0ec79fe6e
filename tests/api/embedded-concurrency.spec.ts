import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApp, migrate, openDatabase, seedDemoIfMissing, type Database } from '@bulwark/api';
import { loadConfig } from '@bulwark/platform';

import { auth, PASSWORD } from '../support/app';

/**
 * The embedded default (no DATABASE_URL: PGlite, in-process jobs) under the load of a small team: 20
 * clients mixing reads and writes for a bounded time must see no status but the ones each request
 * deserves. PGlite is one session, so the pool in front of it must never interleave two connections'
 * statements (the old symptom: "portal does not exist", "bind message supplies 1 parameters", 401s).
 */
let app: INestApplication;
let db: Database;
let dataDir: string;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'bulwark-embedded-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    BULWARK_DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    SECRETS_KEY: Buffer.alloc(32, 9).toString('base64'),
    LOG_LEVEL: 'error',
    DEMO_SEED: 'false',
  });
  expect(config.mode).toBe('embedded');
  db = await openDatabase(config);
  await migrate(db.url);
  app = await createApp(config, db.url, { logger: false });
  await app.init();
  await seedDemoIfMissing(app);
  http = request(app.getHttpServer());
}, 180_000);

afterAll(async () => {
  await app?.close();
  await db?.embedded?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const login = async (email: string) => (await http.post('/api/auth/login').send({ email, password: PASSWORD })).body.token as string;

describe('the embedded default under concurrency', () => {
  it('keeps its files private: the data folder is 0700 and the database is reached only through a private socket', () => {
    expect(statSync(join(dataDir, 'pgdata')).mode & 0o777).toBe(0o700);
    expect(db.url).not.toMatch(/@(127\.0\.0\.1|localhost)[:/]/);
  });

  it('20 clients mixing reads and writes for a bounded time get no unexpected status', async () => {
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
    console.log(`embedded default: ${requests} requests by 20 clients in 8 s, ${unexpected.length} unexpected`);
    expect(requests).toBeGreaterThan(20);
    expect(unexpected).toEqual([]);
  }, 120_000);
});
