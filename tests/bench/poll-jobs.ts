/**
 * Poll-job throughput on BullMQ (real Redis, real PostgreSQL): no-op jobs vs poll jobs that run a
 * stub plugin (20 signals per poll) through the real ingestion path, in one run. Prints jobs/s of
 * both and the ratio. Never fails on a timing.
 *
 *   npm run bench:poll        (BENCH_JOBS=500 for a shorter run)
 */
import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { ingestSignals } from '../../libs/domain/signals/src/lib/ingestion';
import { BullMqQueue, startBullMqWorker } from '../../libs/platform/src/lib/queue/bullmq.driver';
import { pollQueue, QUEUES } from '../../libs/platform/src/lib/queue/jobs';
import { JobRegistry } from '../../libs/platform/src/lib/queue/queue.port';
import { signal } from '../../libs/plugin-sdk/src/index';
import { MIGRATIONS } from '../../migrations/src/index';

const JOBS = Number(process.env['BENCH_JOBS'] ?? 2000);
const ADMIN = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const CONCURRENCY = 8;

/** A stub plugin: what a status page poll returns, with the time moving so some rows change. */
function stubPoll(sourceIndex: number, tick: number) {
  return Array.from({ length: 20 }, (_, i) =>
    signal({
      externalId: `component:${i}`,
      signalType: 'component_status',
      level: (tick + i) % 7 === 0 ? 'degraded' : 'operational',
      title: `Component ${i}`,
      updatedAt: new Date(Date.UTC(2026, 0, 1, 0, tick)).toISOString(),
      service: `svc-${sourceIndex}`,
    }),
  );
}

/** Waits until `done()` reaches `total` (handlers count their own completions: completed jobs are
 *  removed beyond the queue's retention count, so the queue's counts cannot tell). */
async function drain(done: () => number, total: number, what: string): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  while (done() < total) {
    if (Date.now() > deadline) throw new Error(`${what}: only ${done()} of ${total} jobs finished in 10 minutes`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main(): Promise<void> {
  const dbName = `bulwark_bench_poll_${process.pid}`;
  const prefix = `bench-${process.pid}`;
  const admin = new Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(ADMIN);
  url.pathname = `/${dbName}`;
  const ds = new DataSource({
    type: 'postgres',
    url: url.toString(),
    entities: [],
    migrations: MIGRATIONS,
    installExtensions: false,
    extra: { max: CONCURRENCY + 2 },
  });
  const queue = new BullMqQueue(REDIS, prefix);
  const workers: { close(): Promise<void> }[] = [];
  try {
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    const [org] = await ds.query(`INSERT INTO organizations (name, slug) VALUES ('Bench', 'bench') RETURNING id`);
    const [vendor] = await ds.query(
      `INSERT INTO vendors (organization_id, name, slug, lifecycle, intake, computed_tier, tier_score, tier) VALUES ($1, 'V', 'v', 'active', '{}', 'low', 0, 'low') RETURNING id`,
      [org.id],
    );
    const sources: string[] = [];
    for (let i = 0; i < 50; i++)
      sources.push(
        (
          await ds.query(
            `INSERT INTO signal_sources (organization_id, vendor_id, plugin, name, schedule_seconds) VALUES ($1, $2, 'stub', 's${i}', 300) RETURNING id`,
            [org.id, vendor.id],
          )
        )[0].id,
      );
    const ticks = new Map<string, number>();
    let pings = 0;
    let polls = 0;

    const registry = new JobRegistry();
    registry.register('system.ping', async () => {
      pings++;
    });
    registry.register('signals.poll', async ({ sourceId }) => {
      const tick = (ticks.get(sourceId) ?? 0) + 1;
      ticks.set(sourceId, tick);
      const signals = stubPoll(sources.indexOf(sourceId), tick);
      await ds.transaction(async (m) => {
        await ingestSignals(m, { organizationId: org.id, vendorId: vendor.id, serviceId: null, sourceId }, signals);
        await m.query(
          `UPDATE signal_sources SET status = 'ok', last_poll_at = now(), last_success_at = now(), consecutive_failures = 0 WHERE id = $1`,
          [sourceId],
        );
      });
      polls++;
    });
    workers.push(startBullMqWorker(REDIS, prefix, QUEUES.default, registry, CONCURRENCY));
    workers.push(startBullMqWorker(REDIS, prefix, pollQueue('stub'), registry, CONCURRENCY));
    console.log(`poll-job benchmark: ${JOBS.toLocaleString()} jobs each, concurrency ${CONCURRENCY}, Redis ${new URL(REDIS).host}`);

    const t0 = performance.now();
    for (let i = 0; i < JOBS; i++) await queue.add('system.ping', { at: String(i) });
    await drain(() => pings, JOBS, 'no-op jobs');
    const noopMs = performance.now() - t0;

    const t1 = performance.now();
    for (let i = 0; i < JOBS; i++)
      await queue.add('signals.poll', { sourceId: sources[i % sources.length]!, organizationId: org.id, plugin: 'stub' });
    await drain(() => polls, JOBS, 'poll jobs');
    const pollMs = performance.now() - t1;
    const stored = (await ds.query(`SELECT count(*)::int AS n FROM signals`))[0].n;

    const rate = (ms: number) => Math.round((JOBS / ms) * 1000);
    console.log(`no-op jobs:               ${rate(noopMs).toLocaleString().padStart(8)} jobs/s  (${(noopMs / 1000).toFixed(2)} s)`);
    console.log(
      `stub-plugin poll jobs:    ${rate(pollMs).toLocaleString().padStart(8)} jobs/s  (${(pollMs / 1000).toFixed(2)} s, 20 signals each, ${stored} rows stored)`,
    );
    console.log(`ratio poll / no-op:       ${(noopMs / pollMs).toFixed(2)}`);
  } finally {
    for (const w of workers) await w.close();
    await queue.close();
    if (ds.isInitialized) await ds.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
