import { auth, type TestApp } from './app';

/**
 * Polls `fn` until it returns something other than `undefined` and returns that, or fails after `ms`
 * with a message naming `what` was awaited. For the work a test starts and cannot await directly
 * (queued jobs, a worker process, mail written to the outbox).
 */
export async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 15_000, every = 100): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Asks for a poll of the source now (202) and waits until the source records it; answers the source. */
export async function pollAndWait(t: TestApp, token: string, sourceId: string): Promise<Record<string, unknown>> {
  const before = (await t.http.get(`/api/signal-sources/${sourceId}`).set(auth(token))).body.lastPollAt;
  const res = await t.http.post(`/api/signal-sources/${sourceId}/poll`).set(auth(token));
  if (res.status !== 202) throw new Error(`poll of ${sourceId} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return until('the poll to finish', async () => {
    const s = (await t.http.get(`/api/signal-sources/${sourceId}`).set(auth(token))).body;
    return s.lastPollAt && s.lastPollAt !== before ? s : undefined;
  });
}
