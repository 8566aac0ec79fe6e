import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';

import { ConfigError, configTable, envSchema, loadConfig } from './config.schema.js';

const dir = () => mkdtempSync(join(tmpdir(), 'bulwark-config-'));

describe('loadConfig', () => {
  it('with no configuration runs embedded: PGlite, in-process queue, outbox mail, demo seed, a generated secret', () => {
    const d = dir();
    const c = loadConfig({ BULWARK_DATA_DIR: d });
    expect(c.mode).toBe('embedded');
    expect(c.queue.driver).toBe('inprocess');
    expect(c.mail.driver).toBe('outbox');
    expect(c.demoSeed).toBe(true);
    expect(c.http).toMatchObject({ port: 3000, host: '127.0.0.1', publicUrl: 'http://localhost:3000' });
    expect(c.auth.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ BULWARK_DATA_DIR: d }).auth.jwtSecret).toBe(c.auth.jwtSecret);
  });

  it('with DATABASE_URL and REDIS_URL runs in production mode without demo data', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@db/bulwark',
      REDIS_URL: 'redis://cache:6379',
      JWT_SECRET: 'x'.repeat(40),
      SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
      AUDIT_KEY: Buffer.alloc(32, 8).toString('base64'),
      BULWARK_DATA_DIR: dir(),
    });
    expect(c.mode).toBe('production');
    expect(c.queue).toMatchObject({ driver: 'bullmq', redisUrl: 'redis://cache:6379' });
    expect(c.demoSeed).toBe(false);
    expect(c.http.host).toBe('0.0.0.0');
  });

  it('names every bad variable', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', BULWARK_DATA_DIR: dir() });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toMatch(/PORT:/);
      expect(msg).toMatch(/DATABASE_URL: must be a postgres/);
      expect(msg).toMatch(/LOG_LEVEL:/);
    }
  });

  it('refuses production without a JWT secret and bullmq without Redis', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', BULWARK_DATA_DIR: dir() })).toThrow(/JWT_SECRET: required/);
    expect(() => loadConfig({ QUEUE_DRIVER: 'bullmq', BULWARK_DATA_DIR: dir() })).toThrow(/REDIS_URL: required/);
    expect(() => loadConfig({ QUEUE_DRIVER: 'kafka', BULWARK_DATA_DIR: dir() })).toThrow(/QUEUE_DRIVER/);
  });

  it('refuses REDIS_URL (or QUEUE_DRIVER=bullmq) without DATABASE_URL: the worker would never consume the jobs', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://cache:6379', BULWARK_DATA_DIR: dir() })).toThrow(
      /DATABASE_URL: required when REDIS_URL is set.*REDIS_URL/,
    );
    expect(() => loadConfig({ QUEUE_DRIVER: 'bullmq', REDIS_URL: 'redis://cache:6379', BULWARK_DATA_DIR: dir() })).toThrow(
      /DATABASE_URL: required when QUEUE_DRIVER=bullmq/,
    );
    // In-process jobs on a real database stay possible.
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@db/bulwark',
      QUEUE_DRIVER: 'inprocess',
      REDIS_URL: 'redis://cache:6379',
      JWT_SECRET: 'x'.repeat(40),
      SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
      AUDIT_KEY: Buffer.alloc(32, 8).toString('base64'),
      BULWARK_DATA_DIR: dir(),
    });
    expect(c.queue.driver).toBe('inprocess');
  });

  it('requires JWT_SECRET and SECRETS_KEY with DATABASE_URL, so every API and worker process shares them', () => {
    const key = Buffer.alloc(32, 3).toString('base64');
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@db/bulwark', SECRETS_KEY: key, BULWARK_DATA_DIR: dir() })).toThrow(
      /JWT_SECRET: required when DATABASE_URL is set/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@db/bulwark', JWT_SECRET: 'y'.repeat(40), BULWARK_DATA_DIR: dir() })).toThrow(
      /SECRETS_KEY: required when DATABASE_URL is set/,
    );
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db/bulwark',
      JWT_SECRET: 'y'.repeat(40),
      SECRETS_KEY: key,
      AUDIT_KEY: Buffer.alloc(32, 4).toString('base64'),
      BULWARK_DATA_DIR: dir(),
    });
    expect(config.auth.jwtSecret).toBe('y'.repeat(40));
    expect(config.secretsKey.equals(Buffer.alloc(32, 3))).toBe(true);
  });

  it('requires AUDIT_KEY in production and with DATABASE_URL, generates it into a private file when embedded, and never shows it', () => {
    const base = { JWT_SECRET: 'y'.repeat(40), SECRETS_KEY: Buffer.alloc(32, 3).toString('base64') };
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', BULWARK_DATA_DIR: dir() })).toThrow(
      /AUDIT_KEY: required when NODE_ENV=production/,
    );
    expect(() => loadConfig({ ...base, DATABASE_URL: 'postgres://u@db/bulwark', BULWARK_DATA_DIR: dir() })).toThrow(
      /AUDIT_KEY: required when DATABASE_URL is set/,
    );
    for (const bad of ['c2hvcnQ=', 'not base64 at all but long enough to pass a length check!!', Buffer.alloc(31, 1).toString('base64')])
      expect(() => loadConfig({ ...base, AUDIT_KEY: bad, BULWARK_DATA_DIR: dir() })).toThrow(/AUDIT_KEY: must be at least 32 bytes/);
    expect(() => loadConfig({ ...base, AUDIT_KEY: base.SECRETS_KEY, BULWARK_DATA_DIR: dir() })).toThrow(
      /AUDIT_KEY: must not be the same key as SECRETS_KEY/,
    );
    const given = Buffer.alloc(48, 6);
    const c = loadConfig({
      ...base,
      DATABASE_URL: 'postgres://u@db/bulwark',
      AUDIT_KEY: given.toString('base64'),
      BULWARK_DATA_DIR: dir(),
    });
    expect(c.audit.key.equals(given)).toBe(true);
    // Not in a logged or serialized config.
    expect(JSON.parse(JSON.stringify(c)).audit).toEqual({});
    expect(inspect(c, { depth: 10 })).not.toMatch(/06 06 06/);

    // Embedded: generated once into BULWARK_DATA_DIR/audit-key (0600), and the same at the next start.
    const d = dir();
    const embedded = loadConfig({ BULWARK_DATA_DIR: d });
    expect(embedded.audit.key.length).toBe(32);
    expect(statSync(join(d, 'audit-key')).mode & 0o777).toBe(0o600);
    expect(loadConfig({ BULWARK_DATA_DIR: d }).audit.key.equals(embedded.audit.key)).toBe(true);
    expect(embedded.audit.key.equals(embedded.secretsKey)).toBe(false);
  });

  it('never seeds the demo organization at start in production: DEMO_SEED=true is refused, and the default is off', () => {
    const prod = {
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
      AUDIT_KEY: Buffer.alloc(32, 8).toString('base64'),
      BULWARK_DATA_DIR: dir(),
    };
    expect(() => loadConfig({ ...prod, DEMO_SEED: 'true' })).toThrow(
      /DEMO_SEED: must not be true when NODE_ENV=production.*npm run demo:seed/,
    );
    expect(loadConfig(prod).demoSeed).toBe(false);
    expect(loadConfig({ ...prod, DATABASE_URL: 'postgres://u@db/bulwark' }).demoSeed).toBe(false);
    expect(loadConfig({ ...prod, DEMO_SEED: 'false' }).demoSeed).toBe(false);
    expect(
      loadConfig({
        DEMO_SEED: 'true',
        DATABASE_URL: 'postgres://u@db/bulwark',
        JWT_SECRET: 'x'.repeat(40),
        SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
        AUDIT_KEY: Buffer.alloc(32, 8).toString('base64'),
        BULWARK_DATA_DIR: dir(),
      }).demoSeed,
    ).toBe(true);
  });

  it('takes a per-address login ceiling that is at least the per-account one', () => {
    expect(loadConfig({ BULWARK_DATA_DIR: dir() }).auth).toMatchObject({ loginMaxFailures: 5, loginMaxFailuresPerAddress: 50 });
    expect(() => loadConfig({ LOGIN_MAX_FAILURES: '10', LOGIN_MAX_FAILURES_PER_ADDRESS: '5', BULWARK_DATA_DIR: dir() })).toThrow(
      /LOGIN_MAX_FAILURES_PER_ADDRESS: must be at least LOGIN_MAX_FAILURES/,
    );
  });

  it('stores files locally by default and in S3 when S3_BUCKET is set, with defaults for the rest', () => {
    const d = dir();
    expect(loadConfig({ BULWARK_DATA_DIR: d }).storage).toMatchObject({ driver: 'local', dir: join(d, 'files'), s3: null });
    const c = loadConfig({ S3_BUCKET: 'bulwark-files', BULWARK_DATA_DIR: d });
    expect(c.storage.driver).toBe('s3');
    expect(c.storage.s3).toEqual({
      bucket: 'bulwark-files',
      region: 'us-east-1',
      endpoint: null,
      forcePathStyle: false,
      credentials: null,
      prefix: 'bulwark/',
    });
    const minio = loadConfig({
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'docs',
      S3_ENDPOINT: 'http://minio:9000',
      S3_FORCE_PATH_STYLE: 'true',
      S3_REGION: 'eu-central-1',
      S3_ACCESS_KEY_ID: 'minio',
      S3_SECRET_ACCESS_KEY: 'minio-secret',
      S3_PREFIX: 'prod/files',
      BULWARK_DATA_DIR: d,
    });
    expect(minio.storage.s3).toEqual({
      bucket: 'docs',
      region: 'eu-central-1',
      endpoint: 'http://minio:9000',
      forcePathStyle: true,
      credentials: { accessKeyId: 'minio', secretAccessKey: 'minio-secret' },
      prefix: 'prod/files/',
    });
    expect(loadConfig({ STORAGE_DRIVER: 'local', S3_BUCKET: 'unused', BULWARK_DATA_DIR: d }).storage).toMatchObject({
      driver: 'local',
      s3: null,
    });
  });

  it('refuses the s3 driver without S3_BUCKET, and a key without its secret, never echoing a secret', () => {
    expect(() => loadConfig({ STORAGE_DRIVER: 's3', BULWARK_DATA_DIR: dir() })).toThrow(/S3_BUCKET: required when STORAGE_DRIVER=s3/);
    expect(() => loadConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'b-1', S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', BULWARK_DATA_DIR: dir() })).toThrow(
      /S3_SECRET_ACCESS_KEY: required when S3_ACCESS_KEY_ID is set/,
    );
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const failure = (env: Record<string, string>) => {
      try {
        loadConfig({ ...env, BULWARK_DATA_DIR: dir() });
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      return expect.unreachable();
    };
    const noKey = failure({ STORAGE_DRIVER: 's3', S3_BUCKET: 'b-1', S3_SECRET_ACCESS_KEY: secret });
    expect(noKey).toMatch(/S3_ACCESS_KEY_ID: required when S3_SECRET_ACCESS_KEY is set/);
    expect(noKey).not.toContain(secret);
    const both = failure({ STORAGE_DRIVER: 's3', S3_SECRET_ACCESS_KEY: secret, S3_ACCESS_KEY_ID: 'AKIAEXAMPLE' });
    expect(both).toMatch(/S3_BUCKET: required/);
    expect(both).not.toContain(secret);
    const userinfo = failure({
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'b-1',
      S3_ENDPOINT: `http://user:${encodeURIComponent(secret)}@minio:9000`,
    });
    expect(userinfo).toMatch(/S3_ENDPOINT: must not contain credentials/);
    expect(userinfo).not.toContain(encodeURIComponent(secret));
    expect(() => loadConfig({ STORAGE_DRIVER: 'gcs', BULWARK_DATA_DIR: dir() })).toThrow(/STORAGE_DRIVER/);
    expect(() => loadConfig({ S3_BUCKET: 'no/slashes', BULWARK_DATA_DIR: dir() })).toThrow(/S3_BUCKET: must be a bucket name/);
  });

  it('reads FEED_ALLOWED_HOSTS entries as host, host:port or host:*, and refuses anything else naming the variable', () => {
    const c = loadConfig({
      FEED_ALLOWED_HOSTS: 'mirror.internal:8443, 127.0.0.1:*, status.corp, [fd00::1]:8080, ::1',
      BULWARK_DATA_DIR: dir(),
    });
    expect(c.feeds.allowedHosts).toEqual(['mirror.internal:8443', '127.0.0.1:*', 'status.corp', '[fd00::1]:8080', '::1']);
    for (const bad of ['mirror.internal:http', 'http://mirror.internal', 'mirror.internal:80/path', 'a b'])
      expect(() => loadConfig({ FEED_ALLOWED_HOSTS: bad, BULWARK_DATA_DIR: dir() }), bad).toThrow(/FEED_ALLOWED_HOSTS: each entry/);
  });

  it('the README configuration table is the one generated from the schema (npm run docs:config)', () => {
    const readme = readFileSync(resolve(__dirname, '../../../../../README.md'), 'utf8');
    expect(readme).toContain(`<!-- config:start -->\n${configTable()}\n<!-- config:end -->`);
    for (const name of Object.keys(envSchema.shape)) expect(readme).toContain(`| \`${name}\` |`);
  });
});
