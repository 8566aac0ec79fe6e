import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { configJsonSchema, FeedLimitError, FeedParseError, PermanentPluginError, type NormalizedSignal } from '@bulwark/plugin-sdk';
import { rejectionOf, startFixtureServer, tally, testInstance, type FixtureServer, type Route } from '@bulwark/plugin-sdk/testing';

import { statuspagePlugin } from './index.js';

const fx = (name: string) => ({ file: join(__dirname, '..', 'fixtures', name) }) satisfies Route;
const SUMMARY = '/api/v2/summary.json';
const INCIDENTS = '/api/v2/incidents.json';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({});
});
afterAll(async () => server.close());
beforeEach(() => {
  for (const k of Object.keys(server.routes)) delete server.routes[k];
});

function serve(routes: Record<string, Route>) {
  Object.assign(server.routes, routes);
}

function instance(config: Partial<{ components: string[]; includeMaintenance: boolean; recentIncidents: boolean }> = {}) {
  return testInstance(statuspagePlugin, { baseUrl: server.url, ...config });
}

const byId = (signals: NormalizedSignal[], id: string) => {
  const s = signals.find((x) => x.externalId === id);
  if (!s) throw new Error(`no signal ${id}`);
  return s;
};
const ofType = (signals: NormalizedSignal[], type: NormalizedSignal['signalType']) => signals.filter((s) => s.signalType === type);

async function parseFailure(p: Promise<unknown>): Promise<FeedParseError> {
  const err = await rejectionOf(p);
  expect(err).toBeInstanceOf(FeedParseError);
  return err as FeedParseError;
}

describe('statuspage plugin: definition', () => {
  it('has the expected id, kind and config defaults', () => {
    expect(statuspagePlugin.id).toBe('statuspage');
    expect(statuspagePlugin.kind).toBe('health');
    expect(statuspagePlugin.displayName).toBe('Atlassian Statuspage (and compatible)');
    expect(statuspagePlugin.configSchema.parse({})).toEqual({
      baseUrl: 'https://www.githubstatus.com',
      components: [],
      includeMaintenance: true,
      recentIncidents: true,
    });
    const schema = configJsonSchema(statuspagePlugin.configSchema) as { properties: Record<string, { description?: string }> };
    for (const key of ['baseUrl', 'components', 'includeMaintenance', 'recentIncidents'])
      expect(schema.properties[key]?.description).toBeTruthy();
    expect(() => statuspagePlugin.configSchema.parse({ baseUrl: 'ftp://example.com' })).toThrow();
  });
});

