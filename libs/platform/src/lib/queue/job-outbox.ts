import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { afterCommitBatched } from '../database/after-commit.js';
import { ServiceUnavailable } from '../errors/domain.exception.js';
import type { JobMap, JobName } from './jobs.js';
import type { ManagedQueue } from './managed-queue.js';
import { QUEUE, type EnqueueOptions } from './queue.port.js';

/** How often each process relays what the queue could not take at once. */
export const OUTBOX_RELAY_EVERY_MS = 10_000;
const BATCH = 100;

interface Entry {
  id: string;
  name: JobName;
  data: unknown;
  jobId: string | null;
  delayMs: number | null;
}

export interface OutboxHealth {
  /** No job has waited in the outbox for more than a minute. */
  ok: boolean;
  /** Jobs recorded that the queue has not taken yet. */
  pending: number;
  oldestSeconds: number | null;
}

/** The job id a row is queued under, the same at every attempt, so a row relayed twice is one job. */
const jobIdOf = (e: Entry) => e.jobId ?? `outbox-${e.id}`;

/**
 * Jobs that follow a committed change, never lost to a queue outage (ADR 0010). `add` records the job
 * in the change's own transaction (`job_outbox`), so it exists exactly when the change does; once the
 * transaction commits the job is queued and its row deleted. When the queue cannot take it then (Redis
 * down), the row stays and the relay queues it later: every `OUTBOX_RELAY_EVERY_MS` and as soon as the
 * queue reconnects, in every process, under the same job id (handlers are idempotent anyway).
 */
