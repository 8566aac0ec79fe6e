import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  close(): Promise<void>;
}

/** Makes a folder private to this user: the folder and every folder below it 0700, every file 0600. */
export function makePrivate(dir: string): void {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) makePrivate(path);
    else if (entry.isFile() && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  }
}

/**
 * PostgreSQL in-process (PGlite) behind a socket server, so the ordinary `pg` driver and the same
 * migrations run on it.
 *
 * PGlite is one database session. The socket server lets several connections in, but it relays their
 * protocol messages into that one session as they come, so two connections' extended-protocol
 * statements interleave (a statement bound with another's parameters, "portal does not exist").
 * Whoever connects must therefore use ONE connection at a time: the application's pool has a single
 * connection in embedded mode (`database.poolSize`), which runs every statement and transaction in turn
 * (ADR 0007). Code inside a transaction must use that transaction's manager only: a second connection
 * would wait for the first (the pool's connection timeout turns that into an error, not a hang).
 *
 * Private by construction: the data folder is 0700 with 0600 files, and the server listens on a Unix
 * socket in a fresh 0700 folder of its own, never on a TCP port another local user could reach.
 */
export async function startEmbeddedPostgres(
  opts: { dataDir?: string; maxConnections?: number; loadDataDir?: Blob } = {},
): Promise<EmbeddedPostgres> {
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    makePrivate(opts.dataDir);
  }
  const db = await PGlite.create({ dataDir: opts.dataDir, loadDataDir: opts.loadDataDir });
  // A short path (Unix socket paths are limited to about 100 bytes), private to this user.
  const socketDir = mkdtempSync(join(tmpdir(), 'bulwark-pg-'));
  chmodSync(socketDir, 0o700);
  const server = new PGLiteSocketServer({ db, path: join(socketDir, '.s.PGSQL.5432'), maxConnections: opts.maxConnections ?? 20 });
  await server.start();
  return {
    url: `postgres://postgres@${encodeURIComponent(socketDir)}/postgres`,
    async close() {
      await server.stop();
      await db.close();
      if (opts.dataDir) makePrivate(opts.dataDir);
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}
