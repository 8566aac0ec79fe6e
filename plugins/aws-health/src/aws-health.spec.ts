import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FeedParseError, HttpError, PermanentPluginError } from '@bulwark/plugin-sdk';
import { rejectionOf, startFixtureServer, testInstance, type FixtureServer, type Route } from '@bulwark/plugin-sdk/testing';

import { awsHealthPlugin } from './index.js';

const fixture = (name: string) => join(__dirname, '..', 'fixtures', name);
const UTF16 = { 'content-type': 'application/json;charset=utf-16' };

const ARN_EC2 = 'arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_4D1C2_5E9B0A7F3C1';
const ARN_IAM = 'arn:aws:health:global::event/IAM/AWS_IAM_OPERATIONAL_ISSUE/AWS_IAM_OPERATIONAL_ISSUE_8A0F6_2B7C9D1E4F0';
const ARN_DX =
  'arn:aws:health:ap-northeast-1::event/DIRECTCONNECT/AWS_DIRECTCONNECT_OPERATIONAL_ISSUE/AWS_DIRECTCONNECT_OPERATIONAL_ISSUE_C3E77_91AB04D2F6E';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({});
});
afterAll(async () => server.close());

/** Each test gets its own path prefix on the shared server (routes are exact paths). */
let n = 0;
function mount(events: Route | null, rss?: Route) {
  const prefix = `/t${++n}`;
  if (events) server.routes[`${prefix}/public/currentevents`] = events;
  if (rss) server.routes[`${prefix}/rss/all.rss`] = rss;
  return { baseUrl: `${server.url}${prefix}`, rssBaseUrl: `${server.url}${prefix}` };
}