describe('statuspage plugin: real Discord recording (2019-06-24, open incident while indicator is none)', () => {
  beforeEach(() =>
    serve({
      [SUMMARY]: fx('discord-2019-06-24-summary-open-incident-indicator-none.json'),
      [INCIDENTS]: fx('discord-2019-06-24-incidents-50.json'),
    }),
  );

  it('emits one signal per non-group component, one per incident and a page rollup', async () => {
    const { signals } = await instance().poll();
    const components = ofType(signals, 'component_status').filter((s) => s.externalId.startsWith('component:'));
    expect(components).toHaveLength(17); // 18 components, 1 of them the "Voice" group
    expect(components.some((s) => s.externalId === 'component:jk03xttfcz9b')).toBe(false);
    expect(components.every((s) => s.level === 'operational' && s.lifecycle === null)).toBe(true);
    const euWest = byId(signals, 'component:0cwvg0jp5cbg');
    expect(euWest).toMatchObject({
      service: 'EU West',
      title: 'Voice / EU West: operational',
      url: 'http://status.discordapp.com',
      updatedAt: expect.stringMatching(/Z$/),
    });

    const incidents = ofType(signals, 'service_incident');
    expect(incidents).toHaveLength(50);
    expect(tally(incidents.map((s) => s.level))).toEqual({ info: 35, partial_outage: 8, degraded: 5, major_outage: 2 });
    expect(tally(incidents.map((s) => s.lifecycle))).toEqual({ resolved: 49, open: 1 });
    expect(ofType(signals, 'maintenance')).toHaveLength(0);
    expect(signals).toHaveLength(17 + 50 + 1);
  });

  it('maps the open "Global Unavailability" incident (impact none) and converts -07:00 times to UTC', async () => {
    const { signals } = await instance().poll();
    expect(byId(signals, 'incident:2gztsrksff0v')).toEqual({
      externalId: 'incident:2gztsrksff0v',
      signalType: 'service_incident',
      service: null, // components [] and affected_components null: no component info
      region: null,
      level: 'info',
      lifecycle: 'open',
      title: 'Global Unavailability',
      detail: 'We are working on resolving some internal technical problems now.',
      startedAt: '2019-06-24T12:25:57.659Z',
      updatedAt: '2019-06-24T13:07:14.465Z',
      resolvedAt: null,
      scheduledFor: null,
      scheduledUntil: null,
      score: null,
      url: 'http://stspg.io/15e073752',
      // Provenance: the item of summary.json it was read from (the host adds fetch time and hash).
      rawRef: { fetchUrl: `${server.url}/api/v2/summary.json`, pointer: '/incidents/0' },
    });
  });

  it('every signal names the body and JSON pointer it was read from: summary.json, or incidents.json for history', async () => {
    const { signals } = await instance().poll();
    const from = (s: (typeof signals)[number]) => s.rawRef?.fetchUrl?.replace(server.url, '');
    expect(signals.every((s) => s.rawRef?.pointer && from(s))).toBe(true);
    expect(byId(signals, 'component:0cwvg0jp5cbg').rawRef).toMatchObject({
      fetchUrl: `${server.url}/api/v2/summary.json`,
      pointer: expect.stringMatching(/^\/components\/\d+$/),
    });
    expect(byId(signals, 'page:srhpyqt94yxb').rawRef?.pointer).toBe('/status');
    const resolved = ofType(signals, 'service_incident').filter((s) => s.lifecycle === 'resolved');
    expect(resolved.every((s) => from(s) === '/api/v2/incidents.json' && /^\/incidents\/\d+$/.test(s.rawRef!.pointer!))).toBe(true);
  });

  it('uses the worst of the indicator (none) and the open incidents for the page rollup', async () => {
    const { signals } = await instance().poll();
    const page = byId(signals, 'page:srhpyqt94yxb');
    expect(page.level).toBe('info'); // not "operational", though the indicator says "All Systems Operational"
    expect(page.service).toBeNull();
    expect(page.title).toBe('Discord: 1 open incident');
    expect(page.detail).toContain('All Systems Operational');
  });

  it('maps a resolved critical incident with its components and resolution time', async () => {
    const { signals } = await instance().poll();
    const s = byId(signals, 'incident:624vf01bm5yv');
    expect(s.level).toBe('major_outage');
    expect(s.lifecycle).toBe('resolved');
    expect(s.service?.split(', ')).toHaveLength(15);
    expect(s.resolvedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(s.resolvedAt!)).toBeGreaterThan(Date.parse(s.startedAt!));
    expect(s.url).toMatch(/^http:\/\/stspg\.io\//);
  });

  it('gives identical signals when polled twice', async () => {
    const plugin = instance();
    const first = await plugin.poll();
    const second = await plugin.poll();
    expect(second.signals).toEqual(first.signals);
  });

  it('applies a group filter to its children and drops incidents that touch none of them', async () => {
    const { signals } = await instance({ components: ['Voice'] }).poll();
    expect(ofType(signals, 'component_status').map((s) => s.externalId.split(':')[0])).toEqual(Array(13).fill('component'));
    const incidents = ofType(signals, 'service_incident');
    // 34 incidents carry no component info (kept); of the 16 that do, 2 touch a Voice server.
    expect(incidents).toHaveLength(36);
    expect(incidents.some((s) => s.externalId === 'incident:sz116hqvqj6s')).toBe(true); // EU Central
    expect(incidents.some((s) => s.externalId === 'incident:gmf185nk4ttm')).toBe(false); // CloudFlare only
    expect(signals.some((s) => s.externalId.startsWith('page:'))).toBe(false);
  });

  it('filters by component id', async () => {
    const { signals } = await instance({ components: ['rhznvxg4v7yh'] }).poll();
    expect(ofType(signals, 'component_status').map((s) => s.service)).toEqual(['API']);
    expect(ofType(signals, 'service_incident')).toHaveLength(34 + 14);
  });

  it('a summary assembled from the rest of the Discord set (status, components, unresolved, maintenances) gives the same signals, plus completed maintenances', async () => {
    const real = (name: string) => JSON.parse(readFileSync(fx(name).file, 'utf8')) as Record<string, unknown>;
    const status = real('discord-2019-06-24-status.json');
    const assembled = {
      page: status['page'],
      status: status['status'],
      components: real('discord-2019-06-24-components.json')['components'],
      incidents: real('discord-2019-06-24-unresolved-global-unavailability.json')['incidents'],
      scheduled_maintenances: real('discord-2019-06-24-scheduled-maintenances.json')['scheduled_maintenances'],
    };
    const expected = (await instance().poll()).signals;
    serve({ [SUMMARY]: { body: JSON.stringify(assembled) } });
    const { signals } = await instance().poll();
    const maintenances = ofType(signals, 'maintenance');
    expect(signals.filter((s) => s.signalType !== 'maintenance')).toEqual(expected);
    expect(maintenances.map((s) => [s.externalId, s.level, s.lifecycle])).toEqual([
      ['maintenance:ymm0202y77k6', 'maintenance', 'completed'],
      ['maintenance:lvppt5gxj9js', 'maintenance', 'completed'],
      ['maintenance:bclbdmdnhmdn', 'maintenance', 'completed'],
      ['maintenance:chkt3cr0jf7b', 'maintenance', 'completed'], // impact "major" on a maintenance: still maintenance
    ]);
    expect(maintenances[3]).toMatchObject({
      title: '(ﾉ◕ヮ◕)ﾉ*:･ﾟ✧ Server Juice',
      detail: 'Everything seems to be working! \nSorry for the brief interruption.',
      scheduledFor: '2015-09-22T08:00:00.000Z',
      scheduledUntil: '2015-09-22T08:30:00.000Z',
      resolvedAt: '2015-09-22T09:25:20.034Z',
      url: 'http://stspg.io/1UdW',
    });
  });

  it('reads only summary.json when recentIncidents is off', async () => {
    const before = server.requests.length;
    const { signals, complete } = await instance({ recentIncidents: false }).poll();
    expect(server.requests.slice(before).map((r) => r.path)).toEqual([SUMMARY]);
    // summary.json alone lists everything open: the host resolves what drops out of it.
    expect(complete).toBe(true);
    expect(ofType(signals, 'service_incident').map((s) => s.externalId)).toEqual(['incident:2gztsrksff0v']);
  });
});

describe('statuspage plugin: real GitHub recording (2022-11-25, impact major vs indicator minor)', () => {
  beforeEach(() => serve({ [SUMMARY]: fx('github-2022-11-25-summary-active-major-incident.json') }));

  it('maps components, the open incident and the page rollup', async () => {
    const { signals, warnings } = await instance({ recentIncidents: false }).poll();
    expect(warnings).toBeUndefined();
    expect(ofType(signals, 'component_status')).toHaveLength(11 + 1);
    expect(byId(signals, 'component:st3j38cctv9l')).toMatchObject({
      service: 'Packages',
      level: 'partial_outage',
      title: 'Packages: partial outage',
      updatedAt: '2022-11-25T15:50:05.888Z',
    });
    expect(tally(ofType(signals, 'component_status').map((s) => s.level))).toEqual({ operational: 10, partial_outage: 2 });
    expect(byId(signals, 'incident:ljwdk6qml8z8')).toMatchObject({
      level: 'partial_outage',
      lifecycle: 'open',
      service: 'Packages, Pages',
      title: 'Incident with Packages and Pages',
      startedAt: '2022-11-25T14:39:09.542Z',
      updatedAt: '2022-11-25T15:50:04.970Z',
      resolvedAt: null,
      url: 'https://stspg.io/33vh8r7z43kh',
      detail: expect.stringMatching(/^Packages is now experiencing degraded performance/),
    });
    // indicator "minor" (degraded) but the open incident is "major": the rollup takes the worse.
    expect(byId(signals, 'page:kctbh9vrtdwd')).toMatchObject({ level: 'partial_outage', title: 'GitHub: 1 open incident' });
  });

  it('keeps the incident under a filter on one of its components and drops it otherwise', async () => {
    const pages = await instance({ recentIncidents: false, components: ['pages'] }).poll();
    expect(pages.signals.map((s) => s.externalId)).toEqual(['component:vg70hn9s2tyj', 'incident:ljwdk6qml8z8']);
    const git = await instance({ recentIncidents: false, components: ['Git Operations'] }).poll();
    expect(git.signals.map((s) => s.externalId)).toEqual(['component:8l4ygp009s5s']);
  });

  it('reports a 404 on incidents.json as a warning, not a failure', async () => {
    const { signals, warnings } = await instance().poll();
    expect(warnings).toEqual([expect.stringContaining('404')]);
    expect(ofType(signals, 'service_incident')).toHaveLength(1);
  });

  it('selfTest names the page and its status', async () => {
    expect(await instance().selfTest()).toEqual({
      ok: true,
      message: 'GitHub: Minor Service Outage; 11 components, 1 unresolved incidents',
    });
    const missing = await instance({ components: ['Nope'] }).selfTest();
    expect(missing.ok).toBe(false);
    expect(missing.message).toContain('"Nope"');
  });
});

describe('statuspage plugin: hand-written fixtures', () => {
  it('healthy page with resolved-only history: components operational, page operational, incidents resolved', async () => {
    serve({ [SUMMARY]: fx('handwritten-summary-healthy.json'), [INCIDENTS]: fx('handwritten-incidents-resolved-only.json') });
    const { signals } = await instance().poll();
    expect(ofType(signals, 'component_status').map((s) => [s.externalId, s.level])).toEqual([
      ['component:8l4ygp009s5s', 'operational'],
      ['component:brv1bkgrwx7q', 'operational'],
      ['component:0cwvg0jp5cbg', 'operational'],
      ['component:fc8y53dfg85y', 'operational'],
      ['page:kctbh9vrtdwd', 'operational'],
    ]);
    expect(byId(signals, 'page:kctbh9vrtdwd').title).toBe('Acme Cloud: All Systems Operational');
    expect(byId(signals, 'incident:2gztsrksff0v')).toMatchObject({
      level: 'partial_outage',
      lifecycle: 'resolved',
      service: 'API',
      startedAt: '2025-03-09T09:50:00.000Z',
      resolvedAt: '2025-03-09T10:40:12.201Z',
      detail: 'This incident has been resolved.',
      url: 'https://stspg.io/abc123',
    });
    expect(byId(signals, 'incident:9m1x2tqj0b7c')).toMatchObject({
      level: 'degraded',
      lifecycle: 'resolved', // postmortem
      service: 'Redis',
      startedAt: '2025-03-01T14:00:00.000Z',
      resolvedAt: '2025-03-01T15:30:00.000Z',
      detail: 'A postmortem has been published.',
    });
    expect(signals).toHaveLength(4 + 1 + 2);
  });

  it('healthy page with nothing else: zero incidents', async () => {
    serve({ [SUMMARY]: fx('handwritten-summary-healthy.json') });
    const { signals } = await instance({ recentIncidents: false }).poll();
    expect(signals.every((s) => s.level === 'operational')).toBe(true);
    expect(ofType(signals, 'service_incident')).toHaveLength(0);
  });

  it('maintenance in progress: under_maintenance component, in-progress and scheduled maintenances', async () => {
    serve({
      [SUMMARY]: fx('handwritten-summary-maintenance-in-progress.json'),
      [INCIDENTS]: fx('handwritten-incidents-resolved-only.json'),
    });
    const { signals } = await instance().poll();
    expect(byId(signals, 'component:0cwvg0jp5cbg')).toMatchObject({
      level: 'maintenance',
      title: 'Databases / Postgres: under maintenance',
    });
    expect(byId(signals, 'maintenance:w1zdr745pmsn')).toEqual({
      externalId: 'maintenance:w1zdr745pmsn',
      signalType: 'maintenance',
      service: 'Postgres',
      region: null,
      level: 'maintenance',
      lifecycle: 'in_progress',
      title: 'Postgres major version upgrade',
      detail: 'Scheduled maintenance is currently in progress. We will provide updates as necessary.',
      startedAt: '2025-03-04T15:00:00.000Z',
      updatedAt: '2025-03-11T09:00:00.500Z',
      resolvedAt: null,
      scheduledFor: '2025-03-11T09:00:00.000Z',
      scheduledUntil: '2025-03-11T11:00:00.000Z',
      score: null,
      url: 'https://stspg.io/mnt001',
      // The maintenance's created_at: when it was announced.
      announcedAt: '2025-03-04T15:00:00.000Z',
      rawRef: { fetchUrl: `${server.url}/api/v2/summary.json`, pointer: '/scheduled_maintenances/0' },
    });
    expect(byId(signals, 'maintenance:q8n3v6k2r1td')).toMatchObject({
      lifecycle: 'scheduled',
      service: 'API',
      scheduledFor: '2025-03-18T06:00:00.000Z',
      scheduledUntil: '2025-03-18T07:00:00.000Z',
      announcedAt: '2025-03-10T16:00:00.000Z',
    });
    // Incidents carry no announcement time.
    expect(signals.filter((s) => s.signalType !== 'maintenance').every((s) => !('announcedAt' in s))).toBe(true);
    expect(byId(signals, 'page:kctbh9vrtdwd').level).toBe('maintenance');

    const filtered = await instance({ components: ['Redis'] }).poll();
    expect(ofType(filtered.signals, 'maintenance')).toHaveLength(0);
    const off = await instance({ includeMaintenance: false }).poll();
    expect(ofType(off.signals, 'maintenance')).toHaveLength(0);
  });

  it('incident.io-style page: null lists, incident without components or shortlink', async () => {
    serve({
      [SUMMARY]: fx('handwritten-incidentio-summary-open-incident.json'),
      [INCIDENTS]: fx('handwritten-incidentio-incidents-null.json'),
    });
    const { signals } = await instance({ components: ['Sync'] }).poll();
    expect(byId(signals, 'incident:01JP2XK8V3Y6Q9W4E7R1T5U0I8')).toMatchObject({
      level: 'degraded',
      lifecycle: 'open',
      service: null,
      title: 'Degraded performance loading issues',
      detail: "We've identified a misbehaving cache node and are replacing it.", // latest by display_at, not array order
      startedAt: '2025-03-11T08:55:00.000Z',
      url: 'https://status.linearish.example/incidents/01JP2XK8V3Y6Q9W4E7R1T5U0I8',
    });
    expect(signals.map((s) => s.externalId)).toEqual(['component:01HJ7K4A1B2C3D4E5F6G7H8J9M', 'incident:01JP2XK8V3Y6Q9W4E7R1T5U0I8']);

    const all = await instance().poll();
    expect(byId(all.signals, 'component:01HJ7K4A1B2C3D4E5F6G7H8J9K').level).toBe('degraded');
    expect(byId(all.signals, 'page:01HJ7K3Q9Z8V4M2N6P0R5T1W3X').level).toBe('degraded');
  });

  it('incident.io-style page with every list null is healthy, and tolerates a 404 history', async () => {
    serve({ [SUMMARY]: fx('handwritten-incidentio-summary-nulls.json') });
    const { signals, warnings } = await instance().poll();
    expect(signals.map((s) => [s.externalId, s.level])).toEqual([
      ['component:01HJ7K4A1B2C3D4E5F6G7H8J9K', 'operational'],
      ['component:01HJ7K4A1B2C3D4E5F6G7H8J9M', 'operational'],
      ['page:01HJ7K3Q9Z8V4M2N6P0R5T1W3X', 'operational'],
    ]);
    expect(warnings).toHaveLength(1);
  });
});

describe('statuspage plugin: errors', () => {
  it('an HTML page served with 200 is a FeedParseError', async () => {
    serve({ [SUMMARY]: { ...fx('handwritten-malformed-html-200.html'), headers: { 'content-type': 'text/html' } } });
    const err = await parseFailure(instance().poll());
    expect(err.message).toContain('HTML');
  });

  it('a page listing more components than a source may contribute is refused before it is read (FeedLimitError)', async () => {
    serve({ [SUMMARY]: fx('github-2022-11-25-summary-active-major-incident.json') });
    const limited = testInstance(statuspagePlugin, { baseUrl: server.url, recentIncidents: false }, { limits: { maxSignals: 3 } });
    const err = await rejectionOf(limited.poll());
    expect(err).toBeInstanceOf(FeedLimitError);
    expect(err.message).toMatch(/^summary\.json lists \d+ components; a source reads at most 3 per poll \(FEED_MAX_SIGNALS\)$/);
    expect(await limited.selfTest()).toMatchObject({ ok: false, message: expect.stringMatching(/at most 3 per poll/) });
  });

  it('an empty body is a FeedParseError', async () => {
    serve({ [SUMMARY]: { body: '' } });
    await parseFailure(instance().poll());
  });

  it('truncated JSON is a FeedParseError', async () => {
    serve({ [SUMMARY]: fx('handwritten-malformed-truncated.json') });
    await parseFailure(instance().poll());
  });

  it('JSON of the wrong shape is a FeedParseError', async () => {
    serve({ [SUMMARY]: fx('handwritten-malformed-wrong-shape.json') });
    await parseFailure(instance().poll());
    serve({ [SUMMARY]: { body: '[]' } });
    await parseFailure(instance().poll());
    serve({ [SUMMARY]: { body: '{"page":{"id":"x"},"status":{"indicator":"none"},"components":[{"id":"a","status":"operational"}]}' } });
    await parseFailure(instance().poll());
  });

  it('a malformed incidents.json fails the poll too', async () => {
    serve({ [SUMMARY]: fx('handwritten-summary-healthy.json'), [INCIDENTS]: fx('handwritten-malformed-html-200.html') });
    await parseFailure(instance().poll());
  });

  it('a 404 on summary.json is permanent, a 503 is retried, and selfTest never throws', async () => {
    const notFound = await instance()
      .poll()
      .catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(PermanentPluginError);
    serve({ [SUMMARY]: { status: 503, body: '<html>Service Unavailable</html>', headers: { 'content-type': 'text/html' } } });
    const unavailable = await instance()
      .poll()
      .catch((e: unknown) => e);
    expect(unavailable).toBeInstanceOf(Error);
    expect(unavailable).not.toBeInstanceOf(PermanentPluginError);
    expect(unavailable).not.toBeInstanceOf(FeedParseError);
    const self = await instance().selfTest();
    expect(self.ok).toBe(false);
    expect(self.message).toContain('503');
  });

  it('reuses the ETag: a 304 answers from the cache with the same signals', async () => {
    serve({
      [SUMMARY]: (req, res) => {
        if (req.headers['if-none-match'] === '"s1"') return void res.writeHead(304).end();
        res.writeHead(200, { etag: '"s1"', 'content-type': 'application/json' }).end(
          JSON.stringify({
            page: { id: 'p1', name: 'P' },
            status: { indicator: 'none', description: 'All Systems Operational' },
            components: [],
            incidents: [],
            scheduled_maintenances: [],
          }),
        );
      },
    });
    const plugin = instance({ recentIncidents: false });
    const first = await plugin.poll();
    const second = await plugin.poll();
    expect(first.notModified).toBeUndefined();
    expect(second.notModified).toBe(true);
    expect(second.signals).toEqual(first.signals);
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"s1"');
  });
});
