import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bootApp, type TestApp } from '../support/app';
import { missingService } from '../support/services';
import { until } from '../support/wait';

let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => t?.close());

const prepared = JSON.parse(process.env['BULWARK_TEST_DB'] ?? '{}') as { kind?: string; admin?: string };

describe('GET /api/health', () => {
  it('reports each component without error text when the database refuses connections, and logs the reason', async (ctx) => {
    if (prepared.kind !== 'postgres') {
      missingService('PostgreSQL not reachable: the database-outage health test needs a server it can close');
      return ctx.skip();
    }
    const healthy = await t.http.get('/api/health');
    expect(healthy.status).toBe(200);
    expect(healthy.body).toMatchObject({ status: 'ok', database: { ok: true }, queue: { ok: true }, storage: { ok: true } });

    const name = new URL(t.db.url).pathname.slice(1);
    const admin = new Client({ connectionString: prepared.admin });
    await admin.connect();
    const logged: string[] = [];
    const spy = {
      error: (m: unknown) => logged.push(String(m)),
      log: () => undefined,
      warn: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    };
    Logger.overrideLogger(spy);
    try {
      // A real outage: the database stops accepting connections and the pool's connections are cut.
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
      const res = await t.http.get('/api/health');
      expect(res.status).toBe(503);
      expect(res.body.status).toBe('degraded');
      expect(res.body.database).toEqual({ ok: false, embedded: false });
      expect(res.body.queue).toMatchObject({ ok: true });
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(name);
      expect(text).not.toMatch(/detail|terminat|connection|accepting/i);
      expect(logged.join('\n')).toMatch(/database is unhealthy: .+/);
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await admin.end();
      Logger.overrideLogger(false);
    }
    // It recovers by itself once the database accepts connections again (however many requests the pool needs to reconnect).
    const again = await until('the health check to recover', async () => {
      const res = await t.http.get('/api/health');
      return res.status === 200 ? res : undefined;
    });
    expect(again.body).toMatchObject({ status: 'ok', database: { ok: true } });
  });
});
