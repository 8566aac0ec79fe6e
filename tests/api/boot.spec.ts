import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { assertServicesReachable } from '@bulwark/api';
import { loadConfig } from '@bulwark/platform';

import { buildApi, freePort, runApiUntilExit } from '../support/processes';
import { missingService, reachable, TEST_REDIS_URL } from '../support/services';

/** Start-up refusals of the real API process: a misconfiguration or a missing service ends it at once with a message naming the variables. */
const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-boot-'));
const secret = 'boot-test-secret-boot-test-secret-0123456789';
const key = Buffer.alloc(32, 1).toString('base64');
const auditKey = Buffer.alloc(32, 2).toString('base64');

beforeAll(() => buildApi(), 180_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('API start-up', () => {
  it('refuses REDIS_URL without DATABASE_URL (jobs would never be consumed), naming both variables', async () => {
    const run = await runApiUntilExit({ REDIS_URL: 'redis://127.0.0.1:6379', BULWARK_DATA_DIR: dataDir, PORT: String(await freePort()) });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/DATABASE_URL: required when REDIS_URL is set/);
    expect(run.output).not.toMatch(/Bulwark is running/);
  });

  it('refuses DEMO_SEED=true in production and DATABASE_URL without JWT_SECRET and SECRETS_KEY', async () => {
    const prod = await runApiUntilExit({
      NODE_ENV: 'production',
      DEMO_SEED: 'true',
      JWT_SECRET: secret,
      SECRETS_KEY: key,
      AUDIT_KEY: auditKey,
      BULWARK_DATA_DIR: dataDir,
    });
    expect(prod.code).toBe(1);
    expect(prod.output).toMatch(/DEMO_SEED: must not be true when NODE_ENV=production/);
    const noSecret = await runApiUntilExit({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', BULWARK_DATA_DIR: dataDir });
    expect(noSecret.code).toBe(1);
    expect(noSecret.output).toMatch(/JWT_SECRET: required when DATABASE_URL is set/);
    expect(noSecret.output).toMatch(/SECRETS_KEY: required when DATABASE_URL is set/);
    expect(noSecret.output).toMatch(/AUDIT_KEY: required when DATABASE_URL is set/);
  }, 60_000); // two process start-ups, each several seconds on a loaded machine

  it('fails fast with a clear message when Redis does not answer, instead of hanging the first enqueue', async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const run = await runApiUntilExit({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      REDIS_URL: closed,
      JWT_SECRET: secret,
      SECRETS_KEY: key,
      AUDIT_KEY: auditKey,
      BULWARK_DATA_DIR: dataDir,
      PORT: String(await freePort()),
    });
    // It ends by itself (a process that hung would be killed by runApiUntilExit and have no exit code), on the
    // Redis check. How long it takes is mostly the start-up of the process, which a loaded machine stretches.
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/Redis at REDIS_URL is not reachable/);
  });

  it('the same check passes on a reachable Redis and is skipped for in-process jobs', async () => {
    const base = {
      DATABASE_URL: 'postgres://u@db/bulwark',
      JWT_SECRET: secret,
      SECRETS_KEY: key,
      AUDIT_KEY: auditKey,
      BULWARK_DATA_DIR: dataDir,
    };
    await expect(
      assertServicesReachable(loadConfig({ ...base, REDIS_URL: `redis://127.0.0.1:${await freePort()}` }), 1000),
    ).rejects.toThrow(/Redis at REDIS_URL is not reachable/);
    await expect(assertServicesReachable(loadConfig(base))).resolves.toBeUndefined();
    if (!(await reachable(TEST_REDIS_URL, 6379)))
      return missingService(`Redis not reachable at ${TEST_REDIS_URL}: the reachable-Redis start-up check skipped`);
    await expect(assertServicesReachable(loadConfig({ ...base, REDIS_URL: TEST_REDIS_URL }))).resolves.toBeUndefined();
  });
});
