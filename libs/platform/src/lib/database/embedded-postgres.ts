import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  close(): Promise<void>;
}

/**
 * PostgreSQL in-process (PGlite) behind a socket server, so the ordinary `pg` driver and the same
 * migrations run on it. PGlite serializes queries: code inside a transaction must use that
 * transaction's manager only, or it waits forever for itself.
 */
export async function startEmbeddedPostgres(
  opts: { dataDir?: string; maxConnections?: number; loadDataDir?: Blob } = {},
): Promise<EmbeddedPostgres> {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: opts.dataDir, loadDataDir: opts.loadDataDir });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: opts.maxConnections ?? 20 });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}
