import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { DomainEvents, RequestContext, systemActor, type DomainEventMap } from '@bulwark/platform';
import { signal } from '@bulwark/plugin-sdk';
import { startFixtureServer, type FixtureServer } from '@bulwark/plugin-sdk/testing';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from '@bulwark/plugin-webhook-ingest';
import { FinancialHealth, ingestSignals, ingestTarget, PollService, RawEvidence, SignalSourceService } from '@bulwark/signals';

import { auth, bootApp, login, seedOrgs, type TestApp } from '../support/app';
import { waitForMail } from '../support/outbox';
import { ROOT } from '../support/services';
import { until } from '../support/wait';

const SECRET = 'whsec-0123456789abcdef0123456789abcdef';
let t: TestApp;
let feed: FixtureServer;
let ds: DataSource;
let manager: string;
let vendorId: string;
let sourceId: string;
let ingestPath: string;

const rapidRatings = {
  provider: 'RapidRatings FHR',
  signalType: 'financial_score',
  valueMap: [
    { max: 40, level: 'major_outage', band: 'high risk' },
    { min: 40, max: 60, level: 'degraded', band: 'medium risk' },
    { min: 60, level: 'operational', band: 'low risk' },
  ],
};

function signed(body: unknown, at = Math.floor(Date.now() / 1000), secret = SECRET) {
  const raw = JSON.stringify(body);
  return {
    raw,
    headers: {
      'content-type': 'application/json',
      [TIMESTAMP_HEADER]: String(at),
      [SIGNATURE_HEADER]: `sha256=${signWebhook(raw, at, secret)}`,
    },
  };
}

const ENTITY = join(ROOT, 'plugins', 'entity-status', 'fixtures');

beforeAll(async () => {
  // GLEIF and Companies House answers in their real formats, for the polled entity-status source below.
  feed = await startFixtureServer({
    '/api/v1/lei-records/5493001KJTIIGC8Y1R12': {
      body: readFileSync(join(ENTITY, 'lei-record-5493001KJTIIGC8Y1R12-bloomberg-finance-lp.json')),
    },
    '/company/09990003': { body: readFileSync(join(ENTITY, 'ch-company-09990003-liquidation-handwritten.json')) },
    '/company/09990003/insolvency': { body: readFileSync(join(ENTITY, 'ch-insolvency-09990003-administration-then-cvl-handwritten.json')) },
  });
  t = await bootApp({ FEED_ALLOWED_HOSTS: '127.0.0.1:*' });
  await seedOrgs(t, false);
  ds = t.app.get(DataSource);
  manager = await login(t, 'manager@demo.bulwark.test');
  [{ id: vendorId }] = await ds.query(`SELECT id FROM vendors WHERE name = 'Pinecone'`);
});
afterAll(async () => {
  await t?.close();
  await feed?.close();
});

