import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { configJsonSchema, FeedParseError, PermanentPluginError, type NormalizedSignal } from '@bulwark/plugin-sdk';
import { rejectionOf, startFixtureServer, tally, testInstance, type FixtureServer, type Route } from '@bulwark/plugin-sdk/testing';

import { gcpStatusPlugin } from './index.js';

const fx = (name: string) => ({ file: join(__dirname, '..', 'fixtures', name) }) satisfies Route;
const FEED = '/incidents.json';
const REAL = 'gcp-2022-07-03-incidents-full-157.json';
const HAND = 'handwritten-incidents-open-and-recent.json';
/** The real capture was taken on 2022-07-03. */
const JULY_2022 = new Date('2022-07-03T12:00:00Z');
const JUNE_2025 = new Date('2025-06-05T12:00:00Z');

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({});
});
afterAll(async () => server.close());
beforeEach(() => {
  for (const k of Object.keys(server.routes)) delete server.routes[k];
});

type Cfg = Partial<{ products: string[]; locations: string[]; lookbackDays: number }>;
const instance = (now: Date, config: Cfg = {}) => testInstance(gcpStatusPlugin, { baseUrl: server.url, ...config }, { now });
const poll = async (now: Date, config: Cfg = {}) => (await instance(now, config).poll()).signals;

const byId = (signals: NormalizedSignal[], id: string) => {
  const s = signals.find((x) => x.externalId === id);
  if (!s) throw new Error(`no signal ${id}`);
  return s;
};

async function parseFailure(p: Promise<unknown>): Promise<FeedParseError> {
  const err = await rejectionOf(p);
  expect(err).toBeInstanceOf(FeedParseError);
  return err as FeedParseError;
}

describe('gcp-status plugin: definition', () => {
  it('has the expected id, kind and config defaults', () => {
    expect(gcpStatusPlugin.id).toBe('gcp-status');
    expect(gcpStatusPlugin.kind).toBe('health');
    expect(gcpStatusPlugin.displayName).toBe('Google Cloud Service Health');
    expect(gcpStatusPlugin.configSchema.parse({})).toEqual({
      baseUrl: 'https://status.cloud.google.com',
      products: [],
      locations: [],
      lookbackDays: 30,
    });
    const schema = configJsonSchema(gcpStatusPlugin.configSchema) as { properties: Record<string, { description?: string }> };
    for (const key of ['baseUrl', 'products', 'locations', 'lookbackDays']) expect(schema.properties[key]?.description).toBeTruthy();
    expect(() => gcpStatusPlugin.configSchema.parse({ lookbackDays: 1.5 })).toThrow();
  });
});

