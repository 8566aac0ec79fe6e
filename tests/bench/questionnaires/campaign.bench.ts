/**
 * Questionnaire campaign benchmark, through the real application on PostgreSQL with its jobs going to BullMQ on
 * Redis (nothing consumes them here; the bench's queues are removed after):
 *
 *   (a) baseline: the 1,000 request rows (BENCH_VENDORS) inserted by one INSERT … SELECT (rolled back);
 *   (b) a campaign to those 1,000 vendors over HTTP (`POST /api/questionnaire-campaigns`): the preview's filter, one
 *       request per vendor, its notification and its e-mail job recorded in the outbox, in one transaction; then
 *       the time until every e-mail job is queued in Redis (the outbox empty);
 *   (c) autosave: 50 vendors (BENCH_WRITERS) answering their request at once, each saving 20 answers one after the
 *       other as the portal does; p50, p95 and max of the PUTs.
 *
 * Prints the figures and the ratio of (b) to (a); checks that every vendor got exactly one request and one mail job,
 * and that every answer was saved; never fails on a timing.
 *
 *   npm run bench:questionnaires          (BENCH_VENDORS=200 for a shorter run)
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { seedDemoIfMissing } from '@bulwark/api';
import type { CampaignDetail, TemplateDocumentInput } from '@bulwark/api-schema';

import { auth, bootApp, login, type TestApp } from '../../support/app';
import { TEST_REDIS_URL as REDIS_URL } from '../../support/services';

const VENDORS = Number(process.env['BENCH_VENDORS'] ?? 1_000);
const WRITERS = Math.min(Number(process.env['BENCH_WRITERS'] ?? 50), VENDORS);
const ANSWERS = 20;
const PREFIX = `bench-campaign-${randomUUID().slice(0, 8)}`;

let t: TestApp;
let ds: DataSource;
let org: string;
let manager: string;
let versionId: string;

const doc: TemplateDocumentInput = {
  name: 'Bench DR questionnaire',
  sections: [
    {
      key: 'dr',
      title: 'Disaster recovery',
      questions: Array.from({ length: ANSWERS }, (_, i) => ({ key: `q${i + 1}`, type: 'text' as const, text: `Bench question ${i + 1}` })),
    },
  ],
};

beforeAll(async () => {
  t = await bootApp({ REDIS_URL, QUEUE_PREFIX: PREFIX });
  await seedDemoIfMissing(t.app);
  ds = t.app.get(DataSource);
  [{ id: org }] = await ds.query(`SELECT id FROM organizations WHERE slug = 'demo-org'`);
  // Copies of a demo vendor (every column as the application writes it), each with its own name, in a lifecycle no
  // demo vendor is in, so the campaign's filter targets exactly them; one contact each who can sign in.
  await ds.query(
    `INSERT INTO vendors
     SELECT (jsonb_populate_record(NULL::vendors, to_jsonb(v) || jsonb_build_object(
               'id', gen_random_uuid(), 'name', 'Bench vendor ' || g, 'slug', 'bench-vendor-' || g, 'owner_id', NULL, 'lifecycle', 'exiting'))).*
       FROM (SELECT * FROM vendors WHERE organization_id = $1 ORDER BY name LIMIT 1) v, generate_series(1, $2) g`,
    [org, VENDORS],
  );
  await ds.query(
    `INSERT INTO users (organization_id, email, name, role, vendor_id, password_hash)
     SELECT $1, 'contact@' || v.slug || '.bench.test', 'Contact of ' || v.name, 'vendor_contact', v.id, u.password_hash
       FROM vendors v, (SELECT password_hash FROM users WHERE email = 'contact@openai.demo.bulwark.test') u
      WHERE v.organization_id = $1 AND v.slug LIKE 'bench-vendor-%'`,
    [org],
  );
  await ds.query('ANALYZE');
  manager = await login(t, 'manager@demo.bulwark.test');
  const created = await t.http.post('/api/questionnaire-templates').set(auth(manager)).send(doc).expect(201);
  await t.http.post(`/api/questionnaire-templates/${created.body.id}/versions/1/publish`).set(auth(manager)).send({}).expect(200);
  [{ id: versionId }] = await ds.query(`SELECT id FROM questionnaire_template_versions WHERE template_id = $1`, [created.body.id]);
}, 600_000);

afterAll(async () => {
  await t?.close();
  // The bench's queues (its own prefix) and their jobs go: a Redis left full would slow every SCAN after it.
  const redis = new Redis(REDIS_URL);
  for await (const keys of redis.scanStream({ match: `${PREFIX}:*`, count: 1000 }) as AsyncIterable<string[]>)
    if (keys.length) await redis.unlink(...keys);
  const left = await redis.keys(`${PREFIX}:*`);
  await redis.quit();
  if (left.length) throw new Error(`${left.length} keys of the bench's queues are left in Redis (${left[0]})`);
}, 600_000);

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function until(check: () => Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

it(`a campaign to ${VENDORS.toLocaleString('en')} vendors, then ${WRITERS} vendors answering at once`, async () => {
  // (a) The same request rows by one statement, in a transaction rolled back: what writing them costs at the least.
  const baseline = await timed(() =>
    ds
      .transaction(async (m) => {
        await m.query(
          `INSERT INTO questionnaire_requests (organization_id, vendor_id, template_id, template_version_id, template_version, template_name,
                  content, content_hash, status, due_date, recipient_ids)
           SELECT $1, v.id, tv.template_id, tv.id, tv.version, 'Bench DR questionnaire', tv.content, tv.content_hash, 'sent', current_date + 30,
                  ARRAY(SELECT u.id FROM users u WHERE u.vendor_id = v.id)
             FROM vendors v, questionnaire_template_versions tv
            WHERE v.organization_id = $1 AND v.slug LIKE 'bench-vendor-%' AND tv.id = $2`,
          [org, versionId],
        );
        throw new RolledBack();
      })
      .catch((err: unknown) => {
        if (!(err instanceof RolledBack)) throw err;
      }),
  );

  // (b) The campaign, over HTTP; then until every mail job has left the outbox for Redis.
  const t0 = performance.now();
  const res = await t.http
    .post('/api/questionnaire-campaigns')
    .set(auth(manager))
    .send({ templateVersionId: versionId, filter: { lifecycles: ['exiting'] }, dueInDays: 30, name: 'Bench campaign' });
  const created = performance.now() - t0;
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(201);
  const campaign = res.body as CampaignDetail;
  await until(async () => (await ds.query(`SELECT count(*)::int AS n FROM job_outbox`))[0].n === 0);
  const queued = performance.now() - t0;
  const [{ requests, vendors, mails }] = await ds.query(
    `SELECT count(*)::int AS requests, count(DISTINCT vendor_id)::int AS vendors,
            (SELECT count(*)::int FROM notifications WHERE dedupe_key LIKE 'questionnaire-request-%-sent'
               AND user_id IN (SELECT id FROM users WHERE email LIKE '%.bench.test')) AS mails
       FROM questionnaire_requests WHERE campaign_id = $1`,
    [campaign.id],
  );
  expect(requests).toBe(VENDORS);
  expect(vendors).toBe(VENDORS);
  expect(mails).toBe(VENDORS);
  const redis = new Redis(REDIS_URL);
  const waiting = await redis.llen(`${PREFIX}:bulwark-default:wait`);
  await redis.quit();

  // (c) Autosave: WRITERS vendors at once, each saving ANSWERS answers in turn.
  const writers = campaign.requestList.slice(0, WRITERS);
  const tokens: string[] = [];
  for (const r of writers) {
    const [{ email }] = await ds.query(`SELECT email FROM users WHERE vendor_id = $1`, [r.vendorId]);
    tokens.push(await login(t, email));
  }
  const latencies: number[] = [];
  const auto = await timed(() =>
    Promise.all(
      writers.map(async (r, i) => {
        for (let q = 1; q <= ANSWERS; q += 1) {
          const s = performance.now();
          const put = await t.http
            .put(`/api/questionnaire-requests/${r.id}/answers/q${q}`)
            .set(auth(tokens[i]!))
            .send({ value: `Answer ${q} of ${r.vendorName}`, version: 0 });
          latencies.push(performance.now() - s);
          expect(put.status).toBe(200);
        }
      }),
    ),
  );
  const [{ saved }] = await ds.query(`SELECT count(*)::int AS saved FROM questionnaire_answers WHERE request_id = ANY($1::uuid[])`, [
    writers.map((r) => r.id),
  ]);
  expect(saved).toBe(WRITERS * ANSWERS);

  console.log(`campaign to ${VENDORS.toLocaleString('en')} vendors (one contact each)`);
  console.log(`baseline (1 × INSERT … SELECT of the request rows): ${baseline.ms.toFixed(0)} ms`);
  console.log(
    `campaign created (requests, notifications, outbox rows; HTTP 201): ${created.toFixed(0)} ms (${(created / baseline.ms).toFixed(1)}× the baseline)`,
  );
  console.log(
    `… and every mail job queued in Redis: ${queued.toFixed(0)} ms (${(queued / baseline.ms).toFixed(1)}× the baseline), ${waiting} jobs waiting`,
  );
  console.log(
    `autosave, ${WRITERS} vendors × ${ANSWERS} answers at once: ${latencies.length} saves in ${auto.ms.toFixed(0)} ms; ` +
      `p50 ${pct(latencies, 50).toFixed(0)} ms, p95 ${pct(latencies, 95).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`,
  );
}, 3_600_000);

class RolledBack extends Error {}
