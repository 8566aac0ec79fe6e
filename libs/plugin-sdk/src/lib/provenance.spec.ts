import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFixtureServer, type FixtureServer } from '../testing.js';
import { createHttpClient, HttpError, type CachedResponse } from './http-client.js';
import { fromResponse, jsonPointer, recordFetches, resolveRawRefs } from './provenance.js';
import { signal } from './signal.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const FEED = '{"incidents":[{"id":"a"},{"id":"b"}]}';
const OTHER = '{"components":[]}';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({
    '/feed.json': (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      res.writeHead(200, { etag: '"v1"', 'content-type': 'application/json' }).end(FEED);
    },
    '/other.json': { body: OTHER },
    '/moved': { status: 301, body: '', headers: { location: '/other.json' } },
    '/big': { body: 'x'.repeat(4096) },
  });
});
afterAll(() => server.close());

const client = (maxBytes?: number) =>
  createHttpClient({
    userAgent: 'Bulwark-Test/1.0 tests@bulwark.test',
    allowedHosts: ['127.0.0.1:*'],
    timeoutMs: 3000,
    cache: new Map<string, CachedResponse>(),
    maxBytes,
  });
const at = new Date('2024-05-01T12:00:00Z');

describe('jsonPointer', () => {
  it('escapes ~ and / as RFC 6901 says', () => {
    expect(jsonPointer('incidents', 3)).toBe('/incidents/3');
    expect(jsonPointer('a/b', 'c~d')).toBe('/a~1b/c~0d');
    expect(jsonPointer()).toBe('');
  });
});

describe('recording a poll and completing the plugins’ rawRef hints', () => {
  it('completes hints with the fetch time and the SHA-256 of the bytes fetched, and keeps each referenced body once', async () => {
    const rec = recordFetches(client(), () => at);
    const res = await rec.http.get(`${server.url}/feed.json`);
    await rec.http.get(`${server.url}/other.json`); // fetched, but no signal points at it
    const signals = fromResponse(
      [
        signal({
          externalId: 'a',
          signalType: 'service_incident',
          level: 'degraded',
          title: 'A',
          rawRef: { pointer: jsonPointer('incidents', 0) },
        }),
        signal({
          externalId: 'b',
          signalType: 'service_incident',
          level: 'degraded',
          title: 'B',
          rawRef: { pointer: jsonPointer('incidents', 1) },
        }),
      ],
      res,
    );
    const plain = signal({ externalId: 'c', signalType: 'component_status', level: 'operational', title: 'C' });
    const { refs, bodies, unmatched } = resolveRawRefs([...signals, plain], { find: rec.find, origin: 'poll' });
    expect(refs).toEqual([
      {
        fetchUrl: `${server.url}/feed.json`,
        fetchedAt: at.toISOString(),
        sha256: sha(FEED),
        pointer: '/incidents/0',
        origin: 'poll',
        contentType: 'application/json',
        sizeBytes: FEED.length,
      },
      {
        fetchUrl: `${server.url}/feed.json`,
        fetchedAt: at.toISOString(),
        sha256: sha(FEED),
        pointer: '/incidents/1',
        origin: 'poll',
        contentType: 'application/json',
        sizeBytes: FEED.length,
      },
      null,
    ]);
    expect([...bodies.keys()]).toEqual([sha(FEED)]);
    expect(bodies.get(sha(FEED))!.toString()).toBe(FEED);
    expect(unmatched).toBe(0);
  });

  it('finds a redirected body by the URL asked for and by the one that answered', async () => {
    const rec = recordFetches(client(), () => at);
    const res = await rec.http.get(`${server.url}/moved`);
    expect(res.url).toBe(`${server.url}/other.json`);
    expect(rec.find(`${server.url}/moved`)?.sha256).toBe(sha(OTHER));
    const [ref] = resolveRawRefs(
      [
        signal({
          externalId: 'x',
          signalType: 'component_status',
          level: 'operational',
          title: 'X',
          rawRef: { fetchUrl: `${server.url}/moved`, pointer: null },
        }),
      ],
      { find: rec.find, origin: 'poll' },
    ).refs;
    expect(ref).toMatchObject({ fetchUrl: `${server.url}/other.json`, sha256: sha(OTHER), pointer: null });
  });

  it('a 304 answered from the cache refers to the cached bytes', async () => {
    const rec = recordFetches(client(), () => at);
    await rec.http.get(`${server.url}/feed.json`, { conditional: true });
    const again = await rec.http.get(`${server.url}/feed.json`, { conditional: true });
    expect(again.notModified).toBe(true);
    expect(rec.find(`${server.url}/feed.json`)?.sha256).toBe(sha(FEED));
  });

  it('drops a hint naming a URL that was not fetched in this poll', () => {
    const rec = recordFetches(client(), () => at);
    const r = resolveRawRefs(
      [
        signal({
          externalId: 'x',
          signalType: 'component_status',
          level: 'operational',
          title: 'X',
          rawRef: { fetchUrl: `${server.url}/never`, pointer: '/0' },
        }),
      ],
      { find: rec.find, origin: 'poll' },
    );
    expect(r.refs).toEqual([null]);
    expect(r.bodies.size).toBe(0);
    expect(r.unmatched).toBe(1);
  });

  it('keeps the client’s size cap: an oversized body is refused, never recorded', async () => {
    const rec = recordFetches(client(1024), () => at);
    await expect(rec.http.get(`${server.url}/big`)).rejects.toBeInstanceOf(HttpError);
    expect(rec.find(`${server.url}/big`)).toBeUndefined();
    expect(rec.last()).toBeUndefined();
  });

  it('last() is the body of the latest response returned (what a parse failure most likely read)', async () => {
    const rec = recordFetches(client(), () => at);
    expect(rec.last()).toBeUndefined();
    await rec.http.get(`${server.url}/feed.json`);
    await rec.http.get(`${server.url}/moved`);
    expect(rec.last()).toMatchObject({ url: `${server.url}/other.json`, sha256: sha(OTHER) });
  });

  it('a push delivery: every hinted signal refers to the delivered payload, without a fetch URL', () => {
    const body = Buffer.from('[{"id":"r1"}]');
    const payload = { url: null, fetchedAt: at.toISOString(), sha256: sha(body.toString()), contentType: 'application/json', body };
    const { refs, bodies } = resolveRawRefs(
      [signal({ externalId: 'r1', signalType: 'security_rating', level: 'degraded', title: 'R', rawRef: { pointer: '/0' } })],
      { payload, origin: 'webhook' },
    );
    expect(refs[0]).toEqual({
      fetchUrl: null,
      fetchedAt: at.toISOString(),
      sha256: payload.sha256,
      pointer: '/0',
      origin: 'webhook',
      contentType: 'application/json',
      sizeBytes: body.length,
    });
    expect(bodies.size).toBe(1);
  });
});
