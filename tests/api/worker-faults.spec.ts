import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, type ConnectionOptions } from 'bullmq';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BullMqQueue, pollQueue, redisConnection } from '@bulwark/platform';
import { startFixtureServer, type FixtureServer } from '@bulwark/plugin-sdk/testing';
import { decode, normalize, summarySchema } from '@bulwark/plugin-statuspage';
import { contentHash } from '@bulwark/signals';

import { freshDatabase, type TestDatabase } from '../support/database';
import { buildWorker, freePort, PrivateRedis, REDIS_SERVER, startWorker, type WorkerProcess } from '../support/processes';
import { missingService, ROOT } from '../support/services';
import { until } from '../support/wait';

/**
 * The real worker process on a private Redis: Redis stopped and restarted mid-run, and a worker
 * killed mid-job. Signals are checked in the database: nothing lost, nothing duplicated.
 */
const summary = readFileSync(join(ROOT, 'plugins/statuspage/fixtures/github-2022-11-25-summary-active-major-incident.json'));
/** What one poll of the fixture stores: the plugin's normalized signals (incidents.json answers 404), by id and content hash. */
const expected = normalize(decode(summary, summarySchema, 'summary.json'), null, {
  baseUrl: 'http://unused',
  components: [],
  includeMaintenance: true,
})
  .map((s) => ({ externalId: s.externalId, hash: contentHash(s) }))
  .sort((a, b) => (a.externalId < b.externalId ? -1 : 1));

let db: TestDatabase;
let pg: Client;
let redis: PrivateRedis;
let feed: FixtureServer;
/** The statuspage poll queue, read directly to tell when every run of a job has ended. */
let pollJobs: Queue;
let pollJobsConnection: ReturnType<typeof redisConnection>;
const hits = new Map<string, number>();
let orgId: string;
let vendorId: string;

async function source(name: string, delayMs: number): Promise<string> {
  feed.routes[`/${name}/api/v2/summary.json`] = (_req, res) => {
    hits.set(name, (hits.get(name) ?? 0) + 1);
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(summary), delayMs);
  };
  feed.routes[`/${name}/api/v2/incidents.json`] = { status: 404, body: '' };
  const [row] = (
    await pg.query(
      `INSERT INTO signal_sources (organization_id, vendor_id, plugin, name, config, schedule_seconds, enabled, status) VALUES ($1, $2, 'statuspage', $3, $4, 86400, false, 'pending') RETURNING id`,
      [orgId, vendorId, name, JSON.stringify({ baseUrl: `${feed.url}/${name}` })],
    )
  ).rows;
  // Enabled after insert so the worker's start-up reconcile does not schedule it; the test enqueues by hand.
  await pg.query(`UPDATE signal_sources SET enabled = true WHERE id = $1`, [row.id]);
  return row.id as string;
}

const signalCount = async (sourceId: string) =>
  (await pg.query(`SELECT count(*)::int AS n FROM signals WHERE source_id = $1`, [sourceId])).rows[0] as { n: number };

/**
 * Exactly the fixture's signals (no lost, extra or half-written one, each in the polled state), and
 * one history entry per signal: a job that ran twice, or a retried transaction, recorded no state twice.
 */
async function expectExactlyOnePoll(sourceId: string): Promise<void> {
  const stored = (
    await pg.query(`SELECT external_id, content_hash FROM signals WHERE source_id = $1 ORDER BY external_id COLLATE "C"`, [sourceId])
  ).rows.map((r) => ({ externalId: r.external_id as string, hash: r.content_hash as string }));
  expect(stored).toEqual(expected);
  const history = (
    await pg.query(
      `SELECT s.external_id, count(c.id)::int AS states, count(DISTINCT (c.level, c.lifecycle, c.content_hash))::int AS distinct_states
         FROM signals s LEFT JOIN signal_changes c ON c.signal_id = s.id WHERE s.source_id = $1 GROUP BY s.external_id`,
      [sourceId],
    )
  ).rows as { external_id: string; states: number; distinct_states: number }[];
  expect(history.filter((h) => h.states !== 1 || h.distinct_states !== 1)).toEqual([]);
}

/**
 * No poll is waiting, running or due soon (a retry after a failure): every run has ended, so none can
 * add side effects after the checks. The only delayed jobs left are the next runs of the sources'
 * daily schedules, which each worker re-creates at start-up for every enabled source.
 */
async function pollQueueSettled(): Promise<true | undefined> {
  const [waiting, active, delayed] = await Promise.all([pollJobs.getWaitingCount(), pollJobs.getActiveCount(), pollJobs.getDelayed()]);
  const dueSoon = delayed.filter((j) => j.timestamp + j.delay < Date.now() + 3600_000);
  return waiting === 0 && active === 0 && dueSoon.length === 0 ? true : undefined;
}