describe('gcp-status plugin: real capture (2022-07-03, 157 closed incidents)', () => {
  beforeEach(() => Object.assign(server.routes, { [FEED]: fx(REAL) }));

  it('emits every incident inside a long lookback, with levels by impact and severity', async () => {
    const signals = await poll(JULY_2022, { lookbackDays: 400 });
    expect(signals).toHaveLength(157);
    expect(new Set(signals.map((s) => s.externalId)).size).toBe(157);
    expect(signals.every((s) => s.signalType === 'service_incident')).toBe(true);
    // SERVICE_DISRUPTION/medium 118, SERVICE_OUTAGE/high 20, SERVICE_INFORMATION/low 19
    expect(tally(signals.map((s) => s.level))).toEqual({ degraded: 118, major_outage: 20, info: 19 });
    // Every incident has `end`, but two never got an AVAILABLE update: by the rule they stay open.
    expect(tally(signals.map((s) => s.lifecycle))).toEqual({ resolved: 155, open: 2 });
    expect(
      signals
        .filter((s) => s.lifecycle === 'open')
        .map((s) => s.externalId)
        .sort(),
    ).toEqual(['NJJp8jkNzFStMyiJZWWD', 'QEcZsLuW9bqYZggLZXgS']);
    expect(signals.every((s) => s.url === `${server.url}/incidents/${s.externalId}`)).toBe(true);
    expect(signals.every((s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/.test(s.startedAt ?? ''))).toBe(true);
  });

  it('maps the newest incident (BigQuery, 2022-07-01) field by field', async () => {
    const signals = await poll(JULY_2022);
    const s = byId(signals, 'TaA75H7XA1DQyM2ReK2f');
    expect(s).toMatchObject({
      signalType: 'service_incident',
      service: 'Google BigQuery',
      level: 'info',
      lifecycle: 'resolved',
      title: '[Google BigQuery] Lower throughput from the Read API',
      startedAt: '2022-07-01T13:37:44.000Z',
      updatedAt: '2022-07-01T19:25:45.000Z',
      resolvedAt: '2022-07-01T19:25:45.000Z',
      scheduledFor: null,
      url: `${server.url}/incidents/TaA75H7XA1DQyM2ReK2f`,
    });
    expect(s.detail).toMatch(
      /^The issue with Google BigQuery has been resolved for all affected users as of Friday, 2022-07-01 12:23 US\/Pacific\./,
    );
    // closed: the previously affected locations
    expect(s.region?.split(',')).toHaveLength(29);
    expect(s.region).toMatch(/^asia-east1,asia-east2,.*,us-central1,.*us-west4$/);
  });

  it('drops closed incidents that ended before the 30-day default lookback (and the two stale open ones)', async () => {
    const signals = await poll(JULY_2022);
    expect(signals).toHaveLength(25);
    expect(tally(signals.map((s) => s.level))).toEqual({ info: 13, degraded: 9, major_outage: 3 });
    expect(signals.every((s) => s.lifecycle === 'resolved')).toBe(true);
  });

  it('filters by product title or id', async () => {
    const byTitle = await poll(JULY_2022, { lookbackDays: 400, products: ['Google BigQuery'] });
    expect(byTitle).toHaveLength(13);
    expect(tally(byTitle.map((s) => s.level))).toEqual({ degraded: 7, info: 4, major_outage: 2 });
    const byIdFilter = await poll(JULY_2022, { lookbackDays: 400, products: ['9CcrhHUcFevXPSVaSxkf'] });
    expect(byIdFilter.map((s) => s.externalId)).toEqual(byTitle.map((s) => s.externalId));
  });

  it('filters by location: us-central1 matches it, global, and incidents that name no location', async () => {
    const signals = await poll(JULY_2022, { lookbackDays: 400, locations: ['us-central1'] });
    // 29 name us-central1, 14 are global, 105 name no location at all (kept: they cannot be ruled out)
    expect(signals).toHaveLength(145);
    const both = await poll(JULY_2022, { lookbackDays: 400, locations: ['us-central1'], products: ['Google BigQuery'] });
    expect(both).toHaveLength(10);
  });

  it('gives identical signals when polled twice', async () => {
    const plugin = instance(JULY_2022, { lookbackDays: 400 });
    const first = await plugin.poll();
    const second = await plugin.poll();
    expect(second.signals).toEqual(first.signals);
  });

  it('selfTest counts the incidents', async () => {
    expect(await instance(JULY_2022).selfTest()).toEqual({
      ok: true,
      message: 'Google Cloud Service Health: 157 incidents in the feed, 2 open',
    });
  });
});

describe('gcp-status plugin: hand-written open incidents', () => {
  beforeEach(() => Object.assign(server.routes, { [FEED]: fx(HAND) }));

  it('reports open incidents (no end, null end, empty end) and the recent closed one', async () => {
    const signals = await poll(JUNE_2025);
    expect(signals.map((s) => [s.externalId, s.level, s.lifecycle, s.region])).toEqual([
      ['Zr7Ka1Bc2De3Fg4Hi5Jk', 'major_outage', 'open', 'global'],
      ['5fGQt4VbkDnr3Yp8PXPr', 'degraded', 'open', 'us-central1'],
      ['Mm9Nn8Bb7Vv6Cc5Xx4Zz', 'partial_outage', 'open', 'europe-west1,europe-west4'],
      ['Qx3mVn8sLp2Rk7Tw9Yb4', 'degraded', 'open', 'asia-northeast1'],
      ['Ee1Rr2Tt3Yy4Uu5Ii6Oo', 'info', 'resolved', 'us-east1,southamerica-east1'],
    ]);
  });

  it('maps an open incident without `end` field by field, detail from the latest update by `when`', async () => {
    const signals = await poll(JUNE_2025);
    expect(byId(signals, '5fGQt4VbkDnr3Yp8PXPr')).toEqual({
      externalId: '5fGQt4VbkDnr3Yp8PXPr',
      signalType: 'service_incident',
      service: 'Cloud SQL',
      region: 'us-central1',
      level: 'degraded',
      lifecycle: 'open',
      title: 'Elevated error rates for Cloud SQL in us-central1',
      detail:
        '**Summary:** Elevated error rates for Cloud SQL in us-central1\n**Description:** Mitigation in progress. We will provide an update by Thursday, 2025-06-05 03:00 US/Pacific.',
      startedAt: '2025-06-05T07:00:00.000Z',
      updatedAt: '2025-06-05T08:52:49.000Z',
      resolvedAt: null,
      scheduledFor: null,
      scheduledUntil: null,
      score: null,
      url: `${server.url}/incidents/5fGQt4VbkDnr3Yp8PXPr`,
      // Provenance: incidents.json is a bare array; the incident is its second element.
      rawRef: { fetchUrl: `${server.url}/incidents.json`, pointer: '/1' },
    });
    expect(byId(signals, 'Zr7Ka1Bc2De3Fg4Hi5Jk').service).toBe('Google Cloud Networking, Cloud Load Balancing, Google Compute Engine');
  });

  it('keeps an incident with `end` open while its latest update (by `when`, not array order) is not AVAILABLE', async () => {
    const s = byId(await poll(JUNE_2025), 'Qx3mVn8sLp2Rk7Tw9Yb4');
    expect(s.lifecycle).toBe('open');
    expect(s.resolvedAt).toBeNull();
    expect(s.detail).toMatch(/^We are again seeing node pool creation failures/);
  });

  it('closes an incident on its AVAILABLE update even when the updates are out of order', async () => {
    const s = byId(await poll(JUNE_2025), 'Ee1Rr2Tt3Yy4Uu5Ii6Oo');
    expect(s).toMatchObject({
      lifecycle: 'resolved',
      resolvedAt: '2025-06-02T19:45:31.000Z',
      startedAt: '2025-06-02T15:45:00.000Z',
      service: 'Google BigQuery',
    });
    expect(s.detail).toMatch(/^The issue with Google BigQuery has been resolved/);
  });

  it('a longer lookback brings back the incident closed in March', async () => {
    const signals = await poll(JUNE_2025, { lookbackDays: 120 });
    expect(byId(signals, 'Ff0Gg9Hh8Jj7Kk6Ll5Pp')).toMatchObject({
      lifecycle: 'resolved',
      region: 'us-central1',
      resolvedAt: '2025-03-01T14:30:00.000Z',
    });
    expect(signals).toHaveLength(6);
  });

  it('filters by product and by location (global matches every location)', async () => {
    expect((await poll(JUNE_2025, { products: ['cloud sql'] })).map((s) => s.externalId)).toEqual(['5fGQt4VbkDnr3Yp8PXPr']);
    expect((await poll(JUNE_2025, { locations: ['us-central1'] })).map((s) => s.externalId)).toEqual([
      'Zr7Ka1Bc2De3Fg4Hi5Jk',
      '5fGQt4VbkDnr3Yp8PXPr',
    ]);
    expect((await poll(JUNE_2025, { locations: ['europe-west4'] })).map((s) => s.externalId)).toEqual([
      'Zr7Ka1Bc2De3Fg4Hi5Jk',
      'Mm9Nn8Bb7Vv6Cc5Xx4Zz',
    ]);
    expect((await poll(JUNE_2025, { locations: ['southamerica-east1'], products: ['Google BigQuery'] })).map((s) => s.externalId)).toEqual([
      'Ee1Rr2Tt3Yy4Uu5Ii6Oo',
    ]);
    expect(await poll(JUNE_2025, { products: ['Cloud Spanner'] })).toEqual([]);
  });

  it('gives identical signals when polled twice', async () => {
    const plugin = instance(JUNE_2025);
    expect((await plugin.poll()).signals).toEqual((await plugin.poll()).signals);
  });
});

describe('gcp-status plugin: healthy and errors', () => {
  it('an empty array is healthy: zero signals', async () => {
    Object.assign(server.routes, { [FEED]: fx('handwritten-incidents-empty.json') });
    expect(await instance(JUNE_2025).poll()).toEqual({ signals: [], complete: true });
  });

  it('an HTML page served with 200 is a FeedParseError', async () => {
    Object.assign(server.routes, { [FEED]: { ...fx('handwritten-malformed-html-200.html'), headers: { 'content-type': 'text/html' } } });
    expect((await parseFailure(instance(JUNE_2025).poll())).message).toContain('HTML');
  });

  it('an empty body is a FeedParseError', async () => {
    Object.assign(server.routes, { [FEED]: { body: '' } });
    await parseFailure(instance(JUNE_2025).poll());
  });

  it('JSON of the wrong shape is a FeedParseError', async () => {
    Object.assign(server.routes, { [FEED]: fx('handwritten-malformed-wrong-shape.json') });
    expect((await parseFailure(instance(JUNE_2025).poll())).message).toContain('array');
    Object.assign(server.routes, { [FEED]: { body: '[{"number":"1","begin":"2025-06-05T07:00:00+00:00"}]' } });
    await parseFailure(instance(JUNE_2025).poll());
    Object.assign(server.routes, { [FEED]: { body: '[{"id":"x","begin":"2025-06-05T07:00:00+00:00"' } });
    await parseFailure(instance(JUNE_2025).poll());
  });

  it('a 404 is permanent, a 503 is retried, and selfTest never throws', async () => {
    expect(
      await instance(JUNE_2025)
        .poll()
        .catch((e: unknown) => e),
    ).toBeInstanceOf(PermanentPluginError);
    Object.assign(server.routes, { [FEED]: { status: 503, body: '<html>Unavailable</html>', headers: { 'content-type': 'text/html' } } });
    const err = await instance(JUNE_2025)
      .poll()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(PermanentPluginError);
    const self = await instance(JUNE_2025).selfTest();
    expect(self.ok).toBe(false);
    expect(self.message).toContain('503');
  });

  it('reuses the ETag: a 304 answers from the cache with the same signals', async () => {
    Object.assign(server.routes, {
      [FEED]: ((req, res) => {
        if (req.headers['if-none-match'] === '"g1"') return void res.writeHead(304).end();
        res.writeHead(200, { etag: '"g1"', 'content-type': 'application/json' }).end('[]');
      }) satisfies Route,
    });
    const plugin = instance(JUNE_2025);
    const first = await plugin.poll();
    const second = await plugin.poll();
    expect(second).toEqual({ signals: first.signals, complete: true, notModified: true });
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"g1"');
  });
});
