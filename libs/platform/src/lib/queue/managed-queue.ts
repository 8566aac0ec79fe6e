import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';

import { ServiceUnavailable } from '../errors/domain.exception.js';
import { JobSchedules } from './job-schedules.js';
import type { JobMap, JobName, QueueName } from './jobs.js';
import type { EnqueueOptions, QueueHealth, QueuePort, SchedulerHealth, SchedulesDriver } from './queue.port.js';

export const QUEUE_DRIVER = Symbol('bulwark:queue-driver');
export type QueueDriver = QueuePort & SchedulesDriver;

/** How often the declared schedulers are reconciled when nothing else asks for it (a reconnect, a health check that finds one missing). */
export const RECONCILE_EVERY_MS = 60_000;

const id = (queue: QueueName, key: string) => `${queue}\u0000${key}`;

/**
 * The queue the application injects (`QUEUE`): the configured driver, plus the declared job schedulers
 * (`JobSchedules`) kept in it. Reconciliation adds what is declared and missing (or has another
 * interval) and removes what a declaration owns but no longer lists; it runs at start-up, every
 * `RECONCILE_EVERY_MS`, as soon as the driver reconnects (Redis may come back empty) and when a health
 * check finds a scheduler missing. It is idempotent, so every process (API and workers) runs it.
 */
@Injectable()
export class ManagedQueue implements QueuePort, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Schedules');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private rerun = false;
  private closed = false;
  /** When the last reconciliation that completed had started. */
  private reconciledAt: Date | null = null;

  constructor(
    @Inject(QUEUE_DRIVER) private readonly driver: QueueDriver,
    private readonly schedules: JobSchedules,
  ) {}

  add<N extends JobName>(name: N, data: JobMap[N], opts?: EnqueueOptions): Promise<void> {
    return this.driver.add(name, data, opts);
  }

  /**
   * Applies a declared scheduler's change at once. When the queue is unavailable the change is left to
   * the next reconciliation (the declaration is what counts), so a committed change never fails on it.
   */
  async schedule<N extends JobName>(key: string, everyMs: number, name: N, data: JobMap[N]): Promise<void> {
    try {
      await this.driver.schedule(key, everyMs, name, data);
    } catch (err) {
      this.deferred(key, err);
    }
  }

  async unschedule<N extends JobName>(key: string, name: N, data: JobMap[N]): Promise<void> {
    try {
      await this.driver.unschedule(key, name, data);
    } catch (err) {
      this.deferred(key, err);
    }
  }

  private deferred(key: string, err: unknown): void {
    if (!(err instanceof ServiceUnavailable) || !this.schedules.owns(key)) throw err;
    this.logger.warn(`Scheduler ${key} was not changed now (the queue is unavailable); the next reconciliation applies the change`);
    void this.reconcile();
  }

  /** Runs `listener` whenever the driver's connection comes back after it was lost. */
  onReconnect(listener: () => void): void {
    this.driver.onReconnect(listener);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.driver.onReconnect(() => {
      this.logger.log('The queue is reachable again: reconciling the job schedulers');
      void this.reconcile();
    });
    await this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), RECONCILE_EVERY_MS);
    this.timer.unref();
  }

  /**
   * Brings the queue in line with the declarations. One at a time: a call while one runs is answered by
   * that run followed by one more (what changed meanwhile is seen). Never throws: a failure is logged and
   * the next trigger tries again.
   */
  reconcile(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.rerun = false;
        await this.reconcileOnce().catch((err: Error) => this.logger.warn(`Reconciling the job schedulers failed: ${err.message}`));
      } while (this.rerun && !this.closed);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async reconcileOnce(): Promise<void> {
    if (this.closed) return;
    const startedAt = new Date();
    // What the queue holds is read before what is declared: a scheduler that a concurrent change adds in
    // between was declared (committed) before it was added, so it is never taken for a stale one.
    const held = await this.driver.listSchedules();
    const desired = await this.schedules.desired();
    const byId = new Map(held.map((h) => [id(h.queue, h.key), h]));
    let restored = 0;
    for (const d of desired) {
      const h = byId.get(id(d.queue, d.key));
      if (h && h.everyMs === d.everyMs) continue;
      await this.driver.schedule(d.key, d.everyMs, d.name, d.data);
      restored += 1;
    }
    const wanted = new Set(desired.map((d) => id(d.queue, d.key)));
    let removed = 0;
    for (const h of held) {
      if (wanted.has(id(h.queue, h.key)) || !this.schedules.owns(h.key)) continue;
      await this.driver.removeSchedule(h.queue, h.key);
      removed += 1;
    }
    this.reconciledAt = startedAt;
    if (restored || removed)
      this.logger.log(`Job schedulers reconciled: ${restored} added or updated, ${removed} removed, ${desired.length} declared`);
  }

  async health(): Promise<QueueHealth> {
    const h = await this.driver.health();
    return { ...h, schedulers: await this.schedulerHealth(h.reachable ?? h.ok) };
  }

  /** Declared schedulers against those the queue holds; one found missing starts a reconciliation. */
  private async schedulerHealth(reachable: boolean): Promise<SchedulerHealth> {
    const reconciledAt = this.reconciledAt?.toISOString() ?? null;
    const unknown = (expected: number | null): SchedulerHealth => ({ ok: false, expected, registered: null, missing: null, reconciledAt });
    let desired: Awaited<ReturnType<JobSchedules['desired']>>;
    try {
      desired = await this.schedules.desired();
    } catch {
      return unknown(null);
    }
    if (!reachable) return unknown(desired.length);
    let held: Set<string>;
    try {
      held = new Set((await this.driver.scheduleKeys(desired.map((d) => d.queue))).map((h) => id(h.queue, h.key)));
    } catch {
      return unknown(desired.length);
    }
    const missing = desired.filter((d) => !held.has(id(d.queue, d.key))).length;
    if (missing > 0) void this.reconcile();
    return { ok: missing === 0, expected: desired.length, registered: desired.length - missing, missing, reconciledAt };
  }

  /** Resolves when no job is waiting or running, for drivers that can tell (the in-process one; tests). */
  async drain(timeoutMs?: number): Promise<void> {
    const d = this.driver as Partial<{ drain(ms?: number): Promise<void> }>;
    if (!d.drain) throw new Error('This queue driver cannot be drained');
    await d.drain(timeoutMs);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  async close(): Promise<void> {
    await this.onModuleDestroy();
    await this.driver.close();
  }
}
