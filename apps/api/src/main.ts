import 'reflect-metadata';

import { Logger } from '@nestjs/common';

import { ConfigError, loadConfig } from '@bulwark/platform';

import { appLogger, assertServicesReachable, createApp, migrate, openDatabase } from './bootstrap.js';
import { DEMO_PASSWORD, DEMO_USERS, seedDemoIfMissing } from './demo/seed.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = new Logger('Bulwark');
  Logger.overrideLogger(appLogger(config));
  try {
    await assertServicesReachable(config);
  } catch (err) {
    logger.error(`${(err as Error).message}. Start Redis, or unset REDIS_URL to run jobs in-process (embedded mode only).`);
    process.exit(1);
  }
  const db = await openDatabase(config);
  if (config.mode === 'embedded') {
    logger.log(`Embedded PostgreSQL (PGlite) in ${config.dataDir}/pgdata`);
    const applied = await migrate(db.url);
    if (applied.length) logger.log(`Applied migrations: ${applied.join(', ')}`);
  }
  const app = await createApp(config, db.url);
  if (config.mode === 'production') {
    const { DataSource } = await import('typeorm');
    const pending = await app.get(DataSource).showMigrations();
    if (pending) {
      logger.error('The database has pending migrations. Run `npm run migrate` first.');
      await app.close();
      process.exit(1);
    }
  }
  // Handlers and subscriptions register at init, so what the seed queues (notices, recomputes) runs.
  await app.init();
  if (config.demoSeed) {
    const created = await seedDemoIfMissing(app);
    if (created) logger.log('Created the demo organization "Demo Org"');
  }
  app.enableShutdownHooks();
  await app.listen(config.http.port, config.http.host);
  const url = `http://localhost:${config.http.port}`;
  logger.log(`Bulwark is running at ${url} (API ${url}/api, docs ${url}/api/docs) in ${config.mode} mode, queue ${config.queue.driver}`);
  if (config.demoSeed) {
    logger.log(
      `Demo accounts (password "${DEMO_PASSWORD}"): ${DEMO_USERS.map((u) => u.email).join(', ')}; vendor contacts are listed in README.md`,
    );
  }
  const shutdown = async () => {
    await app.close();
    await db.embedded?.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
