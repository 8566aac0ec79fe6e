import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BullMqQueue } from '@bulwark/platform';
import { startFixtureServer, type FixtureServer } from '@bulwark/plugin-sdk/testing';

import { freshDatabase, type TestDatabase } from '../support/database';
import { buildWorker, startWorker, type WorkerProcess } from '../support/processes';
import { missingService, reachable, ROOT, TEST_REDIS_URL } from '../support/services';
import { until } from '../support/wait';

/**
 * "A slow or failing source never delays the others": the real worker process on Redis (BullMQ),
 * one Statuspage source whose server accepts the request and never answers (so the poll runs into
 * the client timeout), and two healthy sources, one of the same plugin and one of another. The
 * healthy signals must be stored while the slow poll is still waiting: ordering, not durations, is
 * asserted, and the client timeout leaves a loaded machine ample time for the healthy polls.
 */
const TIMEOUT_S = 10;
const summary = readFileSync(join(ROOT, 'plugins/statuspage/fixtures/github-2022-11-25-summary-active-major-incident.json'));
const gcp = readFileSync(join(ROOT, 'plugins/gcp-status/fixtures/handwritten-incidents-open-and-recent.json'));

let db: TestDatabase;
let pg: Client;
let feed: FixtureServer;
let queue: BullMqQueue | null = null;
let worker: WorkerProcess | null = null;
let redisUp = false;
let orgId: string;
let vendorId: string;
const prefix = `isolation-${process.pid}-${Date.now()}`;
let slowHit: number | null = null;

async function source(plugin: string, name: string, config: object): Promise<string> {
  const [row] = (
    await pg.query(
      `INSERT INTO signal_sources (organization_id, vendor_id, plugin, name, config, schedule_seconds, enabled, status) VALUES ($1, $2, $3, $4, $5, 86400, true, 'pending') RETURNING id`,
      [orgId, vendorId, plugin, name, JSON.stringify(config)],
    )
  ).rows;
  return row.id as string;
}

describe('worker isolation on real Redis', () => {
  beforeAll(async () => {
    redisUp = await reachable(TEST_REDIS_URL, 6379);
    if (!redisUp) return missingService(`Redis not reachable at ${TEST_REDIS_URL}: the worker isolation test skipped`);
    buildWorker();
    db = await freshDatabase();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    feed = await startFixtureServer({
      // Accepts the request and never answers: only the client's timeout ends the poll.
      '/slow/api/v2/summary.json': () => {
        slowHit ??= Date.now();
      },
      '/fast/api/v2/summary.json': { body: summary },
      '/fast/api/v2/incidents.json': { status: 404, body: '' },
      '/gcp/incidents.json': { body: gcp },
    });
    orgId = (await pg.query(`INSERT INTO organizations (name, slug) VALUES ('Isolation', 'isolation') RETURNING id`)).rows[0].id;
    vendorId = (
      await pg.query(
        `INSERT INTO vendors (organization_id, name, slug, lifecycle, intake, computed_tier, tier_score, tier) VALUES ($1, 'GitHub', 'github', 'active', '{}', 'low', 0, 'low') RETURNING id`,
        [orgId],
      )
    ).rows[0].id;
    queue = new BullMqQueue(TEST_REDIS_URL, prefix);
    worker = startWorker({
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      JWT_SECRET: 'worker-test-secret-worker-test-secret-0123456789',
      SECRETS_KEY: randomBytes(32).toString('base64'),
      AUDIT_KEY: randomBytes(32).toString('base64'),
      FEED_ALLOWED_HOSTS: '127.0.0.1:*',
      FEED_TIMEOUT_SECONDS: String(TIMEOUT_S),
      LOG_LEVEL: 'log',
      DEMO_SEED: 'false',
    });
    await worker.ready;
  }, 120_000);

  afterAll(async () => {
    await worker?.kill('SIGKILL');
    await queue?.close();
    await feed?.close();
    await pg?.end();
    await db?.drop();
  });

  it('a poll hanging until the client timeout delays neither a source of the same plugin nor one of another', async (ctx) => {
    if (!redisUp) return ctx.skip();
    const slow = await source('statuspage', 'slow', { baseUrl: `${feed.url}/slow` });
    const fast = await source('statuspage', 'fast', { baseUrl: `${feed.url}/fast` });
    const other = await source('gcp-status', 'gcp', { baseUrl: `${feed.url}/gcp`, lookbackDays: 3650 });
    // The slow one first: a queue that ran one job at a time, or shared one lane, would hold the others behind it.
    const slowQueuedAt = Date.now();
    await queue!.add('signals.poll', { sourceId: slow, organizationId: orgId, plugin: 'statuspage' });
    await until('the slow request to arrive', async () => (slowHit !== null ? true : undefined), 30_000, 50);
    await queue!.add('signals.poll', { sourceId: fast, organizationId: orgId, plugin: 'statuspage' });
    await queue!.add('signals.poll', { sourceId: other, organizationId: orgId, plugin: 'gcp-status' });

    const stored = async (id: string) =>
      ((await pg.query(`SELECT count(*)::int AS n FROM signals WHERE source_id = $1`, [id])).rows[0] as { n: number }).n;
    const arrived = async (id: string) =>
      until(`signals of ${id}`, async () => ((await stored(id)) > 0 ? Date.now() : undefined), TIMEOUT_S * 1000 * 3, 50);
    await Promise.all([arrived(fast), arrived(other)]);
    const slowState = async () =>
      (await pg.query(`SELECT status, last_error FROM signal_sources WHERE id = $1`, [slow])).rows[0] as {
        status: string;
        last_error: string | null;
      };

    // Both healthy sources are stored while the slow poll is still waiting for its answer: a queue that
    // held them behind it would have recorded the slow poll's failure first.
    expect(await slowState()).toMatchObject({ status: 'pending', last_error: null });
    expect(await stored(slow)).toBe(0);

    // Then the slow poll times out and is recorded as failing (to be retried): nothing ingested, only
    // the source's `unknown` marker (a failed poll says nothing about the vendor).
    const failed = await until(
      'the slow poll to time out',
      async () => {
        const s = await slowState();
        return s.status === 'failing' ? s : undefined;
      },
      30_000,
      50,
    );
    // Not before the configured timeout: the client cannot have started before the job was queued (200 ms for timer granularity).
    expect(Date.now()).toBeGreaterThanOrEqual(slowQueuedAt + TIMEOUT_S * 1000 - 200);
    expect(failed.last_error).toMatch(/Timed out/);
    expect((await pg.query(`SELECT signal_type, level FROM signals WHERE source_id = $1`, [slow])).rows).toEqual([
      { signal_type: 'source_status', level: 'unknown' },
    ]);
  }, 60_000);
});
