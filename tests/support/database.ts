import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

import { startEmbeddedPostgres } from '@bulwark/platform';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

type Prepared = { kind: 'postgres'; admin: string; template: string } | { kind: 'pglite'; dir: string };

/** A freshly migrated database of this test file's own, cloned from the run's template. */
export async function freshDatabase(): Promise<TestDatabase> {
  const raw = process.env['BULWARK_TEST_DB'];
  if (!raw) throw new Error('BULWARK_TEST_DB is not set: run through vitest with tests/support/global-setup.ts');
  const prepared = JSON.parse(raw) as Prepared;
  if (prepared.kind === 'postgres') {
    const name = `bulwark_t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
    const admin = new Client({ connectionString: prepared.admin });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${prepared.template}`);
    await admin.end();
    const url = new URL(prepared.admin);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async drop() {
        const c = new Client({ connectionString: prepared.admin });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-pglite-'));
  cpSync(prepared.dir, dir, { recursive: true });
  const pg = await startEmbeddedPostgres({ dataDir: dir, maxConnections: 20 });
  return {
    url: pg.url,
    async drop() {
      await pg.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