@Injectable()
export class JobOutbox implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('JobOutbox');
  private timer: NodeJS.Timeout | null = null;
  private relaying: Promise<number> | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  /** Rows this process is delivering right after their commit: the relay leaves them to it. */
  private readonly delivering = new Set<string>();
  private closed = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(QUEUE) private readonly queue: ManagedQueue,
  ) {}

  /** Records a job in `m`'s transaction (or at once without one) and queues it after the commit; never for a rolled-back change. */
  async add<N extends JobName>(m: EntityManager, name: N, data: JobMap[N], opts: EnqueueOptions = {}): Promise<void> {
    const entry = await this.record(m, name, data, opts);
    // A transaction's jobs are delivered together: their rows are cleared in one statement.
    await afterCommitBatched(m, 'job-outbox', entry, async (entries) => this.deliver(entries));
  }

  /**
   * Records many jobs of one name in `m`'s transaction with one statement per chunk (each under its own job id),
   * queued after the commit like `add`: for work that sends hundreds of mails at once (a questionnaire campaign).
   */
  async addAll<N extends JobName>(m: EntityManager, name: N, jobs: readonly { data: JobMap[N]; jobId: string }[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += 1_000) {
      const chunk = jobs.slice(i, i + 1_000);
      const rows: { id: string; job_id: string }[] = await m.query(
        `INSERT INTO job_outbox (name, data, job_id) SELECT $1, x.data, x.job_id FROM jsonb_to_recordset($2::jsonb) AS x(data jsonb, job_id text)
         RETURNING id, job_id`,
        [name, JSON.stringify(chunk.map((j) => ({ data: j.data, job_id: j.jobId })))],
      );
      const byJob = new Map(chunk.map((j) => [j.jobId, j.data]));
      for (const r of rows) {
        const entry: Entry = { id: String(r.id), name, data: byJob.get(r.job_id), jobId: r.job_id, delayMs: null };
        await afterCommitBatched(m, 'job-outbox', entry, async (entries) => this.deliver(entries));
      }
    }
  }

  /**
   * Queues a job now, or records it for the relay when the queue is unavailable: for the follow-up of work
   * that has already committed (a domain event's subscriber), which must neither be lost nor fail that work.
   * The row is written without holding up the caller, which may be running inside a commit whose
   * connection is still held (a pool of one would wait for itself).
   */
  async enqueueOrKeep<N extends JobName>(name: N, data: JobMap[N], opts: EnqueueOptions = {}): Promise<void> {
    try {
      await this.queue.add(name, data, opts);
    } catch (err) {
      if (!(err instanceof ServiceUnavailable)) throw err;
      const work = this.record(this.dataSource.manager, name, data, opts)
        .then(() => this.logger.warn(`Job ${name} kept in the outbox: the queue is unavailable; it is queued when the queue is back`))
        .catch((e: Error) => this.logger.error(`Job ${name} could be neither queued nor kept in the outbox, and is lost: ${e.message}`))
        .finally(() => this.inFlight.delete(work));
      this.inFlight.add(work);
    }
  }

  private async record(m: EntityManager, name: JobName, data: unknown, opts: EnqueueOptions): Promise<Entry> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO job_outbox (name, data, job_id, delay_ms) VALUES ($1, $2::jsonb, $3, $4) RETURNING id`,
      [name, JSON.stringify(data), opts.jobId ?? null, opts.delayMs ?? null],
    );
    return { id: String(row!.id), name, data, jobId: opts.jobId ?? null, delayMs: opts.delayMs ?? null };
  }

  /**
   * Queues the entries and deletes the rows the queue took, without holding up the caller: this runs
   * inside the commit of the caller's transaction, whose connection is still held (in embedded mode the
   * only one). Every enqueue is issued before anything is awaited, so the in-process queue has the jobs
   * as soon as the caller's request returns.
   */
  private deliver(entries: Entry[]): void {
    const adds = entries.map((e) =>
      this.queue.add(e.name, e.data as never, { jobId: jobIdOf(e), delayMs: e.delayMs ?? undefined }).then(
        () => true,
        (err: Error) => {
          this.logger.warn(`Job ${e.name} ${jobIdOf(e)} kept in the outbox (${err.message}); the relay queues it later`);
          return false;
        },
      ),
    );
    for (const e of entries) this.delivering.add(e.id);
    const work = (async () => {
      const ok = await Promise.all(adds);
      const ids = entries.filter((_, i) => ok[i]).map((e) => e.id);
      if (ids.length) await this.dataSource.query(`DELETE FROM job_outbox WHERE id = ANY($1::bigint[])`, [ids]);
    })()
      .catch((err: Error) => this.logger.warn(`Clearing delivered outbox rows failed (the relay retries them): ${err.message}`))
      .finally(() => {
        for (const e of entries) this.delivering.delete(e.id);
        this.inFlight.delete(work);
      });
    this.inFlight.add(work);
  }

  /** Queues what is left in the outbox, oldest first; stops at the first job the queue cannot take. One run at a time. */
  relay(): Promise<number> {
    this.relaying ??= this.relayOnce()
      .catch((err: Error) => {
        this.logger.warn(`Relaying the job outbox failed: ${err.message}`);
        return 0;
      })
      .finally(() => {
        this.relaying = null;
      });
    return this.relaying;
  }

  /**
   * Another process may relay the same row at the same time, or deliver it right after its commit: it is
   * then queued twice under one job id, which the queue takes once (and handlers are idempotent).
   */
  private async relayOnce(): Promise<number> {
    let delivered = 0;
    let after = '0';
    while (!this.closed) {
      const rows: { id: string; name: JobName; data: unknown; job_id: string | null; delay_ms: number | null }[] =
        await this.dataSource.query(`SELECT id, name, data, job_id, delay_ms FROM job_outbox WHERE id > $1 ORDER BY id LIMIT $2`, [
          after,
          BATCH,
        ]);
      for (const r of rows) {
        after = String(r.id);
        if (this.delivering.has(after)) continue;
        const e: Entry = { id: String(r.id), name: r.name, data: r.data, jobId: r.job_id, delayMs: r.delay_ms };
        try {
          await this.queue.add(e.name, e.data as never, { jobId: jobIdOf(e), delayMs: e.delayMs ?? undefined });
        } catch (err) {
          await this.dataSource.query(`UPDATE job_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [
            e.id,
            (err as Error).message.slice(0, 1000),
          ]);
          // The queue is down: the rest would fail the same way. Any other error is this job's own; go on.
          if (err instanceof ServiceUnavailable) return delivered;
          this.logger.error(`Job ${e.name} ${jobIdOf(e)} in the outbox could not be queued: ${(err as Error).message}`);
          continue;
        }
        await this.dataSource.query(`DELETE FROM job_outbox WHERE id = $1`, [e.id]);
        delivered += 1;
      }
      if (rows.length < BATCH) break;
    }
    if (delivered) this.logger.log(`Queued ${delivered} job(s) kept in the outbox`);
    return delivered;
  }

  async health(): Promise<OutboxHealth> {
    const [row]: { pending: number; oldest: number | null }[] = await this.dataSource.query(
      `SELECT count(*)::int AS pending, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS oldest FROM job_outbox`,
    );
    const oldestSeconds = row?.oldest == null ? null : Math.max(0, Math.round(row.oldest));
    return { ok: oldestSeconds === null || oldestSeconds < 60, pending: row?.pending ?? 0, oldestSeconds };
  }

  onApplicationBootstrap(): void {
    this.queue.onReconnect(() => void this.relay());
    this.timer = setInterval(() => void this.relay(), OUTBOX_RELAY_EVERY_MS);
    this.timer.unref();
    // What a previous process left behind.
    void this.relay();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all([this.relaying, ...this.inFlight]);
  }
}
