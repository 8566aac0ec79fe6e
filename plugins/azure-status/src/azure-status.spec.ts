import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { configJsonSchema, FeedParseError, PermanentPluginError } from '@bulwark/plugin-sdk';
import { rejectionOf, startFixtureServer, testInstance, type FixtureServer, type Route } from '@bulwark/plugin-sdk/testing';

import { azureStatusConfigSchema, azureStatusPlugin } from './index.js';
import { lifecycleOf } from './parse.js';
import { canonicalRegion, findRegions } from './regions.js';

const fixture = (name: string) => join(__dirname, '..', 'fixtures', name);
const RSS = { 'content-type': 'application/rss+xml; charset=utf-8' };
const FEED = '/en-us/status/feed/';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({});
});
afterAll(async () => server.close());

let n = 0;
/** Serves a route at `<prefix>/en-us/status/feed/` and returns the baseUrl for it. */
function mount(route: Route | null): string {
  const prefix = `/t${++n}`;
  if (route) server.routes[`${prefix}${FEED}`] = route;
  return `${server.url}${prefix}`;
}
const feed = (name: string): Route => ({ file: fixture(name), headers: RSS });

describe('azure-status: feed', () => {
  it('an "Azure Status" channel with no item is healthy: zero signals', async () => {
    const baseUrl = mount(feed('empty-channel.xml'));
    expect(await testInstance(azureStatusPlugin, { baseUrl }).poll()).toEqual({ signals: [], complete: true });
    expect(server.requests.at(-1)?.path).toBe(`/t${n}${FEED}`);
  });

  it('maps an active item: guid id, degraded, open, service and region from the categories, UTC time', async () => {
    const baseUrl = mount(feed('active-item.xml'));
    const { signals } = await testInstance(azureStatusPlugin, { baseUrl }).poll();
    expect(signals).toEqual([
      {
        externalId: 'VT7M-1Q8',
        signalType: 'service_incident',
        service: 'Virtual Machines',
        region: 'East US 2',
        level: 'degraded',
        lifecycle: 'open',
        title: 'Virtual Machines - East US 2 - Investigating',
        detail: 'Starting at 08:40 UTC a subset of customers may see failures.',
        startedAt: '2025-03-11T09:10:00.000Z',
        updatedAt: '2025-03-11T09:10:00.000Z',
        resolvedAt: null,
        scheduledFor: null,
        scheduledUntil: null,
        score: null,
        url: 'https://azure.status.microsoft/en-us/status/',
        // Provenance: the feed it came from and the item's guid.
        rawRef: { fetchUrl: `${baseUrl}${FEED}`, pointer: 'VT7M-1Q8' },
      },
    ]);
  });

  it('maps a mitigated item to resolved, keeping the same id', async () => {
    const baseUrl = mount(feed('resolved-item.xml'));
    const { signals } = await testInstance(azureStatusPlugin, { baseUrl }).poll();
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({
      externalId: 'VT7M-1Q8',
      level: 'degraded',
      lifecycle: 'resolved',
      region: 'East US 2',
      resolvedAt: '2025-03-11T10:30:00.000Z',
      updatedAt: '2025-03-11T10:30:00.000Z',
    });
    expect(signals[0]!.detail).toMatch(/^Summary of impact: Between 08:40 and 10:12 UTC/);
  });

  it('reads multiple categories, global and multi-region items, and regions from the title (longest name first)', async () => {
    const baseUrl = mount(feed('multiple-categories.xml'));
    const { signals } = await testInstance(azureStatusPlugin, { baseUrl }).poll();
    const byId = Object.fromEntries(signals.map((s) => [s.externalId, s]));
    expect(Object.keys(byId)).toEqual(['4L0P-9ZK', '1MN2-QQ4', '8RT5-XW0', '2KD8-JH1']);
    expect(byId['4L0P-9ZK']).toMatchObject({
      service: 'Azure SQL Database',
      region: 'Multiple Regions',
      lifecycle: 'open',
      startedAt: '2026-07-23T16:29:09.000Z',
    });
    expect(byId['4L0P-9ZK']!.detail).toMatch(/Regions: West Europe, North Europe$/);
    expect(byId['1MN2-QQ4']).toMatchObject({ service: 'Azure Front Door', region: 'global', lifecycle: 'open' });
    expect(byId['8RT5-XW0']).toMatchObject({
      service: 'Azure Storage',
      region: 'West US 2',
      lifecycle: 'resolved',
      resolvedAt: '2026-07-23T14:55:00.000Z',
    });
    expect(byId['2KD8-JH1']).toMatchObject({
      service: 'Microsoft Entra ID',
      region: 'Multiple Regions',
      lifecycle: 'open',
      resolvedAt: null,
    });
    expect(signals.every((s) => s.level === 'degraded' && s.signalType === 'service_incident')).toBe(true);
  });

  it('filters by region (global and unnamed multi-region items kept) and by service', async () => {
    const baseUrl = mount(feed('multiple-categories.xml'));
    const ids = async (cfg: object) => (await testInstance(azureStatusPlugin, { baseUrl, ...cfg }).poll()).signals.map((s) => s.externalId);
    expect(await ids({ regions: ['East US 2'] })).toEqual(['1MN2-QQ4', '2KD8-JH1']);
    expect(await ids({ regions: ['west us 2'] })).toEqual(['1MN2-QQ4', '8RT5-XW0', '2KD8-JH1']);
    expect(await ids({ regions: ['North Europe'] })).toEqual(['4L0P-9ZK', '1MN2-QQ4', '2KD8-JH1']);
    expect(await ids({ services: ['Azure Storage'] })).toEqual(['4L0P-9ZK', '8RT5-XW0']);
    expect(await ids({ services: ['azure storage'], regions: ['West Europe'] })).toEqual(['4L0P-9ZK']);
    const active = mount(feed('active-item.xml'));
    expect((await testInstance(azureStatusPlugin, { baseUrl: active, regions: ['West US'] }).poll()).signals).toEqual([]);
  });

  it('is deterministic and reuses Last-Modified (304 → notModified, same signals)', async () => {
    const body = readFileSync(fixture('multiple-categories.xml'));
    const stamp = 'Thu, 23 Jul 2026 16:35:00 GMT';
    const baseUrl = mount((req, res) => {
      if (req.headers['if-modified-since'] === stamp) return void res.writeHead(304).end();
      res.writeHead(200, { ...RSS, 'last-modified': stamp }).end(body);
    });
    const inst = testInstance(azureStatusPlugin, { baseUrl });
    const a = await inst.poll();
    const b = await inst.poll();
    expect(b.notModified).toBe(true);
    expect(b.signals).toEqual(a.signals);
    expect(await testInstance(azureStatusPlugin, { baseUrl }).poll()).toEqual(a);
  });
});

