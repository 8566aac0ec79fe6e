import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFixtureServer, type FixtureServer } from '../testing.js';
import { createHttpClient, HttpError, type CachedResponse } from './http-client.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({
    '/ok.json': { body: '{"ok":true}' },
    '/slow': { body: '{}', delayMs: 2000 },
    '/huge': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(1024 * 1024, 97);
      let sent = 0;
      const push = () => {
        while (sent < 12 && res.write(chunk)) sent++;
        if (sent < 12) res.once('drain', push);
        else res.end();
      };
      push();
    },
    '/declared-huge': { body: 'x', headers: { 'content-length': String(20 * 1024 * 1024) } },
    '/html-error': {
      status: 503,
      body: '<html><body><h1>Service Unavailable</h1></body></html>',
      headers: { 'content-type': 'text/html' },
    },
    '/to-metadata': { status: 302, body: '', headers: { location: 'http://169.254.169.254/latest/meta-data/' } },
    '/to-private-name': { status: 301, body: '', headers: { location: 'http://internal.corp.test/' } },
    '/to-file': { status: 302, body: '', headers: { location: 'file:///etc/passwd' } },
    '/to-ok': { status: 307, body: '', headers: { location: '/ok.json' } },
    '/loop': { status: 302, body: '', headers: { location: '/loop' } },
    '/moved-feed': { status: 301, body: '', headers: { location: '/feeds/current.json' } },
    '/feeds/current.json': (req, res) => {
      if (req.headers['if-none-match'] === '"c1"') return void res.writeHead(304).end();
      res.writeHead(200, { etag: '"c1"', 'content-type': 'application/json' }).end('{"feed":"current"}');
    },
    '/last-modified': (req, res) => {
      const stamp = 'Tue, 11 Mar 2025 10:00:00 GMT';
      if (req.headers['if-modified-since'] === stamp) return void res.writeHead(304).end();
      res.writeHead(200, { 'last-modified': stamp, 'content-type': 'application/json' }).end('{"lm":1}');
    },
    '/submit': (req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(303, { location: '/echo' }).end());
    },
    '/keep-post': (req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(307, { location: '/echo' }).end());
    },
    '/echo': (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            method: req.method,
            body: Buffer.concat(chunks).toString('utf8'),
            contentType: req.headers['content-type'] ?? null,
          }),
        ),
      );
    },
    '/to-mixed-name': { status: 302, body: '', headers: { location: 'http://mixed.feeds.test/status.json' } },
    '/etag': (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      res.writeHead(200, { etag: '"v1"', 'content-type': 'application/json' }).end('{"v":1}');
    },
  });
});
afterAll(async () => server.close());

const client = (extra: Partial<Parameters<typeof createHttpClient>[0]> = {}) =>
  createHttpClient({
    userAgent: 'Bulwark-Test/1.0 tests@bulwark.test',
    allowedHosts: ['127.0.0.1:*'],
    timeoutMs: 1000,
    maxBytes: 10 * 1024 * 1024,
    // Names resolve to a private address: the policy must refuse them (no traffic leaves the machine).
    resolve: async () => [{ address: '10.1.2.3', family: 4 }],
    ...extra,
  });

async function failure(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(HttpError);
    return err as HttpError;
  }
  throw new Error('expected a failure');
}

