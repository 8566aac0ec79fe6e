import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

import { runMigrations, startEmbeddedPostgres } from '../../libs/platform/src/index';
// Relative imports: global setup runs outside the projects' resolve conditions, so package names would load stale dist/ builds.
import { MIGRATIONS } from '../../migrations/src/index';
import { missingService, reachable, TEST_DATABASE_URL } from './services';

/** Whether a process of this machine is alive (a pid reused by another process counts as alive: nothing is lost). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What killed runs leave behind: their databases (named after the test process's pid, dropped once that process is
 * gone) and their file-storage folders (removed after a day untouched). Runs in progress keep theirs.
 */
async function removeLeftovers(admin: Client): Promise<void> {
  const dbs = (await admin.query(`SELECT datname FROM pg_database WHERE datname ~ '^bulwark_(t|tpl)_[0-9]+'`)).rows as {
    datname: string;
  }[];
  for (const { datname } of dbs) {
    const pid = Number(/^bulwark_(?:t|tpl)_(\d+)/.exec(datname)![1]);
    if (!alive(pid)) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined);
  }
  const dayAgo = Date.now() - 86_400_000;
  for (const name of readdirSync(tmpdir()).filter((n) => /^bulwark-(test|pglite)-/.test(n))) {
    const path = join(tmpdir(), name);
    try {
      if (statSync(path).mtimeMs < dayAgo) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed meanwhile by its own run.
    }
  }
}

/**
 * Prepares one migrated template database for the run. On PostgreSQL each test file then clones it
 * (CREATE DATABASE … TEMPLATE, ~0.1 s); without PostgreSQL, a migrated PGlite data directory is
 * dumped once and each test file loads its own copy.
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (await reachable(TEST_DATABASE_URL, 5432)) {
    const template = `bulwark_tpl_${process.pid}`;
    const admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await removeLeftovers(admin);
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    await admin.end();
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${template}`;
    await runMigrations({ url: url.toString(), entities: [], migrations: MIGRATIONS });
    process.env['BULWARK_TEST_DB'] = JSON.stringify({ kind: 'postgres', admin: TEST_DATABASE_URL, template });
    return async () => {
      const c = new Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await c.end();
    };
  }
  missingService(`PostgreSQL not reachable at ${TEST_DATABASE_URL}: API and browser tests ran on PGlite instead`);
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-pglite-tpl-'));
  const pg = await startEmbeddedPostgres({ dataDir: dir, maxConnections: 2 });
  await runMigrations({ url: pg.url, entities: [], migrations: MIGRATIONS });
  await pg.close();
  process.env['BULWARK_TEST_DB'] = JSON.stringify({ kind: 'pglite', dir });
  return async () => rmSync(dir, { recursive: true, force: true });
}