describe('aws-health: currentevents (UTF-16 JSON)', () => {
  it('decodes UTF-16LE with a BOM and maps open events (ms and s timestamps, global ARN)', async () => {
    const urls = mount({ file: fixture('currentevents-open.utf16le.json'), headers: UTF16 });
    const { signals } = await testInstance(awsHealthPlugin, urls).poll();
    expect(signals.map((s) => s.externalId)).toEqual([ARN_EC2, ARN_DX, ARN_IAM]);
    const [ec2, dx, iam] = signals;
    expect(ec2).toMatchObject({
      signalType: 'service_incident',
      service: 'ec2',
      region: 'us-east-1',
      level: 'degraded',
      lifecycle: 'open',
      title: 'Degraded EBS Volume Performance',
      startedAt: '2021-09-27T03:11:32.000Z',
      // the latest status change is in ms (1632714060000) and equals the latest log entry (s)
      updatedAt: '2021-09-27T03:41:00.000Z',
      resolvedAt: null,
      url: `${urls.baseUrl}/health/status`,
    });
    expect(ec2!.detail).toMatch(/^We can confirm degraded performance/);
    expect(dx).toMatchObject({
      service: 'directconnect',
      region: 'ap-northeast-1',
      level: 'major_outage',
      lifecycle: 'open',
      startedAt: '2021-09-02T00:39:00.000Z',
    });
    expect(dx!.title).toBe('ネットワーク接続性 | Network Connectivity');
    expect(iam).toMatchObject({
      service: 'iam',
      region: 'global',
      level: 'info',
      lifecycle: 'open',
      startedAt: '2021-08-26T16:52:03.000Z',
      updatedAt: '2021-08-26T16:52:03.000Z',
    });
  });

  it('decodes UTF-16BE with a BOM and closes events by end_time, by status "0" and by the latest status changes', async () => {
    const urls = mount({ file: fixture('currentevents-closed.utf16be.json'), headers: UTF16 });
    const { signals } = await testInstance(awsHealthPlugin, urls).poll();
    expect(signals).toHaveLength(3);
    expect(signals.every((s) => s.lifecycle === 'resolved')).toBe(true);
    const byService = Object.fromEntries(signals.map((s) => [s.service, s]));
    expect(byService['elb']).toMatchObject({
      region: 'us-west-2',
      level: 'degraded',
      startedAt: '2021-08-31T18:46:52.000Z',
      resolvedAt: '2021-08-31T23:02:00.000Z',
    });
    expect(byService['management-console']).toMatchObject({
      region: 'us-east-2',
      level: 'info',
      resolvedAt: '2021-11-24T20:13:00.000Z',
      updatedAt: '2021-11-24T20:13:00.000Z',
    });
    expect(byService['supportcenter']).toMatchObject({ region: 'global', level: 'operational', resolvedAt: '2021-12-07T17:01:30.000Z' });
  });

  it('treats an empty array as healthy: zero signals', async () => {
    const urls = mount({ file: fixture('currentevents-empty.utf16le.json'), headers: UTF16 });
    expect(await testInstance(awsHealthPlugin, urls).poll()).toEqual({ signals: [], complete: true });
  });

  it('reads a UTF-8 body without a BOM', async () => {
    const text = new TextDecoder('utf-16le').decode(readFileSync(fixture('currentevents-open.utf16le.json')).subarray(2));
    const urls = mount({ body: Buffer.from(text, 'utf8') });
    const { signals } = await testInstance(awsHealthPlugin, urls).poll();
    expect(signals.map((s) => s.externalId)).toEqual([ARN_EC2, ARN_DX, ARN_IAM]);
  });

  it('filters by region (global events always kept) and by service (impacted services count)', async () => {
    const urls = mount({ file: fixture('currentevents-open.utf16le.json'), headers: UTF16 });
    const ids = async (cfg: object) => (await testInstance(awsHealthPlugin, { ...urls, ...cfg }).poll()).signals.map((s) => s.externalId);
    expect(await ids({ regions: ['us-east-1'] })).toEqual([ARN_EC2, ARN_IAM]);
    expect(await ids({ regions: ['eu-west-1'] })).toEqual([ARN_IAM]);
    expect(await ids({ services: ['EC2'] })).toEqual([ARN_EC2]);
    expect(await ids({ services: ['ebs'] })).toEqual([ARN_EC2]);
    expect(await ids({ services: ['directconnect'], regions: ['ap-northeast-1'] })).toEqual([ARN_DX]);
    expect(await ids({ services: ['s3'], regions: ['us-east-1'] })).toEqual([]);
  });

  it('is deterministic: two polls give identical signals', async () => {
    const urls = mount({ file: fixture('currentevents-open.utf16le.json'), headers: UTF16 });
    const inst = testInstance(awsHealthPlugin, urls);
    expect(await inst.poll()).toEqual(await inst.poll());
  });

  it('reuses the ETag and reports notModified with the same signals', async () => {
    const body = readFileSync(fixture('currentevents-open.utf16le.json'));
    const urls = mount((req, res) => {
      if (req.headers['if-none-match'] === '"ce-1"') return void res.writeHead(304).end();
      res.writeHead(200, { ...UTF16, etag: '"ce-1"' }).end(body);
    });
    const inst = testInstance(awsHealthPlugin, urls);
    const first = await inst.poll();
    const second = await inst.poll();
    expect(second.notModified).toBe(true);
    expect(second.signals).toEqual(first.signals);
  });

  it('reads the legacy data.json format (real 2022 archive) as resolved history', async () => {
    const urls = mount({ file: fixture('aws-legacy-status-data-2022-07-archive.json') });
    const { signals } = await testInstance(awsHealthPlugin, { ...urls, useRssFallback: false }).poll();
    expect(signals).toHaveLength(86);
    expect(new Set(signals.map((s) => s.externalId)).size).toBe(86);
    expect(signals.every((s) => s.lifecycle === 'resolved')).toBe(true);
    const acm = signals.find((s) => s.externalId === 'certificatemanager-us-east-1_1624993969')!;
    expect(acm).toMatchObject({
      service: 'certificatemanager',
      region: 'us-east-1',
      level: 'major_outage',
      title: 'Increased API Error Rates and Latency',
      startedAt: '2021-06-29T19:12:49.000Z',
    });
    expect(acm.detail).toMatch(/^12:12 PM PDT We are investigating increased API latency/);
    const filtered = await testInstance(awsHealthPlugin, {
      ...urls,
      useRssFallback: false,
      services: ['ec2'],
      regions: ['us-east-1'],
    }).poll();
    expect(filtered.signals).toHaveLength(7);
    expect(signals.find((s) => s.externalId.startsWith('management-console_'))?.region).toBe('global');
  });
});

