import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  assertRedisReachable,
  BullMqQueue,
  InProcessQueue,
  JobRegistry,
  OutboxMailer,
  PermanentJobError,
  QUEUES,
  startBullMqWorker,
  type MailJob,
} from '@bulwark/platform';

import { readOutbox } from '../support/outbox';
import { missingService, reachable, TEST_REDIS_URL } from '../support/services';
import { until } from '../support/wait';

const mail = (key: string): MailJob => ({ to: 'someone@example.com', subject: `Hello ${key}`, text: 'Body', idempotencyKey: key });

describe('BullMQ driver on the real Redis', () => {
  let redisUp = false;
  const prefix = `bulwark-test-${process.pid}-${Date.now()}`;
  let dir: string;
  let queue: BullMqQueue;
  let worker: Worker;
  /** Every run of the mail handler, by idempotency key: the job it belonged to and which attempt it was. */
  const runs = new Map<string, { jobId: string; attempt: number }[]>();
  /** Reads the job counts for the tests (its own client: `queue`'s list of known queues stays as the health test expects). */
  let observer: BullMqQueue;
  /** Nothing on the default queue is waiting, running or delayed for a retry: every job has reached its final state. */
  const settled = async () => {
    const counts = (await observer.health()).queues?.[QUEUES.default]?.counts;
    return counts && counts['waiting'] === 0 && counts['active'] === 0 && counts['delayed'] === 0 ? counts : undefined;
  };

  beforeAll(async () => {
    redisUp = await reachable(TEST_REDIS_URL, 6379);
    if (!redisUp) return missingService(`Redis not reachable at ${TEST_REDIS_URL}: BullMQ queue tests skipped`);
    await assertRedisReachable(TEST_REDIS_URL);
    dir = mkdtempSync(join(tmpdir(), 'bulwark-outbox-'));
    const registry = new JobRegistry();
    const mailer = new OutboxMailer(dir, 'Bulwark <no-reply@test>');
    registry.register('mail.send', async (job, meta) => {
      runs.set(job.idempotencyKey, [...(runs.get(job.idempotencyKey) ?? []), meta]);
      if (job.subject.includes('permanent')) throw new PermanentJobError('bad address');
      await mailer.send(job);
    });
    queue = new BullMqQueue(TEST_REDIS_URL, prefix);
    observer = new BullMqQueue(TEST_REDIS_URL, prefix);
    worker = startBullMqWorker(TEST_REDIS_URL, prefix, QUEUES.default, registry, 2);
  });
  afterAll(async () => {
    await worker?.close();
    await queue?.close();
    await observer?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('delivers an enqueued mail job to the handler in the worker', async (ctx) => {
    if (!redisUp) return ctx.skip('Redis not reachable');
    await queue.add('mail.send', mail('k1'), { jobId: 'mail-k1' });
    const sent = await until('mail k1 in the outbox', () => readOutbox(dir).find((m) => m.idempotencyKey === 'k1'));
    expect(sent).toMatchObject({ to: 'someone@example.com', subject: 'Hello k1' });
  });

  it('an enqueue with the same job id runs once', async (ctx) => {
    if (!redisUp) return ctx.skip('Redis not reachable');
    await queue.add('mail.send', mail('k2'), { jobId: 'mail-k2' });
    await queue.add('mail.send', mail('k2'), { jobId: 'mail-k2' });
    await until('mail k2 in the outbox', () => readOutbox(dir).find((m) => m.idempotencyKey === 'k2'));
    await until('every job to finish', settled);
    // One job, under the given id: a second job would have run too. (BullMQ delivers at least once, so
    // the number of runs is not the measure; the jobs that ran are.)
    expect(new Set(runs.get('k2')?.map((r) => r.jobId))).toEqual(new Set(['mail-k2']));
  });

  it('a permanent error is not retried', async (ctx) => {
    if (!redisUp) return ctx.skip('Redis not reachable');
    await queue.add('mail.send', { ...mail('k3'), subject: 'permanent failure' });
    await until('a first attempt of k3', () => runs.get('k3'));
    // Failed for good rather than waiting for a retry (the backoff puts a retried job among the delayed ones).
    const counts = await until('k3 to fail for good', settled);
    expect(counts['failed']).toBeGreaterThanOrEqual(1);
    expect(runs.get('k3')!.map((r) => r.attempt)).toEqual(runs.get('k3')!.map(() => 1));
  });

  it('reports health with job counts', async (ctx) => {
    if (!redisUp) return ctx.skip('Redis not reachable');
    // Another process (here: another client) enqueues a poll on its plugin's queue; nobody consumes it.
    const other = new BullMqQueue(TEST_REDIS_URL, prefix);
    await other.add('signals.poll', { sourceId: 's1', organizationId: 'o1', plugin: 'statuspage' }, { jobId: 'poll-s1' });
    await other.close();
    const h = await queue.health();
    expect(h).toMatchObject({ driver: 'bullmq', ok: true });
    expect(h.counts).toHaveProperty('failed');
    expect(h.queues?.['bulwark-poll-statuspage']).toEqual({ counts: expect.objectContaining({ waiting: 1 }), workers: 0 });
    expect(h.queues?.[QUEUES.default]?.workers).toBeGreaterThanOrEqual(1);
    expect(h.counts!.waiting).toBeGreaterThanOrEqual(1);
  });

  it("knows another process's queues in a Redis holding many keys (no bounded SCAN decides it)", async (ctx) => {
    if (!redisUp) return ctx.skip('Redis not reachable');
    const redis = new Redis(TEST_REDIS_URL);
    const junk = `${prefix}-junk`;
    try {
      // 30,000 unrelated keys (other applications', other prefixes' jobs) around the queue's own.
      for (let i = 0; i < 30; i++) {
        const batch = redis.pipeline();
        for (let j = 0; j < 1000; j++) batch.set(`${junk}:${i}:${j}`, '1');
        await batch.exec();
      }
      const other = new BullMqQueue(TEST_REDIS_URL, prefix);
      await other.add('signals.poll', { sourceId: 's2', organizationId: 'o1', plugin: 'rss' }, { jobId: 'poll-s2' });
      await other.close();
      const fresh = new BullMqQueue(TEST_REDIS_URL, prefix);
      try {
        // A new client answers once its connection is up.
        const hh = await until('the new client connected', async () => {
          const h = await fresh.health();
          return h.ok ? h : undefined;
        });
        expect(hh.queues?.['bulwark-poll-rss']).toEqual({
          counts: expect.objectContaining({ waiting: 1 }),
          workers: 0,
        });
      } finally {
        await fresh.close();
      }
    } finally {
      for await (const keys of redis.scanStream({ match: `${junk}:*`, count: 1000 }) as AsyncIterable<string[]>)
        if (keys.length) await redis.unlink(...keys);
      await redis.quit();
    }
  });
});

describe('in-process driver', () => {
  it('retries a failing job with backoff, then succeeds', async () => {
    const registry = new JobRegistry();
    let calls = 0;
    registry.register('system.ping', async () => {
      calls += 1;
      if (calls < 3) throw new Error('transient');
    });
    const q = new InProcessQueue(registry, 5);
    await q.add('system.ping', { at: new Date().toISOString() });
    await q.drain();
    expect(calls).toBe(3);
    expect((await q.health()).counts).toMatchObject({ completed: 1, failed: 0 });
    await q.close();
  });

  it('keeps a job queued before its handler registered, and runs it once the handler is there', async () => {
    const registry = new JobRegistry();
    const q = new InProcessQueue(registry, 5);
    await q.add('system.ping', { at: 'early' });
    await new Promise((r) => setTimeout(r, 250));
    const seen: string[] = [];
    registry.register('system.ping', async ({ at }) => {
      seen.push(at);
    });
    await q.drain();
    expect(seen).toEqual(['early']);
    expect((await q.health()).counts).toMatchObject({ completed: 1, failed: 0 });
    await q.close();
  });

  it('does not retry a permanent error', async () => {
    const registry = new JobRegistry();
    let calls = 0;
    registry.register('system.ping', async () => {
      calls += 1;
      throw new PermanentJobError('no');
    });
    const q = new InProcessQueue(registry, 5);
    await q.add('system.ping', { at: 'x' });
    await q.drain();
    expect(calls).toBe(1);
    expect((await q.health()).counts).toMatchObject({ failed: 1 });
    await q.close();
  });
});