describe('push sources (signed webhook and CSV upload)', () => {
  it('creates a webhook source: the signing secret is write-only and encrypted at rest', async () => {
    const res = await t.http
      .post('/api/signal-sources')
      .set(auth(manager))
      .send({ vendorId, plugin: 'webhook-ingest', config: { signingSecret: SECRET, ...rapidRatings } });
    expect(res.status).toBe(201);
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    expect(res.body.secretsSet).toEqual(['signingSecret']);
    expect(res.body.config).not.toHaveProperty('signingSecret');
    expect(res.body.webhookUrl).toMatch(/\/api\/ingest\/[A-Za-z0-9_-]{20,}$/);
    sourceId = res.body.id;
    ingestPath = new URL(res.body.webhookUrl).pathname;
    const [row] = await ds.query(`SELECT secrets, config::text AS config FROM signal_sources WHERE id = $1`, [sourceId]);
    expect(row.secrets).toMatch(/^v1\./);
    expect(row.secrets + row.config).not.toContain(SECRET);
    const audit = await ds.query(`SELECT diff::text AS diff FROM audit_log WHERE entity_id = $1`, [sourceId]);
    expect(audit.map((a: { diff: string }) => a.diff).join()).not.toContain(SECRET);
    const list = await t.http.get(`/api/signal-sources?vendorId=${vendorId}`).set(auth(manager));
    expect(JSON.stringify(list.body)).not.toContain(SECRET);
    // Procurement reads sources but never sees where to push.
    const procurement = await login(t, 'procurement@demo.bulwark.test');
    expect((await t.http.get(`/api/signal-sources/${sourceId}`).set(auth(procurement))).body.webhookUrl).toBeNull();
  });

  it('refuses unsigned, mis-signed, replayed and unknown-key deliveries, writing nothing', async () => {
    const body = [{ id: 'pinecone', score: 35, title: 'Pinecone FHR' }];
    const noSig = await t.http.post(ingestPath).set('content-type', 'application/json').send(JSON.stringify(body));
    expect(noSig.status).toBe(401);
    const wrong = signed(body, undefined, 'another-secret-another-secret-xx');
    expect((await t.http.post(ingestPath).set(wrong.headers).send(wrong.raw)).status).toBe(401);
    const stale = signed(body, Math.floor(Date.now() / 1000) - 3600);
    const staleRes = await t.http.post(ingestPath).set(stale.headers).send(stale.raw);
    expect(staleRes.status).toBe(401);
    expect(staleRes.body.error.message).toMatch(/timestamp_too_old/);
    const tampered = signed(body);
    expect((await t.http.post(ingestPath).set(tampered.headers).send(tampered.raw.replace('35', '95'))).status).toBe(401);
    const good = signed(body);
    expect((await t.http.post('/api/ingest/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa').set(good.headers).send(good.raw)).status).toBe(404);
    expect((await ds.query(`SELECT count(*)::int AS n FROM signals WHERE source_id = $1`, [sourceId]))[0].n).toBe(0);
  });

  it('ingests a signed delivery; distress re-tiers the vendor, is audited and alerts the owner', async () => {
    const before = (await t.http.get(`/api/vendors/${vendorId}`).set(auth(manager))).body;
    expect(before.intake.financialHealth).toBe('watch');
    const d = signed([{ id: 'pinecone', score: 35, title: 'Pinecone FHR', asOf: '2026-11-01' }]);
    const res = await t.http.post(ingestPath).set(d.headers).send(d.raw);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: 1, changed: 1 });
    const summary = (await t.http.get(`/api/vendors/${vendorId}/signals`).set(auth(manager))).body;
    expect(summary.financial[0]).toMatchObject({
      level: 'major_outage',
      score: { model: 'RapidRatings FHR', value: 35, band: 'high risk' },
    });
    const after = (await t.http.get(`/api/vendors/${vendorId}`).set(auth(manager))).body;
    expect(after.intake.financialHealth).toBe('distressed');
    expect(after.tierScore).toBeGreaterThan(before.tierScore);
    const [alert] = await ds.query(`SELECT diff FROM audit_log WHERE action = 'vendor.financial_alert' AND entity_id = $1`, [vendorId]);
    expect(alert.diff.financialHealth).toEqual({ from: 'watch', to: 'distressed' });
    const outbox = join(t.dataDir, 'outbox');
    const mail = await waitForMail(outbox, (m) => m.file.includes('financial'));
    expect(mail).toMatchObject({ to: 'manager@demo.bulwark.test' });
    expect(mail.subject).toContain('Pinecone');
    // The same delivery again changes nothing.
    const again = await t.http.post(ingestPath).set(d.headers).send(d.raw);
    expect(again.body).toMatchObject({ accepted: 1, changed: 0 });
  });

  it('accepts a CSV upload and reports bad rows without ingesting any', async () => {
    const bad = await t.http
      .post(`/api/signal-sources/${sourceId}/upload`)
      .set(auth(manager))
      .set('content-type', 'text/csv')
      .send('id,score,title\npinecone,72,Pinecone FHR\n,50,Missing id\n');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.errors[0].row).toBe(3);
    const ok = await t.http
      .post(`/api/signal-sources/${sourceId}/upload`)
      .set(auth(manager))
      .set('content-type', 'text/csv')
      .send('id,score,title,asOf\npinecone,72,Pinecone FHR,2026-11-15\n');
    expect(ok.status).toBe(200);
    const after = (await t.http.get(`/api/vendors/${vendorId}`).set(auth(manager))).body;
    expect(after.intake.financialHealth).toBe('healthy');
  });
});