describe('aws-health: malformed currentevents', () => {
  const noFallback = { useRssFallback: false };

  it('an HTML page with status 200 is a FeedParseError', async () => {
    const urls = mount({ file: fixture('error-page.html'), headers: { 'content-type': 'text/html' } });
    const err = await rejectionOf(testInstance(awsHealthPlugin, { ...urls, ...noFallback }).poll());
    expect(err).toBeInstanceOf(FeedParseError);
    expect(err.message).toMatch(/HTML page, not JSON/);
  });

  it('an empty body (and a lone BOM) is a FeedParseError', async () => {
    for (const body of [Buffer.alloc(0), Buffer.from([0xff, 0xfe])]) {
      const urls = mount({ body });
      expect(await rejectionOf(testInstance(awsHealthPlugin, { ...urls, ...noFallback }).poll())).toBeInstanceOf(FeedParseError);
    }
  });

  it('a JSON object of another shape, or an event of the wrong shape, is a FeedParseError', async () => {
    for (const json of ['{"message":"Forbidden"}', '[{"arn":42,"summary":"x"}]']) {
      const urls = mount({ body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]) });
      expect(await rejectionOf(testInstance(awsHealthPlugin, { ...urls, ...noFallback }).poll())).toBeInstanceOf(FeedParseError);
    }
  });

  it('a truncated UTF-16 body (odd byte count) is a FeedParseError', async () => {
    const whole = readFileSync(fixture('currentevents-open.utf16le.json'));
    const urls = mount({ body: whole.subarray(0, 101) });
    expect(await rejectionOf(testInstance(awsHealthPlugin, { ...urls, ...noFallback }).poll())).toBeInstanceOf(FeedParseError);
  });

  it('a 404 is permanent, a 503 is retried (rethrown as is) when there is no fallback', async () => {
    const gone = mount(null);
    expect(await rejectionOf(testInstance(awsHealthPlugin, { ...gone, ...noFallback }).poll())).toBeInstanceOf(PermanentPluginError);
    const down = mount({ status: 503, body: '<html><body>Service Unavailable</body></html>', headers: { 'content-type': 'text/html' } });
    const err = await rejectionOf(testInstance(awsHealthPlugin, { ...down, ...noFallback }).poll());
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).permanent).toBe(false);
  });
});

