import { Logger } from '@nestjs/common';
import { Queue, UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import IORedis from 'ioredis';

import { DEFAULT_JOB_OPTIONS, PermanentJobError, queueFor, QUEUES, type JobMap, type JobName, type QueueName } from './jobs.js';
import type { EnqueueOptions, JobRegistry, QueueHealth, QueuePort } from './queue.port.js';

export function redisConnection(url: string): IORedis {
  // maxRetriesPerRequest: null is what BullMQ workers need; commands wait for a reconnect instead of failing.
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}

/** Pings Redis with a timeout, so a missing Redis fails start-up instead of hanging the first enqueue. */
export async function assertRedisReachable(url: string, timeoutMs = 3000): Promise<void> {
  const probe = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    throw new Error(`Redis at REDIS_URL is not reachable: ${(err as Error).message}`);
  } finally {
    probe.disconnect();
  }
}

export class BullMqQueue implements QueuePort {
  private readonly queues = new Map<QueueName, Queue>();
  private readonly connection: IORedis;
  private scanned: { at: number; names: QueueName[] } | undefined;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    this.connection = redisConnection(url);
    this.connection.on('error', () => undefined);
  }

  private queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, {
        connection: this.connection as unknown as ConnectionOptions,
        prefix: this.prefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      // Connection errors surface through health(); ioredis reconnects by itself.
      q.on('error', () => undefined);
      this.queues.set(name, q);
    }
    return q;
  }

  async add<N extends JobName>(name: N, data: JobMap[N], opts: EnqueueOptions = {}): Promise<void> {
    await this.queue(queueFor(name, data)).add(name, data, { jobId: opts.jobId, delay: opts.delayMs });
  }

  async schedule<N extends JobName>(key: string, everyMs: number, name: N, data: JobMap[N]): Promise<void> {
    await this.queue(queueFor(name, data)).upsertJobScheduler(key, { every: everyMs }, { name, data });
  }

  async unschedule<N extends JobName>(key: string, name: N, data: JobMap[N]): Promise<void> {
    await this.queue(queueFor(name, data)).removeJobScheduler(key);
  }

  async health(): Promise<QueueHealth> {
    try {
      const pong = await Promise.race([
        this.connection.ping(),
        new Promise<never>((_, rej) => setTimeout(() => rej(new Error('ping timed out')), 2000)),
      ]);
      const names = new Set<QueueName>([QUEUES.default, ...this.queues.keys(), ...(await this.knownQueues())]);
      const queues: NonNullable<QueueHealth['queues']> = {};
      const counts: Record<string, number> = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
      for (const name of [...names].sort()) {
        const q = this.queue(name);
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
        for (const [k, v] of Object.entries(c)) counts[k] = (counts[k] ?? 0) + v;
        const workers = await q.getWorkersCount().catch(() => null);
        queues[name] = { counts: c, workers };
      }
      return { driver: 'bullmq', ok: pong === 'PONG', counts, queues };
    } catch (err) {
      return { driver: 'bullmq', ok: false, detail: (err as Error).message };
    }
  }

  /**
   * Queues that exist in Redis under our prefix (per-plugin poll queues another process created), bounded.
   * Health is polled by load balancers, so the SCAN runs at most once a minute; queues come and go rarely.
   */
  private async knownQueues(): Promise<QueueName[]> {
    if (this.scanned && Date.now() - this.scanned.at < 60_000) return this.scanned.names;
    const found = new Set<QueueName>();
    let cursor = '0';
    for (let i = 0; i < 20; i++) {
      const [next, keys] = await this.connection.scan(cursor, 'MATCH', `${this.prefix}:bulwark-*:meta`, 'COUNT', 500);
      for (const k of keys) found.add(k.slice(this.prefix.length + 1, -':meta'.length) as QueueName);
      cursor = next;
      if (cursor === '0') break;
    }
    this.scanned = { at: Date.now(), names: [...found] };
    return this.scanned.names;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.connection.disconnect();
  }
}

/** Consumes a queue with the registered handlers (the worker process). */
export function startBullMqWorker(
  url: string,
  prefix: string,
  queue: QueueName,
  registry: JobRegistry,
  concurrency = 4,
  limiter?: { max: number; duration: number },
  lockMs = 30_000,
): Worker {
  const logger = new Logger(`Worker:${queue}`);
  const worker = new Worker(
    queue,
    async (job) => {
      const handler = registry.get(job.name);
      if (!handler) throw new UnrecoverableError(`No handler for job ${job.name}`);
      try {
        await handler(job.data as JobMap[JobName], { attempt: job.attemptsMade + 1, jobId: job.id ?? '' });
      } catch (err) {
        // BullMQ stops retrying on UnrecoverableError.
        if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
        throw err;
      }
    },
    {
      connection: redisConnection(url) as unknown as ConnectionOptions,
      prefix,
      concurrency,
      // A job whose worker died is picked up again once its lock lapses; a job that stalls twice fails.
      lockDuration: lockMs,
      stalledInterval: Math.max(500, Math.floor(lockMs / 2)),
      maxStalledCount: 1,
      ...(limiter ? { limiter } : {}),
    },
  );
  worker.on('failed', (job, err) => logger.warn(`${job?.name} ${job?.id} attempt ${job?.attemptsMade} failed: ${err.message}`));
  worker.on('error', (err) => logger.error(err.message));
  return worker;
}
