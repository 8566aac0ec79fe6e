import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { InjectConfig } from './config/config.module.js';
import type { AppConfig } from './config/config.schema.js';
import { InjectQueue, type QueuePort } from './queue/queue.port.js';
import { InjectStorage, type Storage, type StorageHealth } from './storage/storage.js';
import { Public } from './tenancy/access.decorators.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue() private readonly queue: QueuePort,
    @InjectConfig() private readonly config: AppConfig,
    @InjectStorage() private readonly storage: Storage,
  ) {}

  /**
   * Liveness and readiness in one: 200 when the database and the queue answer, 503 otherwise.
   * File storage is reported but does not decide the status: an unreachable bucket breaks uploads and
   * downloads only, and should not take every API process out of the load balancer.
   */
  @Get()
  @Public()
  async health(@Res({ passthrough: true }) res: Response) {
    const t0 = Date.now();
    let database: { ok: boolean; latencyMs?: number; embedded: boolean; detail?: string };
    try {
      await this.dataSource.query('SELECT 1');
      database = { ok: true, latencyMs: Date.now() - t0, embedded: this.config.mode === 'embedded' };
    } catch (err) {
      database = { ok: false, embedded: this.config.mode === 'embedded', detail: (err as Error).message };
    }
    const [queue, storage] = await Promise.all([
      this.queue.health(),
      this.storage.health().catch((): StorageHealth => ({ driver: this.storage.driver, ok: false, detail: 'Error' })),
    ]);
    const ok = database.ok && queue.ok;
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', mode: this.config.mode, database, queue, storage };
  }
}