describe('every ingestion path recomputes SLA attainment', () => {
  it('a signed webhook delivery and a CSV upload each enqueue the recompute, as a poll does', async () => {
    // Snowflake has an SLA in the demo: its attainment rows show when the recompute ran.
    const [{ id: snowflake }] = await ds.query(`SELECT id FROM vendors WHERE name = 'Snowflake'`);
    expect((await ds.query(`SELECT count(*)::int AS n FROM slas WHERE vendor_id = $1`, [snowflake]))[0].n).toBeGreaterThan(0);
    const computedAt = async () =>
      (
        (await ds.query(`SELECT max(computed_at) AS at FROM sla_attainment WHERE vendor_id = $1`, [snowflake]))[0].at as Date | null
      )?.getTime() ?? 0;
    const created = await t.http
      .post('/api/signal-sources')
      .set(auth(manager))
      .send({ vendorId: snowflake, plugin: 'webhook-ingest', config: { signingSecret: SECRET, ...rapidRatings } });
    expect(created.status).toBe(201);
    const path = new URL(created.body.webhookUrl).pathname;

    const before = await computedAt();
    const d = signed([{ id: 'snowflake', score: 55, title: 'Snowflake FHR', asOf: '2026-11-01' }]);
    expect((await t.http.post(path).set(d.headers).send(d.raw)).body).toMatchObject({ accepted: 1, changed: 1 });
    const afterWebhook = await until('the recompute after the webhook', async () =>
      (await computedAt()) > before ? computedAt() : undefined,
    );

    const upload = await t.http
      .post(`/api/signal-sources/${created.body.id}/upload`)
      .set(auth(manager))
      .set('content-type', 'text/csv')
      .send('id,score,title,asOf\nsnowflake,75,Snowflake FHR,2026-11-20\n');
    expect(upload.body).toMatchObject({ received: 1, changed: 1 });
    await until('the recompute after the upload', async () => ((await computedAt()) > afterWebhook ? true : undefined));
  });
});

describe('vendor-health-changed is emitted once per committed ingestion', () => {
  it('a rolled-back ingestion emits nothing; a committed one emits exactly one event', async () => {
    const [{ id: cohere }] = await ds.query(`SELECT id FROM vendors WHERE name = 'Cohere'`);
    const emitted: DomainEventMap['signals.vendor-health-changed'][] = [];
    t.app.get(DomainEvents).on('signals.vendor-health-changed', (e) => void (e.vendorId === cohere && emitted.push(e)));
    const created = await t.http
      .post('/api/signal-sources')
      .set(auth(manager))
      .send({ vendorId: cohere, plugin: 'webhook-ingest', config: { signingSecret: SECRET, ...rapidRatings } });
    expect(created.status).toBe(201);
    const path = new URL(created.body.webhookUrl).pathname;
    const d = signed([{ id: 'cohere', score: 35, title: 'Cohere FHR', asOf: '2026-11-01' }]);
    const stored = async () =>
      (await ds.query(`SELECT count(*)::int AS n FROM signals WHERE source_id = $1`, [created.body.id]))[0].n as number;

    // The raw evidence cannot be written, inside the ingest transaction: it rolls back, the signals with it.
    const store = vi.spyOn(t.app.get(RawEvidence), 'store').mockRejectedValueOnce(new Error('storage unavailable'));
    const failed = await t.http.post(path).set(d.headers).send(d.raw);
    expect(store).toHaveBeenCalledTimes(1);
    store.mockRestore();
    expect(failed.status).toBe(500);
    expect(await stored()).toBe(0);
    expect(emitted).toEqual([]);

    const ok = await t.http.post(path).set(d.headers).send(d.raw);
    expect(ok.status).toBe(202);
    expect(await stored()).toBe(1);
    expect(emitted).toEqual([{ organizationId: expect.any(String), vendorId: cohere, cause: 'webhook' }]);
  });
});