describe('aws-health: RSS fallback', () => {
  const rss = { file: fixture('all-rss-open-and-resolved.xml'), headers: { 'content-type': 'application/rss+xml' } };

  it('falls back to rss/all.rss when currentevents answers 503, grouping updates into incidents', async () => {
    const urls = mount({ status: 503, body: 'Service Unavailable', headers: { 'content-type': 'text/plain' } }, rss);
    const res = await testInstance(awsHealthPlugin, urls).poll();
    expect(res.warnings?.[0]).toMatch(/currentevents could not be read/);
    // A window of recent updates, not a snapshot: the host must not resolve anything from it.
    expect(res.complete).toBe(false);
    const byId = Object.fromEntries(res.signals.map((s) => [s.externalId, s]));
    expect(Object.keys(byId).sort()).toEqual([
      'rss:ec2-us-east-1_1632712292',
      'rss:ec2-us-east-1_1638895771',
      'rss:elb-us-west-2_1630435612',
      'rss:iam_1629996723',
      'rss:management-console_1637780142',
    ]);
    // Performance issues → [RESOLVED]: resolved, at its worst level; PDT → UTC.
    expect(byId['rss:ec2-us-east-1_1632712292']).toMatchObject({
      service: 'ec2',
      region: 'us-east-1',
      level: 'degraded',
      lifecycle: 'resolved',
      title: 'Degraded EBS Volume Performance',
      startedAt: '2021-09-27T03:11:32.000Z',
      updatedAt: '2021-09-27T11:21:00.000Z',
      resolvedAt: '2021-09-27T11:21:00.000Z',
      url: 'http://status.aws.amazon.com/',
    });
    // A later, separate incident on the same service-region key (PST).
    expect(byId['rss:ec2-us-east-1_1638895771']).toMatchObject({
      level: 'info',
      lifecycle: 'open',
      startedAt: '2021-12-07T16:49:31.000Z',
      resolvedAt: null,
    });
    // Service disruption, then Performance issues: open at the latest level.
    expect(byId['rss:elb-us-west-2_1630435612']).toMatchObject({
      level: 'degraded',
      lifecycle: 'open',
      startedAt: '2021-08-31T18:46:52.000Z',
      updatedAt: '2021-08-31T19:10:00.000Z',
      title: 'Connectivity Issues',
    });
    expect(byId['rss:iam_1629996723']).toMatchObject({
      service: 'iam',
      region: 'global',
      level: 'info',
      lifecycle: 'open',
      startedAt: '2021-08-26T16:52:03.000Z',
    });
    expect(byId['rss:management-console_1637780142']).toMatchObject({
      region: 'global',
      level: 'info',
      lifecycle: 'resolved',
      title: 'Increased Error Rates',
      resolvedAt: '2021-11-24T18:55:42.000Z',
    });
  });

  it('falls back on an HTML page and on a 404 too, applies the filters, and polls deterministically', async () => {
    const urls = mount({ file: fixture('error-page.html'), headers: { 'content-type': 'text/html' } }, rss);
    const inst = testInstance(awsHealthPlugin, { ...urls, regions: ['us-west-2'] });
    const a = await inst.poll();
    expect(a.signals.map((s) => s.externalId)).toEqual([
      'rss:management-console_1637780142',
      'rss:elb-us-west-2_1630435612',
      'rss:iam_1629996723',
    ]);
    expect(await inst.poll()).toEqual(a);
    const gone = mount(null, rss);
    expect((await testInstance(awsHealthPlugin, { ...gone, services: ['ec2'] }).poll()).signals.map((s) => s.externalId)).toEqual([
      'rss:ec2-us-east-1_1638895771',
      'rss:ec2-us-east-1_1632712292',
    ]);
  });

  it('names the body each signal was read from: the event index in currentevents, the latest item guid in the RSS fallback', async () => {
    const json = mount({ file: fixture('currentevents-open.utf16le.json'), headers: UTF16 });
    const events = (await testInstance(awsHealthPlugin, json).poll()).signals;
    expect(events.length).toBeGreaterThan(0);
    expect(
      events.every((s) => s.rawRef?.fetchUrl === `${json.baseUrl}/public/currentevents` && /^\/\d+$/.test(s.rawRef.pointer ?? '')),
    ).toBe(true);
    const fallback = mount({ status: 503, body: 'down' }, rss);
    const items = (await testInstance(awsHealthPlugin, fallback).poll()).signals;
    expect(items.length).toBeGreaterThan(0);
    expect(
      items.every((s) => s.rawRef?.fetchUrl === `${fallback.rssBaseUrl}/rss/all.rss` && /_\d{9,11}$/.test(s.rawRef.pointer ?? '')),
    ).toBe(true);
  });

  it('throws the currentevents error when the RSS feed fails too', async () => {
    const urls = mount(
      { file: fixture('error-page.html'), headers: { 'content-type': 'text/html' } },
      { body: '<rss><channel><item>', headers: { 'content-type': 'application/rss+xml' } },
    );
    const err = await rejectionOf(testInstance(awsHealthPlugin, urls).poll());
    expect(err).toBeInstanceOf(FeedParseError);
    // The unreadable body is currentevents', not the RSS feed fetched after it.
    expect((err as FeedParseError).fetchUrl).toBe(`${urls.baseUrl}/public/currentevents`);
  });

  it('skips items whose guid has no {service}-{region}_{epoch} fragment, with a warning', async () => {
    const xml = readFileSync(fixture('all-rss-open-and-resolved.xml'), 'utf8').replace('#iam_1629996723', '#iam');
    const urls = mount({ status: 500, body: 'x' }, { body: xml, headers: { 'content-type': 'application/rss+xml' } });
    const res = await testInstance(awsHealthPlugin, urls).poll();
    expect(res.signals).toHaveLength(4);
    expect(res.warnings?.some((w) => /guid/.test(w))).toBe(true);
  });
});

describe('aws-health: selfTest', () => {
  it('reports ok with the number of events, falls back to RSS, and never throws', async () => {
    const ok = mount({ file: fixture('currentevents-open.utf16le.json'), headers: UTF16 });
    expect(await testInstance(awsHealthPlugin, ok).selfTest()).toEqual({
      ok: true,
      message: 'currentevents answered: 3 matching event(s), 3 open',
    });
    const viaRss = mount({ status: 503, body: 'down' }, { file: fixture('all-rss-open-and-resolved.xml') });
    const r = await testInstance(awsHealthPlugin, viaRss).selfTest();
    expect(r.ok).toBe(true);
    expect(r.message).toMatch(/RSS fallback works: 5 matching/);
    const broken = mount({ file: fixture('error-page.html') });
    const b = await testInstance(awsHealthPlugin, { ...broken, useRssFallback: false }).selfTest();
    expect(b.ok).toBe(false);
    expect(b.message).toMatch(/FeedParseError/);
  });
});
