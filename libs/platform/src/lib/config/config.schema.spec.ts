import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
    const c = loadConfig({ DATABASE_URL: 'postgres://u@db/bulwark', REDIS_URL: 'redis://cache:6379', JWT_SECRET: 'x'.repeat(40), BULWARK_DATA_DIR: dir() });
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

  it('the README configuration table is the one generated from the schema (npm run docs:config)', () => {
    const readme = readFileSync(resolve(__dirname, '../../../../../README.md'), 'utf8');
    expect(readme).toContain(`<!-- config:start -->\n${configTable()}\n<!-- config:end -->`);
    for (const name of Object.keys(envSchema.shape)) expect(readme).toContain(`| \`${name}\` |`);
  });
});
