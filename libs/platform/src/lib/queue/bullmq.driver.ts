import { Logger } from '@nestjs/common';
import { Queue, UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import IORedis from 'ioredis';

import { ServiceUnavailable } from '../errors/domain.exception.js';
import { DEFAULT_JOB_OPTIONS, PermanentJobError, queueFor, QUEUES, type JobMap, type JobName, type QueueName } from './jobs.js';
import type { EnqueueOptions, JobRegistry, QueueHealth, QueuePort, ScheduleEntry, SchedulesDriver } from './queue.port.js';

/** How long an enqueue or a scheduler change may take, waiting for the connection included, before it counts as unavailable. */
export const ENQUEUE_TIMEOUT_MS = 2000;

const UNAVAILABLE_MESSAGE = 'Bulwark cannot reach its job queue right now. Try again in a moment.';

export function redisConnection(url: string): IORedis {
  // maxRetriesPerRequest: null is what BullMQ workers need; commands wait for a reconnect instead of failing.
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}

/**
 * The producers' connection (the API's enqueues, scheduler changes, health): it fails fast instead of
 * waiting for Redis. While disconnected a command fails at once rather than waiting in ioredis's
 * offline queue, and a command in flight when the connection drops fails rather than being re-sent
 * after the reconnect: either would run it long after the request that sent it answered 503.
 */
export function producerConnection(url: string): IORedis {
  return new IORedis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    enableReadyCheck: true,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
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

class QueueTimeout extends Error {
  constructor(what: string, ms: number) {
    super(`${what} took more than ${ms} ms`);
    this.name = 'QueueTimeout';
  }
}

/** Redis replies that mean "not now" (loading, a read-only replica after a failover, out of memory), not a bug of ours. */
const UNAVAILABLE_REPLY = /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY|OOM)\b/;
const CONNECTION_ERROR =
  /Stream isn't writeable|Connection is closed|max retries per request|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/i;

function isUnavailable(err: unknown): boolean {
  if (err instanceof QueueTimeout) return true;
  const e = err as { name?: unknown; message?: unknown; code?: unknown } | null;
  const text = `${String(e?.name ?? '')} ${String(e?.code ?? '')} ${String(e?.message ?? '')}`;
  return e?.name === 'MaxRetriesPerRequestError' || CONNECTION_ERROR.test(text) || UNAVAILABLE_REPLY.test(String(e?.message ?? ''));
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  // A command that already left may still complete after the timeout; its outcome is ignored.
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueTimeout(what, ms)), Math.max(0, ms));
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export class BullMqQueue implements QueuePort, SchedulesDriver {
  private readonly logger = new Logger('Queue');
  private readonly queues = new Map<QueueName, Queue>();
  private readonly connection: IORedis;
  private scanned: { at: number; names: QueueName[] } | undefined;
  /** When this process last recorded each queue in the registry set (refreshed at most once a minute: Redis may have lost it). */
  private readonly registered = new Map<QueueName, number>();
  private readonly reconnectListeners: (() => void)[] = [];
  /** The connection was ready at least once: a later loss is an outage, not a start-up. */
  private wasReady = false;
  /** The last reason Redis was unusable, logged once per outage (null while it works). */
  private outage: string | null = null;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly timeoutMs = ENQUEUE_TIMEOUT_MS,
  ) {
    this.connection = producerConnection(url);
    this.connection.on('error', () => undefined);
    this.connection.on('ready', () => {
      const again = this.wasReady;
      this.wasReady = true;
      if (this.outage !== null) this.logger.log('Redis answers again');
      this.outage = null;
      if (again) for (const listener of this.reconnectListeners) listener();
    });
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  private queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, {
        connection: this.connection as unknown as ConnectionOptions,
        prefix: this.prefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      // Connection errors surface through health() and the callers' 503; ioredis reconnects by itself.
      q.on('error', () => undefined);
      this.queues.set(name, q);
    }
    return q;
  }

  /**
   * Waits for the connection within the deadline: only while it is being made for the first time (the
   * process just started). A connection that was lost fails at once; ioredis reconnects in the background.
   */
  private async ready(deadline: number): Promise<void> {
    const c = this.connection;
    if (c.status === 'ready') return;
    if (this.wasReady || c.status === 'end') throw new Error(`Connection is closed (${c.status})`);
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        c.off('ready', onReady);
        if (err) reject(err);
        else resolve();
      };
      const onReady = () => done();
      const timer = setTimeout(() => done(new QueueTimeout('connecting to Redis', this.timeoutMs)), Math.max(0, deadline - Date.now()));
      c.on('ready', onReady);
    });
  }

  /** Runs `work` against Redis within the timeout; an unreachable or unusable Redis becomes `ServiceUnavailable`. */
  private async call<T>(what: string, work: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.timeoutMs;
    try {
      await this.ready(deadline);
      return await withTimeout(work(), deadline - Date.now(), what);
    } catch (err) {
      if (!isUnavailable(err)) throw err;
      if (err instanceof QueueTimeout) this.recycle();
      const reason = `${what}: ${(err as Error).message}`;
      if (this.outage === null) this.logger.error(`Redis is unavailable (${reason}); enqueues answer 503 until it is back`);
      this.outage = reason;
      throw new ServiceUnavailable(UNAVAILABLE_MESSAGE);
    }
  }

  /**
   * Drops a connection that stopped answering and lets ioredis make a new one. ioredis has no timeout of
   * its own once connected: a connection whose packets are dropped (a hung Redis, a network partition
   * without resets) would otherwise stay "ready" and fail every command by timeout until the kernel gives
   * up on the socket, many minutes later. Commands in flight on it fail; none is re-sent.
   */
  private recycle(): void {
    if (this.connection.status === 'end' || this.connection.status === 'reconnecting') return;
    this.logger.warn(`Redis stopped answering (connection ${this.connection.status}); reconnecting`);
    this.connection.disconnect(true);
  }

  async add<N extends JobName>(name: N, data: JobMap[N], opts: EnqueueOptions = {}): Promise<void> {
    const queue = queueFor(name, data);
    await this.call(`enqueueing ${name}`, () => this.queue(queue).add(name, data, { jobId: opts.jobId, delay: opts.delayMs }));
    await this.register(queue);
  }

  /** The set of queue names other processes read (`knownQueues`): no SCAN over a keyspace holding every job. */
  private get registryKey(): string {
    return `${this.prefix}:bulwark:queues`;
  }

  private async register(queue: QueueName): Promise<void> {
    const at = this.registered.get(queue);
    if (at !== undefined && Date.now() - at < 60_000) return;
    this.registered.set(queue, Date.now());
    // Best effort: a failure leaves the bounded SCAN to find the queue, and the next enqueue retries.
    await withTimeout(this.connection.sadd(this.registryKey, queue), 2000, 'registering the queue').catch(() =>
      this.registered.delete(queue),
    );
  }

  async schedule<N extends JobName>(key: string, everyMs: number, name: N, data: JobMap[N]): Promise<void> {
    const queue = queueFor(name, data);
    await this.call(`scheduling ${key}`, () => this.queue(queue).upsertJobScheduler(key, { every: everyMs }, { name, data }));
    await this.register(queue);
  }

  async unschedule<N extends JobName>(key: string, name: N, data: JobMap[N]): Promise<void> {
    await this.removeSchedule(queueFor(name, data), key);
  }

  async removeSchedule(queue: QueueName, key: string): Promise<void> {
    await this.call(`unscheduling ${key}`, () => this.queue(queue).removeJobScheduler(key));
  }

  async listSchedules(queues?: QueueName[]): Promise<ScheduleEntry[]> {
    const names = queues ?? [
      ...new Set<QueueName>([QUEUES.default, ...this.queues.keys(), ...(await this.call('listing queues', () => this.knownQueues(true)))]),
    ];
    const out: ScheduleEntry[] = [];
    for (const queue of [...new Set(names)].sort()) {
      const found = await this.call(`listing the schedulers of ${queue}`, () => this.queue(queue).getJobSchedulers(0, -1));
      for (const s of found) out.push({ queue, key: s.key, everyMs: s.every ?? null });
    }
    return out;
  }

  /** One ZRANGE per queue on the schedulers' sorted set (`Queue.keys.repeat`), without reading each scheduler. */
  async scheduleKeys(queues: QueueName[]): Promise<Omit<ScheduleEntry, 'everyMs'>[]> {
    const out: Omit<ScheduleEntry, 'everyMs'>[] = [];
    for (const queue of [...new Set(queues)].sort()) {
      const keys = await this.call(`listing the schedulers of ${queue}`, () =>
        this.connection.zrange(this.queue(queue).keys['repeat']!, 0, -1),
      );
      for (const key of keys) out.push({ queue, key });
    }
    return out;
  }

  async health(): Promise<QueueHealth> {
    try {
      const pong = await withTimeout(this.connection.ping(), 2000, 'PING');
      const names = new Set<QueueName>([QUEUES.default, ...this.queues.keys(), ...(await this.knownQueues())]);
      const queues: NonNullable<QueueHealth['queues']> = {};
      const counts: Record<string, number> = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
      for (const name of [...names].sort()) {
        const q = this.queue(name);
        const c = await withTimeout(q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'), 2000, 'job counts');
        for (const [k, v] of Object.entries(c)) counts[k] = (counts[k] ?? 0) + v;
        const workers = await withTimeout(q.getWorkersCount(), 2000, 'workers').catch(() => null);
        queues[name] = { counts: c, workers };
      }
      return { driver: 'bullmq', ok: pong === 'PONG', reachable: pong === 'PONG', counts, queues };
    } catch (err) {
      if (err instanceof QueueTimeout) this.recycle();
      return { driver: 'bullmq', ok: false, reachable: false, detail: (err as Error).message };
    }
  }

  /**
   * Queues that exist in Redis under our prefix (per-plugin poll queues another process created), bounded.
   * Health is polled by load balancers, so the SCAN runs at most once a minute unless `fresh` (the
   * scheduler reconciliation, which must see every queue); queues come and go rarely.
   */
  private async knownQueues(fresh = false): Promise<QueueName[]> {
    if (!fresh && this.scanned && Date.now() - this.scanned.at < 60_000) return this.scanned.names;
    // The registry set names every queue a process enqueued to; the bounded SCAN finds queues of processes older than it.
    const found = new Set<QueueName>((await this.connection.smembers(this.registryKey)) as QueueName[]);
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

  /** Closes within a bounded time even when Redis is gone (a BullMQ close would wait for it). */
  async close(): Promise<void> {
    await withTimeout(Promise.all([...this.queues.values()].map((q) => q.close())), 2000, 'closing the queues').catch(() => undefined);
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
