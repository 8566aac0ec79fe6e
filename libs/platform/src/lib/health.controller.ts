import { Controller, Get, Logger, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';

import { healthReportSchema } from '@bulwark/api-schema';

import { InjectConfig } from './config/config.module.js';
import type { AppConfig } from './config/config.schema.js';
import { JobOutbox, type OutboxHealth } from './queue/job-outbox.js';
import { InjectQueue, type QueueHealth, type QueuePort } from './queue/queue.port.js';
import { InjectStorage, type Storage, type StorageHealth } from './storage/storage.js';
import { Public } from './tenancy/access.decorators.js';
import { Returns } from './validation/returns.decorator.js';

/**
 * The health report is public (load balancers call it without credentials), so it says per component
 * whether it works and never why not: error texts name hosts, databases and users. The reasons go to
 * the server log instead, once per change so a polling load balancer does not flood it.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');
  private readonly lastLogged = new Map<string, string>();

  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue() private readonly queue: QueuePort,
    @InjectConfig() private readonly config: AppConfig,
    @InjectStorage() private readonly storage: Storage,
    private readonly outbox: JobOutbox,
  ) {}

  /**
   * Liveness and readiness in one: 200 when the database and the queue (Redis) answer, 503 otherwise.
   * Job schedulers missing from the queue (`queue.schedulers`; a missing one starts a reconciliation)
   * and jobs waiting in the outbox for over a minute (`queue.outbox`) turn `status` to `degraded` without
   * deciding readiness: requests are served meanwhile. File storage is reported but decides neither: an
   * unreachable bucket breaks uploads and downloads only, and should not take every API process out of
   * the load balancer.
   */
  @Get()
  @Public()
  @Returns(healthReportSchema)
  @Returns(healthReportSchema, 503)
  async health(@Res({ passthrough: true }) res: Response) {
    const t0 = Date.now();
    const embedded = this.config.mode === 'embedded';
    let database: { ok: boolean; latencyMs?: number; embedded: boolean };
    try {
      await this.dataSource.query('SELECT 1');
      database = { ok: true, latencyMs: Date.now() - t0, embedded };
      this.problem('database', null);
    } catch (err) {
      database = { ok: false, embedded };
      this.problem('database', (err as Error).message);
    }
    const [rawQueue, rawStorage] = await Promise.all([
      this.queue.health().catch((err: Error): QueueHealth => ({ driver: this.config.queue.driver, ok: false, detail: err.message })),
      this.storage.health().catch((err: Error): StorageHealth => ({ driver: this.storage.driver, ok: false, detail: err.message })),
    ]);
    const outbox = await this.outbox.health().catch((): Omit<OutboxHealth, 'pending'> & { pending: null } => ({
      ok: false,
      pending: null,
      oldestSeconds: null,
    }));
    const { detail: queueDetail, ...queueRest } = rawQueue;
    const queue = { ...queueRest, outbox };
    const { detail: storageDetail, ...storage } = rawStorage;
    this.problem('queue', queue.ok ? null : (queueDetail ?? 'not ok'));
    const s = queue.schedulers;
    this.problem('schedulers', !s || s.ok || !queue.ok ? null : `${s.missing ?? 'an unknown number of'} of ${s.expected ?? '?'} missing`);
    this.problem('outbox', outbox.ok ? null : `${outbox.pending ?? '?'} job(s) waiting, the oldest for ${outbox.oldestSeconds ?? '?'} s`);
    this.problem('storage', storage.ok ? null : (storageDetail ?? 'not ok'));
    const ready = database.ok && queue.ok;
    res.status(ready ? 200 : 503);
    const ok = ready && (s?.ok ?? true) && outbox.ok;
    return { status: ok ? 'ok' : 'degraded', mode: this.config.mode, database, queue, storage };
  }

  /** Logs a component's failure reason when it changes, and its recovery. */
  private problem(component: string, reason: string | null): void {
    const last = this.lastLogged.get(component);
    if (reason === null) {
      if (last !== undefined) this.logger.log(`${component} is healthy again`);
      this.lastLogged.delete(component);
    } else if (reason !== last) {
      this.logger.error(`${component} is unhealthy: ${reason}`);
      this.lastLogged.set(component, reason);
    }
  }
}