describe('safe HTTP client', () => {
  it('fetches JSON with the declared User-Agent', async () => {
    const res = await client().get(`${server.url}/ok.json`);
    expect(res.json()).toEqual({ ok: true });
    expect(server.requests.at(-1)?.headers['user-agent']).toBe('Bulwark-Test/1.0 tests@bulwark.test');
  });

  it('opens a listed private host on the listed port only: a bare host means ports 80 and 443', async () => {
    const port = new URL(server.url).port;
    expect((await client({ allowedHosts: [`127.0.0.1:${port}`] }).get(`${server.url}/ok.json`)).status).toBe(200);
    for (const allowedHosts of [['127.0.0.1'], [`127.0.0.1:${Number(port) === 65535 ? 1 : Number(port) + 1}`]]) {
      const err = await failure(client({ allowedHosts }).get(`${server.url}/ok.json`));
      expect(err.kind).toBe('blocked_address');
      expect(err.message).toMatch(/not a public address \(FEED_ALLOWED_HOSTS opens 127\.0\.0\.1 on other ports only\)/);
    }
  });

  it('times out a slow server', async () => {
    // The server answers after 2 s, the client gives up after 1 s: a client that waited would have succeeded.
    // (No wall-clock bound: a loaded machine delays both timers alike, never their order.)
    const err = await failure(client().get(`${server.url}/slow`));
    expect(err.kind).toBe('timeout');
    expect(err.permanent).toBe(false);
  });

  it('stops reading a body over the size cap (12 MB streamed against a 10 MB cap)', async () => {
    const err = await failure(client({ timeoutMs: 10_000 }).get(`${server.url}/huge`));
    expect(err.kind).toBe('too_large');
  });

  it('refuses a declared content-length over the cap before reading', async () => {
    expect((await failure(client().get(`${server.url}/declared-huge`))).kind).toBe('too_large');
  });

  it('turns an HTML error page into a status error naming its type and size, never quoting it', async () => {
    const err = await failure(client().get(`${server.url}/html-error`));
    expect(err.kind).toBe('status');
    expect(err.status).toBe(503);
    expect(err.permanent).toBe(false);
    expect(err.message).toBe(`HTTP 503 from ${server.url}/html-error (text/html, 54 bytes)`);
  });

  it('re-checks redirects: to cloud metadata, to a name resolving privately, to file:', async () => {
    const meta = await failure(client().get(`${server.url}/to-metadata`));
    expect(meta.kind).toBe('blocked_address');
    expect(meta.permanent).toBe(true);
    expect((await failure(client().get(`${server.url}/to-private-name`))).kind).toBe('blocked_address');
    expect((await failure(client().get(`${server.url}/to-file`))).kind).toBe('bad_url');
  });

  it('follows a safe redirect and gives up on a loop', async () => {
    expect((await client().get(`${server.url}/to-ok`)).json()).toEqual({ ok: true });
    expect((await failure(client().get(`${server.url}/loop`))).kind).toBe('too_many_redirects');
  });

  it.each([
    'http://127.0.0.1.nip.io/', // a name: resolved, then refused
    'http://2130706433/', // decimal 127.0.0.1
    'http://0x7f.1/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::1]:8080/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fd00:ec2::254]/',
    'http://[::a9fe:a9fe]/latest/meta-data/', // IPv4-compatible 169.254.169.254
    'http://[::7f00:1]/', // IPv4-compatible 127.0.0.1
    'http://[::0.0.0.1]/',
    'http://[0:0:0:0:0:0:0:1]/',
    'http://[64:ff9b::a00:1]/', // NAT64 of 10.0.0.1
  ])('refuses %s unless allow-listed', async (url) => {
    const err = await failure(createHttpClient({ userAgent: 'x', resolve: async () => [{ address: '127.0.0.1', family: 4 }] }).get(url));
    expect(err.kind).toBe('blocked_address');
  });

  it('refuses other schemes and credentials in URLs', async () => {
    expect((await failure(client().get('ftp://example.com/'))).kind).toBe('bad_url');
    expect((await failure(client().get('http://user:pw@127.0.0.1/'))).kind).toBe('bad_url');
    expect((await failure(client().get('not a url'))).kind).toBe('bad_url');
  });

  it('reuses an ETag: a 304 answers from the cache', async () => {
    const cache = new Map<string, CachedResponse>();
    const c = client({ cache });
    const first = await c.get(`${server.url}/etag`, { conditional: true });
    expect(first.notModified).toBe(false);
    const second = await c.get(`${server.url}/etag`, { conditional: true });
    expect(second.notModified).toBe(true);
    expect(second.json()).toEqual({ v: 1 });
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"v1"');
  });

  it('refuses a name that resolves to one public and one private address, without connecting', async () => {
    const resolve = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ];
    const before = server.requests.length;
    const direct = await failure(client({ resolve }).get('http://mixed.feeds.test/status.json'));
    expect(direct.kind).toBe('blocked_address');
    expect(direct.message).toContain('10.0.0.5');
    expect(server.requests.length).toBe(before);
    // The same name behind a redirect from the (allowed) local server.
    const redirected = await failure(client({ resolve }).get(`${server.url}/to-mixed-name`));
    expect(redirected.kind).toBe('blocked_address');
    expect(server.requests.map((r) => r.path).slice(before)).toEqual(['/to-mixed-name']);
  });

  it('sends conditional requests to a redirected feed: the cache is keyed by the URL asked for', async () => {
    const cache = new Map<string, CachedResponse>();
    const c = client({ cache });
    const first = await c.get(`${server.url}/moved-feed`, { conditional: true });
    expect(first.notModified).toBe(false);
    expect(first.url).toBe(`${server.url}/feeds/current.json`);
    const second = await c.get(`${server.url}/moved-feed`, { conditional: true });
    expect(second.notModified).toBe(true);
    expect(second.url).toBe(`${server.url}/feeds/current.json`);
    expect(second.json()).toEqual({ feed: 'current' });
    const last = server.requests.at(-1)!;
    expect(last.path).toBe('/feeds/current.json');
    expect(last.headers['if-none-match']).toBe('"c1"');
  });

  it('reuses Last-Modified: If-Modified-Since is sent and a 304 answers from the cache', async () => {
    const cache = new Map<string, CachedResponse>();
    const c = client({ cache });
    expect((await c.get(`${server.url}/last-modified`, { conditional: true })).notModified).toBe(false);
    expect(server.requests.at(-1)?.headers['if-modified-since']).toBeUndefined();
    const again = await c.get(`${server.url}/last-modified`, { conditional: true });
    expect(server.requests.at(-1)?.headers['if-modified-since']).toBe('Tue, 11 Mar 2025 10:00:00 GMT');
    expect(again.notModified).toBe(true);
    expect(again.json()).toEqual({ lm: 1 });
  });

  it('follows a 303 with a GET without the body; a 307 keeps the method and body', async () => {
    const seeOther = await client().request(`${server.url}/submit`, {
      method: 'POST',
      body: '{"q":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(seeOther.json()).toEqual({ method: 'GET', body: '', contentType: null });
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/echo' });
    const temporary = await client().request(`${server.url}/keep-post`, {
      method: 'POST',
      body: '{"q":2}',
      headers: { 'content-type': 'application/json' },
    });
    expect(temporary.json()).toEqual({ method: 'POST', body: '{"q":2}', contentType: 'application/json' });
  });

  it('marks 4xx permanent but not 429', async () => {
    server.routes['/gone'] = { status: 404, body: 'nope' };
    server.routes['/busy'] = { status: 429, body: 'slow down' };
    expect((await failure(client().get(`${server.url}/gone`))).permanent).toBe(true);
    expect((await failure(client().get(`${server.url}/busy`))).permanent).toBe(false);
  });
});