describe('financial thresholds follow the latest period only', () => {
  it('an older distressed fiscal year no longer keeps the vendor distressed; it stays as history', async () => {
    const [vendor] = await ds.query(`SELECT id, organization_id FROM vendors WHERE name = 'Snowflake'`);
    const sources = t.app.get(SignalSourceService);
    const financial = t.app.get(FinancialHealth);
    const actor = systemActor(vendor.organization_id, 'test@bulwark');
    const source = await RequestContext.runAs(actor, () =>
      sources.create({ vendorId: vendor.id, plugin: 'sec-edgar', config: { cik: '1640147' }, enabled: false }),
    );
    const stored = (await sources.loadForSystem(source.id))!;
    const altman = (end: string, value: number, level: 'operational' | 'major_outage', band: string) =>
      signal({
        externalId: `altman:0001640147:${end}`,
        signalType: 'financial_score',
        level,
        title: `Altman Z″ ${end}`,
        asOf: end,
        updatedAt: `${end}T00:00:00.000Z`,
        score: { model: 'altman-z-double-prime', value, band, inputs: {} },
      });
    const health = async () =>
      (await ds.query(`SELECT intake->>'financialHealth' AS h FROM vendors WHERE id = $1`, [vendor.id]))[0].h as string;
    const ingestAndApply = (batch: ReturnType<typeof altman>[], complete = false) =>
      RequestContext.runAs(actor, async () => {
        await ds.transaction((m) => ingestSignals(m, ingestTarget(stored), batch, { complete }));
        await financial.applyThreshold(stored);
      });

    await ingestAndApply([altman('2023-12-31', 0.4, 'major_outage', 'distress')]);
    expect(await health()).toBe('distressed');
    // The next annual report is safe; the old year is still open (e.g. stored before this rule): only the latest counts.
    await ingestAndApply([altman('2024-12-31', 3.1, 'operational', 'safe')]);
    expect(await health()).toBe('healthy');
    // A complete poll (the plugin's) resolves the older year; both stay in the score history.
    await ingestAndApply([altman('2024-12-31', 3.1, 'operational', 'safe')], true);
    const rows = await ds.query(`SELECT external_id, resolved_at FROM signals WHERE source_id = $1 ORDER BY as_of`, [source.id]);
    expect(rows.map((r: { external_id: string; resolved_at: Date | null }) => [r.external_id, r.resolved_at !== null])).toEqual([
      ['altman:0001640147:2023-12-31', true],
      ['altman:0001640147:2024-12-31', false],
    ]);
    const summary = (await t.http.get(`/api/vendors/${vendor.id}/signals`).set(auth(manager))).body;
    const scores = summary.financial.filter((s: { sourceId: string }) => s.sourceId === source.id);
    expect(scores.map((s: { asOf: string; score: { value: number } }) => [s.asOf, s.score.value])).toEqual([
      ['2024-12-31', 3.1],
      ['2023-12-31', 0.4],
    ]);
    expect(await health()).toBe('healthy');
  });
});

