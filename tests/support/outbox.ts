import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface OutboxMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  idempotencyKey: string;
  writtenAt: string;
  [key: string]: unknown;
}

/**
 * The finished messages in a development outbox folder. The outbox writes `<name>.json.tmp` and renames
 * it, so only `*.json` files are complete; a reader that picks up the temporary file can see half a message.
 */
export function readOutbox(dir: string): Array<OutboxMail & { file: string }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ ...(JSON.parse(readFileSync(join(dir, file), 'utf8')) as OutboxMail), file }));
}

/** Waits until a finished message matches, and returns it. */
export async function waitForMail(
  dir: string,
  match: (m: OutboxMail & { file: string }) => boolean,
  timeoutMs = 5000,
): Promise<OutboxMail & { file: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readOutbox(dir).find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching mail in ${dir} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
