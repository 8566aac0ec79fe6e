import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';

import { DEFAULT_JOB_OPTIONS, PermanentJobError, queueFor, type JobMap, type JobName, type QueueName } from './jobs.js';
import type { EnqueueOptions, JobRegistry, QueueHealth, QueuePort, ScheduleEntry, SchedulesDriver } from './queue.port.js';

const HANDLER_POLL_MS = 100;
const HANDLER_WAIT_WARN_MS = 60_000;

/**
 * Runs jobs in this process with the same handlers, attempts and backoff as BullMQ. For the
 * embedded single-process mode; jobs in flight are lost on exit, which is acceptable there.
 */
export class InProcessQueue implements QueuePort, SchedulesDriver {
  private readonly logger = new Logger('InProcessQueue');
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly schedules = new Map<string, { timer: NodeJS.Timeout; queue: QueueName; everyMs: number }>();
  private readonly seen = new Set<string>();
  private running = 0;
  private completed = 0;
  private failed = 0;
  private closed = false;

  constructor(
    private readonly registry: JobRegistry,
    private readonly backoffMs = DEFAULT_JOB_OPTIONS.backoff.delay,
  ) {}

  async add<N extends JobName>(name: N, data: JobMap[N], opts: EnqueueOptions = {}): Promise<void> {
    if (this.closed) throw new Error('queue is closed');
    const jobId = opts.jobId ?? randomUUID();
    if (opts.jobId) {
      if (this.seen.has(jobId)) return;
      this.seen.add(jobId);
      if (this.seen.size > 10_000) this.seen.clear();
    }
    this.enqueue(name, data, jobId, 1, opts.delayMs ?? 0);
  }

  async schedule<N extends JobName>(key: string, everyMs: number, name: N, data: JobMap[N]): Promise<void> {
    await this.unschedule(key);
    const timer = setInterval(() => {
      if (!this.closed) void this.add(name, data);
    }, everyMs);
    timer.unref();
    this.schedules.set(key, { timer, queue: queueFor(name, data), everyMs });
  }

  async unschedule(key: string): Promise<void> {
    const s = this.schedules.get(key);
    if (s) clearInterval(s.timer);
    this.schedules.delete(key);
  }

  scheduledKeys(): string[] {
    return [...this.schedules.keys()];
  }

  /** Keys are unique across queues here (one map), as every key in use is. */
  async listSchedules(queues?: QueueName[]): Promise<ScheduleEntry[]> {
    return [...this.schedules]
      .filter(([, s]) => !queues || queues.includes(s.queue))
      .map(([key, s]) => ({ queue: s.queue, key, everyMs: s.everyMs }));
  }

  async scheduleKeys(queues: QueueName[]): Promise<Omit<ScheduleEntry, 'everyMs'>[]> {
    return (await this.listSchedules(queues)).map(({ queue, key }) => ({ queue, key }));
  }

  async removeSchedule(_queue: QueueName, key: string): Promise<void> {
    await this.unschedule(key);
  }

  /** In process nothing is ever lost to a reconnect. */
  onReconnect(): void {
    return;
  }

  private enqueue(name: JobName, data: unknown, jobId: string, attempt: number, delay: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.run(name, data, jobId, attempt);
    }, delay);
    this.timers.add(timer);
  }

  private async run(name: JobName, data: unknown, jobId: string, attempt: number, waitedMs = 0): Promise<void> {
    const handler = this.registry.get(name);
    if (!handler) {
      // Queued before its handler registered (e.g. while the application starts): the job waits for it,
      // as a BullMQ job waits in Redis for a worker; it is never dropped. After a long wait it is still
      // kept, and said loudly once, because a handler that never comes is a deployment fault.
      if (this.closed) return;
      if (waitedMs === HANDLER_WAIT_WARN_MS)
        this.logger.error(`Job ${name} ${jobId} has waited ${HANDLER_WAIT_WARN_MS / 1000} s for a handler; still waiting`);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.run(name, data, jobId, attempt, waitedMs + HANDLER_POLL_MS);
      }, HANDLER_POLL_MS);
      this.timers.add(timer);
      return;
    }
    this.running += 1;
    try {
      await handler(data as JobMap[JobName], { attempt, jobId });
      this.completed += 1;
    } catch (err) {
      const permanent = err instanceof PermanentJobError;
      if (!permanent && attempt < DEFAULT_JOB_OPTIONS.attempts && !this.closed) {
        this.logger.warn(`Job ${name} ${jobId} attempt ${attempt} failed: ${(err as Error).message}; retrying`);
        this.enqueue(name, data, jobId, attempt + 1, this.backoffMs * 2 ** (attempt - 1));
      } else {
        this.failed += 1;
        this.logger.error(`Job ${name} ${jobId} failed for good: ${(err as Error).message}`);
      }
    } finally {
      this.running -= 1;
    }
  }

  async health(): Promise<QueueHealth> {
    return {
      driver: 'inprocess',
      ok: !this.closed,
      counts: { active: this.running, waiting: this.timers.size, completed: this.completed, failed: this.failed },
    };
  }

  /** Resolves when no job is waiting or running (tests). */
  async drain(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.timers.size > 0 || this.running > 0) {
      if (Date.now() > until) throw new Error('queue did not drain in time');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.schedules.values()) clearInterval(s.timer);
    this.schedules.clear();
  }
}
