import { appendFileSync, mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const SKIPS_FILE = resolve(ROOT, 'dist', 'test-skips.txt');
export const isCI = process.env['CI'] === 'true' || process.env['CI'] === '1';

export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** True when something accepts TCP connections at the URL's host and port. */
export function reachable(url: string, defaultPort: number, timeoutMs = 1500): Promise<boolean> {
  const u = new URL(url);
  return new Promise((done) => {
    const socket = createConnection({ host: u.hostname || '127.0.0.1', port: Number(u.port || defaultPort) });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/**
 * A test that cannot have a service it needs: under CI this is an error (nothing may be skipped);
 * elsewhere the reason is recorded and printed once at the end of `npm test`.
 */
export function missingService(reason: string): void {
  if (isCI) throw new Error(`CI=true and ${reason}`);
  mkdirSync(dirname(SKIPS_FILE), { recursive: true });
  appendFileSync(SKIPS_FILE, `${reason}\n`);
}
