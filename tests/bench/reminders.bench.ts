/**
 * Reminder sweep benchmark: 100,000 due items (BENCH_ITEMS) — evidence expiring 30, 7, 1 or 0 days from
 * today, spread over 1,000 vendors (BENCH_VENDORS) with one contact each — through the real application
 * on PostgreSQL, jobs going to BullMQ on Redis (nothing consumes them here; the queue is removed after):
 *
 *   (a) baseline: the same ledger rows and notifications written by two INSERT … SELECT statements (rolled back);
 *   (b) the first sweep: each item's step computed, recorded in the ledger, its notification and e-mail job
 *       written in the same transaction (chunks of 100), the jobs queued after commit;
 *   (c) a second sweep over the same items: nothing left to send (one ledger lookup per 1,000 items).
 *
 * Prints total time and time per item of each, and the ratios to the baseline. Checks that every item got
 * exactly one step sent (the earlier steps of a late item are recorded as skipped) and one notification; never fails on a timing.
 *
 *   npm run bench:reminders          (BENCH_ITEMS=10000 for a shorter run)
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { seedDemoIfMissing } from '@bulwark/api';
import { Reminders } from '@bulwark/platform';

import { bootApp, type TestApp } from '../support/app';
import { TEST_REDIS_URL as REDIS_URL } from '../support/services';

const ITEMS = Number(process.env['BENCH_ITEMS'] ?? 100_000);
const VENDORS = Number(process.env['BENCH_VENDORS'] ?? 1_000);
const PREFIX = `bench-reminders-${randomUUID().slice(0, 8)}`;

let t: TestApp;
let ds: DataSource;
let org: string;

beforeAll(async () => {
  t = await bootApp({ REDIS_URL, QUEUE_PREFIX: PREFIX });
  await seedDemoIfMissing(t.app);
  ds = t.app.get(DataSource);
  [{ id: org }] = await ds.query(`SELECT id FROM organizations WHERE slug = 'demo-org'`);
  await ds.query(
    // Copies of a demo vendor (every column as the application writes it), each with its own name and no owner.
    `INSERT INTO vendors
     SELECT (jsonb_populate_record(NULL::vendors, to_jsonb(v) || jsonb_build_object(
               'id', gen_random_uuid(), 'name', 'Bench vendor ' || g, 'slug', 'bench-vendor-' || g, 'owner_id', NULL))).*
       FROM (SELECT * FROM vendors WHERE organization_id = $1 ORDER BY name LIMIT 1) v, generate_series(1, $2) g`,
    [org, VENDORS],
  );
  await ds.query(
    `INSERT INTO users (organization_id, email, name, role, vendor_id, password_hash)
     SELECT $1, 'contact@' || slug || '.bench.test', 'Contact of ' || name, 'vendor_contact', id, 'x'
       FROM vendors WHERE organization_id = $1 AND slug LIKE 'bench-vendor-%'`,
    [org],
  );
  await ds.query(
    `WITH v AS (SELECT array_agg(id ORDER BY slug) AS ids FROM vendors WHERE organization_id = $1 AND slug LIKE 'bench-vendor-%')
     INSERT INTO evidence_items (organization_id, vendor_id, title, kind, valid_until)
     SELECT $1, v.ids[1 + g % $3], 'Bench certificate ' || g, 'iso27001_certificate', current_date + (ARRAY[30, 7, 1, 0])[1 + g % 4]
       FROM generate_series(1, $2) g, v`,
    [org, ITEMS, VENDORS],
  );
  await ds.query('ANALYZE');
}, 600_000);

afterAll(async () => {
  await t?.close();
  // The bench's queues (its own prefix) and their 100,000 jobs go: a Redis left full would slow every SCAN after it.
  const redis = new Redis(REDIS_URL);
  for await (const keys of redis.scanStream({ match: `${PREFIX}:*`, count: 1000 }) as AsyncIterable<string[]>)
    if (keys.length) await redis.unlink(...keys);
  const left = await redis.keys(`${PREFIX}:*`);
  await redis.quit();
  if (left.length) throw new Error(`${left.length} keys of the bench's queues are left in Redis (${left[0]})`);
}, 600_000);

const BENCH = `SELECT id FROM evidence_items WHERE organization_id = $1 AND title LIKE 'Bench certificate %'`;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

it(`sweeps ${ITEMS.toLocaleString('en')} due items`, async () => {
  // (a) The same rows by two statements, in a transaction rolled back: what writing them costs at the least.
  const baseline = await timed(() =>
    ds
      .transaction(async (m) => {
        await m.query(
          `INSERT INTO reminder_ledger (organization_id, subject_type, subject_id, due_date, rule, outcome)
         SELECT organization_id, 'evidence.expiry', id, valid_until,
                CASE valid_until - current_date WHEN 30 THEN 'due-30d' WHEN 7 THEN 'due-7d' WHEN 1 THEN 'due-1d' ELSE 'on-due' END, 'sent'
           FROM evidence_items WHERE id IN (${BENCH})`,
          [org],
        );
        await m.query(
          `INSERT INTO notifications (organization_id, user_id, title, body, link, dedupe_key)
         SELECT e.organization_id, u.id, 'Evidence expires ' || e.valid_until || ': ' || e.title, 'Upload a new revision.',
                '/vendors/' || e.vendor_id || '/evidence', 'reminder:evidence.expiry:' || e.id
           FROM evidence_items e JOIN users u ON u.vendor_id = e.vendor_id AND u.role = 'vendor_contact'
          WHERE e.id IN (${BENCH})`,
          [org],
        );
        throw new RolledBack();
      })
      .catch((err: unknown) => {
        if (!(err instanceof RolledBack)) throw err;
      }),
  );

  const reminders = t.app.get(Reminders);
  const first = await timed(() => reminders.sweep());
  const second = await timed(() => reminders.sweep());

  const [{ ledger, notices }] = await ds.query(
    `SELECT (SELECT count(*)::int FROM reminder_ledger WHERE outcome = 'sent' AND subject_id IN (${BENCH})) AS ledger,
            (SELECT count(*)::int FROM notifications n JOIN users u ON u.id = n.user_id
              WHERE u.email LIKE '%.bench.test' AND n.dedupe_key LIKE 'reminder:evidence.expiry:%') AS notices`,
    [org],
  );
  expect(ledger).toBe(ITEMS);
  expect(notices).toBe(ITEMS);
  expect(second.value.sent).toBe(0);

  const per = (ms: number) => `${((ms * 1000) / ITEMS).toFixed(1)} µs/item`;
  console.log(`items: ${ITEMS.toLocaleString('en')} over ${VENDORS.toLocaleString('en')} vendors (one contact each)`);
  console.log(`baseline (2 × INSERT … SELECT): ${baseline.ms.toFixed(0)} ms, ${per(baseline.ms)}`);
  console.log(
    `first sweep:  ${first.ms.toFixed(0)} ms, ${per(first.ms)} (${(first.ms / baseline.ms).toFixed(1)}× the baseline), sent ${first.value.sent}`,
  );
  console.log(
    `second sweep: ${second.ms.toFixed(0)} ms, ${per(second.ms)} (${(second.ms / baseline.ms).toFixed(2)}× the baseline), sent ${second.value.sent}`,
  );
}, 3_600_000);

class RolledBack extends Error {}
