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
