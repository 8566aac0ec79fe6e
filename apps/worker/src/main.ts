import 'reflect-metadata';

import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Worker } from 'bullmq';

import { appLogger, AppModule, PLUGIN_LIST } from '@bulwark/api';
import { assertRedisReachable, ConfigError, JobRegistry, loadConfig, pollQueue, QUEUES, startBullMqWorker } from '@bulwark/platform';

/**
 * The worker process: the same modules as the API (so the same job handlers register) without
 * HTTP, consuming the BullMQ queues. Run as many copies as needed; delivery is at least once and
 * handlers are idempotent.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new Logger('Worker');
  if (config.queue.driver !== 'bullmq' || !config.queue.redisUrl) {
    logger.error('The worker needs REDIS_URL (BullMQ). Without it the API runs jobs in-process and no worker is needed.');
    process.exit(1);
  }
  if (!config.database.url) {
    logger.error('The worker needs DATABASE_URL: the embedded database belongs to the single API process.');
    process.exit(1);
  }
  await assertRedisReachable(config.queue.redisUrl);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, config.database.url, { http: false }), {
    logger: appLogger(config),
  });
  app.enableShutdownHooks();
  const registry = app.get(JobRegistry);
  const redis = config.queue.redisUrl;
  const workers: Worker[] = [
    ...Object.values(QUEUES).map((q) =>
      startBullMqWorker(redis, config.queue.prefix, q, registry, config.queue.concurrency, undefined, config.queue.lockMs),
    ),
    // One poll queue per plugin: its own rate limit, and a slow feed never holds up another plugin.
    ...PLUGIN_LIST.filter((r) => !r.plugin.push).map(({ plugin }) =>
      startBullMqWorker(
        redis,
        config.queue.prefix,
        pollQueue(plugin.id),
        registry,
        config.queue.concurrency,
        plugin.rateLimit ? { max: plugin.rateLimit.max, duration: plugin.rateLimit.perSeconds * 1000 } : undefined,
        config.queue.lockMs,
      ),
    ),
  ];
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  logger.log(`Consuming ${workers.map((w) => w.name).join(', ')} with handlers for ${registry.names().join(', ')}`);
  const shutdown = async () => {
    logger.log('Stopping: finishing active jobs');
    await Promise.all(workers.map((w) => w.close()));
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err instanceof Error ? err.stack : err);
  process.exit(1);
});
