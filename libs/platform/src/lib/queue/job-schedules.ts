import { Injectable } from '@nestjs/common';

import { queueFor, type JobMap, type JobName, type QueueName } from './jobs.js';

/** A job scheduler that must exist: `name` with `data` every `everyMs`, under `key`. */
export type DesiredSchedule = { [N in JobName]: { key: string; everyMs: number; name: N; data: JobMap[N] } }[JobName];

export type ScheduleSource = () => readonly DesiredSchedule[] | Promise<readonly DesiredSchedule[]>;

/**
 * The job schedulers the application needs, declared by the code that owns them and read from its own
 * data (the enabled signal sources, say), never from the queue. Redis may lose its schedulers (restarted
 * without persistence, a failover to an empty replica, a FLUSHALL); `ManagedQueue` puts the queue back
 * in line with these declarations at start-up, periodically, after Redis comes back and when health
 * finds one missing.
 *
 * Each declaration owns the scheduler keys that start with its prefix: a scheduler under it that the
 * source no longer lists is removed; keys nobody declared are left alone (another version of the
 * application may be running during a rolling deployment).
 */
@Injectable()
export class JobSchedules {
  private readonly owners: { prefix: string; source: ScheduleSource }[] = [];

  /** Declares the schedulers under `prefix` (in a module's `onModuleInit`, before the first reconciliation). */
  declare(prefix: string, source: ScheduleSource): void {
    if (!prefix) throw new Error('A schedule declaration needs a key prefix');
    const clash = this.owners.find((o) => o.prefix.startsWith(prefix) || prefix.startsWith(o.prefix));
    if (clash) throw new Error(`Schedule prefix ${prefix} overlaps ${clash.prefix}, already declared`);
    this.owners.push({ prefix, source });
  }

  /** Whether a declaration owns `key` (and so keeps it reconciled). */
  owns(key: string): boolean {
    return this.owners.some((o) => key.startsWith(o.prefix));
  }

  /** Every declared scheduler with the queue it runs on. */
  async desired(): Promise<(DesiredSchedule & { queue: QueueName })[]> {
    const out: (DesiredSchedule & { queue: QueueName })[] = [];
    for (const { prefix, source } of this.owners) {
      for (const s of await source()) {
        if (!s.key.startsWith(prefix)) throw new Error(`Scheduler ${s.key} is declared outside its prefix ${prefix}`);
        out.push({ ...s, queue: queueFor(s.name, s.data) });
      }
    }
    return out;
  }
}
