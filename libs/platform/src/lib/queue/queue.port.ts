import { Inject } from '@nestjs/common';

import type { JobMap, JobName, QueueName } from './jobs.js';

export const QUEUE = Symbol('bulwark:queue');
export const InjectQueue = (): ParameterDecorator => Inject(QUEUE);

export interface EnqueueOptions {
  jobId?: string;
  delayMs?: number;
}

export interface QueueHealth {
  driver: 'bullmq' | 'inprocess';
  ok: boolean;
  /** BullMQ: Redis answered a PING in time. */
  reachable?: boolean;
  detail?: string;
  /** Job counts summed over every queue. */
  counts?: Record<string, number>;
  /** Per queue (BullMQ): job counts and how many workers consume it (null where Redis hides CLIENT LIST). */
  queues?: Record<string, { counts: Record<string, number>; workers: number | null }>;
  /** The declared job schedulers (see `JobSchedules`) against those the queue holds. */
  schedulers?: SchedulerHealth;
}

export interface SchedulerHealth {
  /** Every declared scheduler is in the queue. */
  ok: boolean;
  /** Declared (null when they could not be read, e.g. the database is down). */
  expected: number | null;
  /** Of those, how many the queue holds, and how many it lacks (null when the queue cannot be read). */
  registered: number | null;
  missing: number | null;
  /** When the last reconciliation that completed had started (ISO 8601), or null if none has. */
  reconciledAt: string | null;
}

/** A job scheduler as the queue holds it. */
export interface ScheduleEntry {
  queue: QueueName;
  key: string;
  /** The interval, or null for a scheduler that is not interval-based. */
  everyMs: number | null;
}

/** Reads and repairs the schedulers a driver holds; what `ManagedQueue` reconciles the declared ones against. */
export interface SchedulesDriver {
  /** The schedulers in these queues, or in every queue the driver knows when none are named. */
  listSchedules(queues?: QueueName[]): Promise<ScheduleEntry[]>;
  /** Only which schedulers exist in these queues (cheap enough for every health check). */
  scheduleKeys(queues: QueueName[]): Promise<Omit<ScheduleEntry, 'everyMs'>[]>;
  /** Removes a scheduler by queue and key (one no longer declared). */
  removeSchedule(queue: QueueName, key: string): Promise<void>;
  /** Runs `listener` each time the connection to the queue comes back after it was lost. */
  onReconnect(listener: () => void): void;
}

export type JobHandler<N extends JobName> = (data: JobMap[N], meta: { attempt: number; jobId: string }) => Promise<void>;

/**
 * The producer side: the API enqueues, a worker (or the in-process driver) runs the handlers.
 * Every call answers in bounded time: when the queue cannot take the job, `add` throws
 * `ServiceUnavailable` (503 to a request). The job is then not queued, unless Redis was only slow and
 * took it after the timeout, so a caller that commits nothing without the job stays consistent.
 */
export interface QueuePort {
  add<N extends JobName>(name: N, data: JobMap[N], opts?: EnqueueOptions): Promise<void>;
  /**
   * Runs `name` every `everyMs`, keyed by `key` (idempotent: re-scheduling replaces). For a key under a
   * declared `JobSchedules` prefix this applies a change at once, and when the queue cannot be reached
   * the change is left to the next reconciliation instead of failing the caller.
   */
  schedule<N extends JobName>(key: string, everyMs: number, name: N, data: JobMap[N]): Promise<void>;
  unschedule<N extends JobName>(key: string, name: N, data: JobMap[N]): Promise<void>;
  health(): Promise<QueueHealth>;
  close(): Promise<void>;
}

/** Handlers registered by feature modules; the worker and the in-process driver dispatch through it. */
export class JobRegistry {
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();

  register<N extends JobName>(name: N, handler: JobHandler<N>): void {
    if (this.handlers.has(name)) throw new Error(`A handler for ${name} is already registered`);
    this.handlers.set(name, handler as unknown as JobHandler<JobName>);
  }

  get(name: string): JobHandler<JobName> | undefined {
    return this.handlers.get(name as JobName);
  }

  names(): JobName[] {
    return [...this.handlers.keys()];
  }
}