describe('azure-status: malformed feeds', () => {
  const cases: [string, Route][] = [
    ['truncated XML', feed('malformed-truncated.xml')],
    ['an HTML error page with status 200', { file: fixture('error-page.html'), headers: { 'content-type': 'text/html' } }],
    ['another RSS feed (channel title is not "Azure Status")', feed('other-feed.xml')],
    ['an empty body', { body: '', headers: RSS }],
    ['JSON', { body: '{"status":"ok"}' }],
  ];
  for (const [name, route] of cases) {
    it(`${name} is a FeedParseError`, async () => {
      const baseUrl = mount(route);
      expect(await rejectionOf(testInstance(azureStatusPlugin, { baseUrl }).poll())).toBeInstanceOf(FeedParseError);
    });
  }

  it('a 404 is permanent; a 503 is rethrown for a retry', async () => {
    expect(await rejectionOf(testInstance(azureStatusPlugin, { baseUrl: mount(null) }).poll())).toBeInstanceOf(PermanentPluginError);
    const err = await rejectionOf(testInstance(azureStatusPlugin, { baseUrl: mount({ status: 503, body: 'busy' }) }).poll());
    expect(err).not.toBeInstanceOf(PermanentPluginError);
    expect(err.message).toMatch(/HTTP 503/);
  });

  it('selfTest reports ok on a healthy feed and explains failures without throwing', async () => {
    expect(await testInstance(azureStatusPlugin, { baseUrl: mount(feed('empty-channel.xml')) }).selfTest()).toEqual({
      ok: true,
      message: 'Azure Status feed answered: no incidents',
    });
    expect(await testInstance(azureStatusPlugin, { baseUrl: mount(feed('active-item.xml')) }).selfTest()).toEqual({
      ok: true,
      message: 'Azure Status feed answered: 1 matching item(s), 1 open',
    });
    const bad = await testInstance(azureStatusPlugin, { baseUrl: mount(feed('other-feed.xml')) }).selfTest();
    expect(bad.ok).toBe(false);
    expect(bad.message).toMatch(/channel title is not "Azure Status"/);
    expect(bad.message).not.toMatch(/GitHub Status/); // what the feed says stays out of errors
  });
});

describe('azure-status: helpers', () => {
  it('matches regions longest first and canonicalises names', () => {
    expect(findRegions('Virtual Machines - East US 2 - Investigating')).toEqual(['East US 2']);
    expect(findRegions('Storage - West US and West US 2')).toEqual(['West US 2', 'West US']);
    expect(findRegions('Australia Central 2 outage')).toEqual(['Australia Central 2']);
    expect(findRegions('Southeast Asia')).toEqual(['Southeast Asia']);
    expect(findRegions('no region here')).toEqual([]);
    expect(canonicalRegion('east us 2')).toBe('East US 2');
    expect(canonicalRegion('Global')).toBe('global');
  });

  it('reads resolved wording, but not future or negated wording', () => {
    expect(lifecycleOf('App Service - West Europe - Resolved', null)).toBe('resolved');
    expect(lifecycleOf('Mitigated: App Service - West Europe', null)).toBe('resolved');
    expect(lifecycleOf('App Service - West Europe', 'The issue has been mitigated.')).toBe('resolved');
    expect(lifecycleOf('App Service - West Europe', 'We expect this to be mitigated by 10:00 UTC.')).toBe('open');
    expect(lifecycleOf('App Service - West Europe', 'The issue has not yet been resolved.')).toBe('open');
    expect(lifecycleOf('Unresolved: App Service', null)).toBe('open');
  });
});

describe('azure-status: config', () => {
  it('has defaults, canonicalises region names and renders as JSON Schema', async () => {
    expect(azureStatusConfigSchema.parse({})).toEqual({ baseUrl: 'https://rssfeed.azure.status.microsoft', services: [], regions: [] });
    expect(azureStatusConfigSchema.parse({ regions: ['east us 2', 'Some New Region'] }).regions).toEqual(['East US 2', 'Some New Region']);
    const schema = configJsonSchema(azureStatusConfigSchema) as { properties: Record<string, { description?: string }> };
    expect(Object.keys(schema.properties)).toEqual(['baseUrl', 'services', 'regions']);
    expect(Object.values(schema.properties).every((p) => !!p.description)).toBe(true);
  });
});
