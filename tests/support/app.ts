import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';

import { createApp, seedDemoIfMissing } from '@bulwark/api';
import { loadConfig, type AppConfig } from '@bulwark/platform';

import { freshDatabase, type TestDatabase } from './database';
import { checkedRequest } from './openapi-check';

export const PASSWORD = 'bulwark-demo';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  db: TestDatabase;
  dataDir: string;
  http: ReturnType<typeof request>;
  close(): Promise<void>;
}

/** The real application on its own freshly migrated database, with in-process jobs and a temp data dir. */
export async function bootApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await freshDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    // The database the app really uses (loadConfig's checks depend on it, e.g. BullMQ needs one).
    DATABASE_URL: db.url,
    BULWARK_DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    SECRETS_KEY: Buffer.alloc(32, 9).toString('base64'),
    AUDIT_KEY: Buffer.alloc(32, 11).toString('base64'),
    LOG_LEVEL: 'error',
    DEMO_SEED: 'false',
    ...env,
  });
  const app = await createApp(config, db.url, { logger: false });
  await app.init();
  return {
    app,
    config,
    db,
    dataDir,
    // Every 2xx answer is checked against the operation's declared response (tests/support/openapi-check.ts).
    http: await checkedRequest(app),
    async close() {
      await app.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Seeds the demo organization and, optionally, a second one ("Other Org", other.bulwark.test) for isolation tests. */
export async function seedOrgs(t: TestApp, other = true): Promise<void> {
  await seedDemoIfMissing(t.app);
  if (other) await seedDemoIfMissing(t.app, { name: 'Other Org', slug: 'other-org', domain: 'other.bulwark.test' });
}

export async function login(t: TestApp, email: string, password = PASSWORD): Promise<string> {
  const res = await t.http.post('/api/auth/login').send({ email, password });
  if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { token: string }).token;
}

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