describe('a newer financial observation supersedes the older one of the same source and model', () => {
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  const health = async (id: string) =>
    (await ds.query(`SELECT intake->>'financialHealth' AS h FROM vendors WHERE id = $1`, [id]))[0].h as string;

  it('pushed: a later low-risk rating (its own record id) makes the vendor healthy again; the high-risk one is history', async () => {
    const [{ id: datadog }] = await ds.query(`SELECT id FROM vendors WHERE name = 'Datadog'`);
    expect(await health(datadog)).toBe('healthy');
    const created = await t.http
      .post('/api/signal-sources')
      .set(auth(manager))
      .send({ vendorId: datadog, plugin: 'webhook-ingest', config: { signingSecret: SECRET, ...rapidRatings } });
    expect(created.status).toBe(201);
    const path = new URL(created.body.webhookUrl).pathname;
    const push = async (records: unknown[]) => {
      const d = signed(records);
      const res = await t.http.post(path).set(d.headers).send(d.raw);
      expect(res.status).toBe(202);
    };
    const rows = async () =>
      (await ds.query(`SELECT external_id, level, resolved_at FROM signals WHERE source_id = $1 ORDER BY as_of`, [created.body.id])).map(
        (r: { external_id: string; level: string; resolved_at: Date | null }) => [
          r.external_id,
          r.level,
          r.resolved_at ? 'history' : 'current',
        ],
      );

    await push([{ id: 'RR-1', score: 23, title: 'Datadog FHR', asOf: daysAgo(60) }]);
    expect(await health(datadog)).toBe('distressed');
    const tierWhenDistressed = (await t.http.get(`/api/vendors/${datadog}`).set(auth(manager))).body.tierScore;

    await push([{ id: 'RR-2', score: 72, title: 'Datadog FHR', asOf: daysAgo(10) }]);
    // The tier intake follows the current rating, audited as every threshold crossing is.
    expect(await health(datadog)).toBe('healthy');
    const vendor = (await t.http.get(`/api/vendors/${datadog}`).set(auth(manager))).body;
    expect(vendor.tierScore).toBeLessThan(tierWhenDistressed);
    const alerts = await ds.query(`SELECT diff FROM audit_log WHERE action = 'vendor.financial_alert' AND entity_id = $1 ORDER BY seq`, [
      datadog,
    ]);
    expect(alerts.map((a: { diff: { financialHealth: unknown } }) => a.diff.financialHealth)).toEqual([
      { from: 'healthy', to: 'distressed' },
      { from: 'distressed', to: 'healthy' },
    ]);
    expect(await rows()).toEqual([
      ['RR-1', 'major_outage', 'history'],
      ['RR-2', 'operational', 'current'],
    ]);
    // The panel's current row and the tier factor agree; the superseded rating stays in the history.
    const summary = (await t.http.get(`/api/vendors/${datadog}/signals`).set(auth(manager))).body;
    const mine = summary.financial.filter((s: { sourceId: string }) => s.sourceId === created.body.id);
    expect(mine.map((s: { externalId: string; resolvedAt: string | null }) => [s.externalId, s.resolvedAt === null])).toEqual([
      ['RR-2', true],
      ['RR-1', false],
    ]);
    const history = (await t.http.get(`/api/signals/${mine[1].id}/history`).set(auth(manager))).body;
    expect(history.map((h: { level: string; lifecycle: string }) => h.lifecycle)).toEqual(['open', 'resolved']);

    // A late, older high-risk rating does not take over: it is history as soon as it arrives.
    await push([{ id: 'RR-0', score: 30, title: 'Datadog FHR', asOf: daysAgo(90) }]);
    expect(await health(datadog)).toBe('healthy');
    expect(await rows()).toEqual([
      ['RR-0', 'major_outage', 'history'],
      ['RR-1', 'major_outage', 'history'],
      ['RR-2', 'operational', 'current'],
    ]);
    // Re-delivering the superseded rating changes nothing.
    const again = signed([{ id: 'RR-1', score: 23, title: 'Datadog FHR', asOf: daysAgo(60) }]);
    expect((await t.http.post(path).set(again.headers).send(again.raw)).body).toMatchObject({ changed: 0 });
    expect(await health(datadog)).toBe('healthy');
  });

  it('polled: two models of one source (LEI status, Companies House status) both stay current', async () => {
    const [{ id: twilio }] = await ds.query(`SELECT id FROM vendors WHERE name = 'Twilio'`);
    expect(await health(twilio)).toBe('healthy');
    const created = await t.http
      .post('/api/signal-sources')
      .set(auth(manager))
      .send({
        vendorId: twilio,
        plugin: 'entity-status',
        config: {
          lei: '5493001KJTIIGC8Y1R12',
          companyNumber: '09990003',
          gleifBaseUrl: feed.url,
          companiesHouseBaseUrl: feed.url,
          companiesHouseApiKey: 'test-key',
        },
        enabled: true,
        scheduleSeconds: 86400,
      });
    expect(created.status).toBe(201);
    const polls = t.app.get(PollService);
    expect(await polls.poll(created.body.id)).toMatchObject({ status: 'ok' });
    // A second poll observes both again: neither supersedes the other.
    expect(await polls.poll(created.body.id)).toMatchObject({ status: 'ok' });
    const current = await ds.query(
      `SELECT score->>'model' AS model, level FROM signals WHERE source_id = $1 AND resolved_at IS NULL ORDER BY 1`,
      [created.body.id],
    );
    expect(current).toEqual([
      { model: 'companies-house-status', level: 'major_outage' },
      { model: 'lei-status', level: 'operational' },
    ]);
    // The company in liquidation counts, next to the healthy LEI.
    expect(await health(twilio)).toBe('distressed');
  });
});