function env(lockSeconds: number): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: 'faults',
    JWT_SECRET: 'worker-test-secret-worker-test-secret-0123456789',
    SECRETS_KEY: randomBytes(32).toString('base64'),
    AUDIT_KEY: randomBytes(32).toString('base64'),
    FEED_ALLOWED_HOSTS: '127.0.0.1:*',
    WORKER_LOCK_SECONDS: String(lockSeconds),
    LOG_LEVEL: 'log',
    DEMO_SEED: 'false',
  };
}

const available = !!REDIS_SERVER;
if (!available) missingService('redis-server binary not found: worker fault tests skipped');

describe.skipIf(!available)('worker faults on real Redis', () => {
  let queue: BullMqQueue;
  let worker: WorkerProcess | null = null;

  beforeAll(async () => {
    buildWorker();
    db = await freshDatabase();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    redis = new PrivateRedis(await freePort());
    await redis.start();
    feed = await startFixtureServer({});
    orgId = (await pg.query(`INSERT INTO organizations (name, slug) VALUES ('Faults', 'faults') RETURNING id`)).rows[0].id;
    vendorId = (
      await pg.query(
        `INSERT INTO vendors (organization_id, name, slug, lifecycle, intake, computed_tier, tier_score, tier) VALUES ($1, 'GitHub', 'github', 'active', '{}', 'low', 0, 'low') RETURNING id`,
        [orgId],
      )
    ).rows[0].id;
    queue = new BullMqQueue(redis.url, 'faults');
    pollJobsConnection = redisConnection(redis.url);
    pollJobsConnection.on('error', () => undefined);
    pollJobs = new Queue(pollQueue('statuspage'), { connection: pollJobsConnection as unknown as ConnectionOptions, prefix: 'faults' });
    pollJobs.on('error', () => undefined);
  }, 120_000);

  afterAll(async () => {
    await worker?.kill('SIGKILL');
    await queue?.close();
    await pollJobs?.close();
    pollJobsConnection?.disconnect();
    await redis?.destroy();
    await feed?.close();
    await pg?.end();
    await db?.drop();
  });

  it('Redis stopped mid-run and restarted: every job completes, no duplicate signals', async () => {
    worker = startWorker(env(30));
    await worker.ready;
    const ids = await Promise.all(['a', 'b', 'c', 'd'].map((n) => source(`restart-${n}`, 1500)));
    for (const id of ids) await queue.add('signals.poll', { sourceId: id, organizationId: orgId, plugin: 'statuspage' });
    await until('the first fetch', async () => ([...hits.keys()].some((k) => k.startsWith('restart-')) ? true : undefined), 30_000);
    await redis.stop();
    await new Promise((r) => setTimeout(r, 2000));
    await redis.start();
    const done = await until(
      'all sources polled',
      async () => {
        const { rows } = await pg.query(
          `SELECT count(*)::int AS n FROM signal_sources WHERE id = ANY($1::uuid[]) AND last_success_at IS NOT NULL`,
          [ids],
        );
        return rows[0].n === ids.length ? true : undefined;
      },
      60_000,
    );
    expect(done).toBe(true);
    // A job re-run after the restart could still be writing: check once every run has ended.
    await until('the poll queue to settle', pollQueueSettled, 30_000);
    expect(expected.length).toBeGreaterThan(5);
    for (const id of ids) await expectExactlyOnePoll(id);
  }, 120_000);

  it('a worker killed mid-job: the stalled job re-runs on another worker and its signals are stored once', async () => {
    await worker?.kill('SIGKILL');
    worker = startWorker(env(2));
    await worker.ready;
    const id = await source('killed', 3000);
    await queue.add('signals.poll', { sourceId: id, organizationId: orgId, plugin: 'statuspage' }, { jobId: 'killed-job' });
    await until('the job to start fetching', async () => ((hits.get('killed') ?? 0) >= 1 ? true : undefined), 30_000);
    await worker.kill('SIGKILL');
    expect((await signalCount(id)).n).toBe(0);
    // The dead worker's 2 s lock lapses and the new worker runs the job again. BullMQ delivers at least
    // once: a busy machine can make a run look stalled, or fail and be retried, so the job may run more
    // than twice. What must hold is that it ran again and that its effects were stored exactly once.
    worker = startWorker(env(10));
    await worker.ready;
    await until(
      'the stalled job to finish',
      async () =>
        (await pg.query(`SELECT last_success_at FROM signal_sources WHERE id = $1`, [id])).rows[0].last_success_at ? true : undefined,
      60_000,
    );
    await until('the poll queue to settle', pollQueueSettled, 30_000);
    // The killed run fetched once; at least one later run fetched again (and stored the poll).
    expect(hits.get('killed')).toBeGreaterThanOrEqual(2);
    await expectExactlyOnePoll(id);
  }, 120_000);
});
