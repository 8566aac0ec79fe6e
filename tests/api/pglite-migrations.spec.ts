import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApp, migrate } from '@bulwark/api';
import { hashPassword } from '@bulwark/identity';
import { MIGRATIONS } from '@bulwark/migrations';
import { loadConfig, startEmbeddedPostgres, type EmbeddedPostgres } from '@bulwark/platform';

import { freshDatabase, type TestDatabase } from '../support/database';
import { checkedRequest } from '../support/openapi-check';

/**
 * The same migrations run on PGlite (embedded mode) as on PostgreSQL. The other API tests use PostgreSQL
 * whenever it is there (always under CI), so without this file PGlite would never see a migration in CI.
 * Runs them the way `npm start` does in embedded mode: PGlite on a data directory behind pglite-socket,
 * migrated by the app's own `migrate`, then the real application on it.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-pglite-mig-'));
let pg: EmbeddedPostgres;
let applied: string[];

beforeAll(async () => {
  pg = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pgdata'), maxConnections: 15 });
  applied = await migrate(pg.url);
}, 120_000);
afterAll(async () => {
  await pg?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Column = { table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null };
async function schemaOf(url: string): Promise<{ columns: Column[]; indexes: string[]; constraints: string[] }> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const columns = (
      await c.query<Column>(
        `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`,
      )
    ).rows;
    const indexes = (
      await c.query<{ d: string }>(`SELECT indexdef AS d FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`)
    ).rows.map((r) => r.d);
    // NOT NULL constraints are rows of pg_constraint on newer servers (PGlite's) and not on PostgreSQL 15; nullability is compared through the columns.
    const constraints = (
      await c.query<{ d: string }>(
        `SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 'n' ORDER BY 1`,
      )
    ).rows.map((r) => r.d);
    return { columns, indexes, constraints };
  } finally {
    await c.end();
  }
}

describe('migrations on PGlite', () => {
  it('applies every migration once, in order, and nothing the second time', async () => {
    expect(applied).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await migrate(pg.url)).toEqual([]);
  });

  it('yields the same schema as on PostgreSQL', async (ctx) => {
    const prepared = JSON.parse(process.env['BULWARK_TEST_DB'] ?? '{}') as { kind?: string };
    if (prepared.kind !== 'postgres') return ctx.skip(); // without PostgreSQL there is nothing to compare with (the other tests ran on PGlite)
    let db: TestDatabase | undefined;
    try {
      db = await freshDatabase();
      const [lite, real] = await Promise.all([schemaOf(pg.url), schemaOf(db.url)]);
      expect(lite.columns.length).toBeGreaterThan(100);
      expect(lite.columns).toEqual(real.columns);
      expect(lite.indexes).toEqual(real.indexes);
      expect(lite.constraints).toEqual(real.constraints);
    } finally {
      await db?.drop();
    }
  });

  it('serves a round trip through the real application: sign in, create a vendor, read it back, an intact audit chain', async () => {
    const c = new Client({ connectionString: pg.url });
    await c.connect();
    const hash = await hashPassword('pglite-round-trip');
    const { rows } = await c.query<{ id: string }>(`INSERT INTO organizations (name, slug) VALUES ('Lite Org', 'lite-org') RETURNING id`);
    await c.query(
      `INSERT INTO users (organization_id, email, name, role, password_hash, active) VALUES ($1, 'admin@lite.test', 'Lite Admin', 'admin', $2, true)`,
      [rows[0]!.id, hash],
    );
    await c.end();

    const config = loadConfig({
      NODE_ENV: 'test',
      BULWARK_DATA_DIR: dataDir,
      JWT_SECRET: 'pglite-secret-pglite-secret-0123456789',
      LOG_LEVEL: 'error',
      DEMO_SEED: 'false',
    });
    expect(config.mode).toBe('embedded');
    const app: NestExpressApplication = await createApp(config, pg.url, { logger: false });
    await app.init();
    try {
      const http = await checkedRequest(app);
      const login = await http.post('/api/auth/login').send({ email: 'admin@lite.test', password: 'pglite-round-trip' });
      expect(login.status).toBe(200);
      const bearer = { Authorization: `Bearer ${login.body.token as string}` };
      const intake = {
        servedCriticality: 'high',
        dataSensitivity: 'confidential',
        aiModelProvider: true,
        substitutability: 'difficult',
        financialHealth: 'healthy',
      };
      const created = await http
        .post('/api/vendors')
        .set(bearer)
        .send({ name: 'Lite Vendor', intake, identifiers: { duns: '123456789' } });
      expect(created.status).toBe(201);
      const read = await http.get(`/api/vendors/${created.body.id as string}`).set(bearer);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ name: 'Lite Vendor', identifiers: { duns: '123456789' }, intake, tier: created.body.tier });
      const verify = await http.get('/api/audit-log/verify').set(bearer);
      // One entry is the start's: it seeded the built-in questionnaire template of the organization created above by SQL.
      expect(verify.body).toMatchObject({ status: 'ok', ok: true, checked: 3, expected: 3, firstBroken: null });
      const templates = await http.get('/api/questionnaire-templates').set(bearer);
      expect(templates.body.items).toEqual([
        expect.objectContaining({ name: 'AI supplier disaster recovery', builtIn: true, status: 'published' }),
      ]);
      const health = await http.get('/api/health');
      expect(health.body).toMatchObject({ status: 'ok', mode: 'embedded', database: { ok: true, embedded: true } });
    } finally {
      await app.close();
    }
  });

  it('keeps audit_log append-only: UPDATE, DELETE and TRUNCATE are refused, deleting an organization still takes its log', async () => {
    const c = new Client({ connectionString: pg.url });
    await c.connect();
    try {
      const org = async (slug: string) =>
        (await c.query<{ id: string }>(`INSERT INTO organizations (name, slug) VALUES ($1, $1) RETURNING id`, [slug])).rows[0]!.id;
      const entry = (organizationId: string) =>
        c.query(
          `INSERT INTO audit_log (organization_id, seq, at, action, entity_type, prev_hash, hash) VALUES ($1, 1, now(), 'x.done', 'x', $2, $2)`,
          [organizationId, '0'.repeat(64)],
        );
      const kept = await org('lite-append-kept');
      const gone = await org('lite-append-gone');
      await entry(kept);
      await entry(gone);
      const refused = /audit_log is append-only/;
      await expect(c.query(`UPDATE audit_log SET action = 'forged' WHERE organization_id = $1`, [kept])).rejects.toThrow(refused);
      await expect(c.query(`DELETE FROM audit_log WHERE organization_id = $1`, [kept])).rejects.toThrow(refused);
      await expect(c.query(`TRUNCATE audit_log`)).rejects.toThrow(refused);
      await c.query(`DELETE FROM organizations WHERE id = $1`, [gone]);
      const left = await c.query<{ organization_id: string; action: string }>(
        `SELECT organization_id, action FROM audit_log WHERE organization_id IN ($1, $2)`,
        [kept, gone],
      );
      expect(left.rows).toEqual([{ organization_id: kept, action: 'x.done' }]);
    } finally {
      await c.end();
    }
  });
});
