import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

import { allowsHostPort, effectivePort, isIpLiteral, isPublicAddress, normalizeHost, parseAllowedHost } from './address-policy.js';
import { parseFeedJson } from './feed-parse.js';

export type HttpErrorKind = 'bad_url' | 'blocked_address' | 'timeout' | 'too_large' | 'too_many_redirects' | 'network' | 'status';

/** A failed fetch. `permanent` errors (bad URL, refused address, 4xx) are not worth retrying. */
export class HttpError extends Error {
  constructor(
    readonly kind: HttpErrorKind,
    message: string,
    readonly status?: number,
    readonly permanent = kind === 'bad_url' ||
      kind === 'blocked_address' ||
      (kind === 'status' && status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429),
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface HttpClientOptions {
  /**
   * Hosts exempt from the address policy (FEED_ALLOWED_HOSTS), e.g. an internal mirror or a test
   * server: `host` (its default ports 80 and 443 only), `host:port`, or `host:*` (every port).
   */
  allowedHosts?: readonly string[];
  userAgent: string;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** Conditional-request cache (ETag / Last-Modified), keyed by URL. Give each source its own. */
  cache?: Map<string, CachedResponse>;
  /** DNS resolution, replaceable in tests. */
  resolve?: (host: string) => Promise<LookupAddress[]>;
}

export interface CachedResponse {
  etag: string | null;
  lastModified: string | null;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The URL that answered (after redirects); the cache key is the URL that was asked for. */
  url?: string;
}

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'HEAD';
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  maxBytes?: number;
  /** Send If-None-Match / If-Modified-Since from the cache and answer 304s from it (GET only). */
  conditional?: boolean;
  /** Resolve 4xx/5xx instead of throwing. */
  acceptAnyStatus?: boolean;
}

export interface HttpResponse {
  status: number;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  /** True when the server answered 304 and the cached body is returned. */
  notModified: boolean;
  text(): string;
  /** The body as JSON; an empty body, an HTML page or bad JSON is a `FeedParseError` (see `parseFeedJson`). */
  json<T = unknown>(): T;
}

export interface HttpClient {
  request(url: string, req?: HttpRequest): Promise<HttpResponse>;
  get(url: string, req?: Omit<HttpRequest, 'method' | 'body'>): Promise<HttpResponse>;
}

const DEFAULTS = { timeoutMs: 15_000, maxBytes: 10 * 1024 * 1024, maxRedirects: 5 };

function defaultResolve(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );
}

function flatHeaders(msg: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(msg.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function response(status: number, url: string, headers: Record<string, string>, body: Buffer, notModified: boolean): HttpResponse {
  return {
    status,
    url,
    headers,
    body,
    notModified,
    text: () => body.toString('utf8'),
    json: <T>() => parseFeedJson(body, url) as T,
  };
}

/**
 * The only way plugins reach the network. http and https only; each host name is resolved once and
 * the connection is pinned to the address that was checked (no DNS rebinding between check and
 * connect); redirects are followed by hand and re-checked; bodies are capped and timed out.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const allowed = (options.allowedHosts ?? []).map(parseAllowedHost);
  const resolveHost = options.resolve ?? defaultResolve;
  const cache = options.cache;

  /** Says so when the host is listed for other ports: the entry needs `host:port`. */
  function listedHint(host: string): string {
    return allowed.some((a) => a.host === host) ? ` (FEED_ALLOWED_HOSTS opens ${host} on other ports only)` : '';
  }

  async function pinnedAddress(url: URL): Promise<{ address: string; family: number } | null> {
    const host = normalizeHost(url.hostname);
    const port = effectivePort(url);
    if (allowsHostPort(allowed, host, port)) return null; // exempt: let Node connect normally
    if (isIpLiteral(host)) {
      if (!isPublicAddress(host))
        throw new HttpError('blocked_address', `Refusing to connect to ${host} (port ${port}): not a public address${listedHint(host)}`);
      return { address: host, family: host.includes(':') ? 6 : 4 };
    }
    let addresses: LookupAddress[];
    try {
      addresses = await resolveHost(host);
    } catch (err) {
      throw new HttpError('network', `Cannot resolve ${host}: ${(err as Error).message}`);
    }
    if (!addresses.length) throw new HttpError('network', `Cannot resolve ${host}`);
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad)
      throw new HttpError(
        'blocked_address',
        `Refusing to connect to ${host} (port ${port}): it resolves to ${bad.address}, not a public address${listedHint(host)}`,
      );
    return addresses[0]!;
  }

  function once(
    url: URL,
    req: HttpRequest,
    pin: { address: string; family: number } | null,
    deadline: number,
    maxBytes: number,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let failure: HttpError | null = null;
      const done = (fn: () => void) => {
        if (settled) return;
        settled = true;
        fn();
      };
      const fail = (err: HttpError) => done(() => reject(err));
      const lib = url.protocol === 'https:' ? https : http;
      const lookup: LookupFunction | undefined = pin
        ? (_host, opts, cb) => {
            if ((opts as { all?: boolean }).all) (cb as unknown as (e: null, a: LookupAddress[]) => void)(null, [pin]);
            else cb(null, pin.address, pin.family);
          }
        : undefined;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return fail(new HttpError('timeout', `Timed out fetching ${url.href}`));
      const r = lib.request(
        url,
        {
          method: req.method ?? 'GET',
          headers: { 'user-agent': options.userAgent, 'accept-encoding': 'identity', ...req.headers },
          lookup,
          timeout: remaining,
        },
        (res) => {
          const declared = Number(res.headers['content-length'] ?? NaN);
          if (Number.isFinite(declared) && declared > maxBytes) {
            fail(new HttpError('too_large', `Response of ${url.href} is ${declared} bytes, over the ${maxBytes}-byte limit`));
            r.destroy();
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > maxBytes) {
              fail(new HttpError('too_large', `Response of ${url.href} exceeds the ${maxBytes}-byte limit`));
              r.destroy();
              return;
            }
            chunks.push(c);
          });
          res.on('end', () => done(() => resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res), body: Buffer.concat(chunks) })));
          res.on('error', (err) => fail(failure ?? new HttpError('network', `Reading ${url.href}: ${err.message}`)));
          res.on('close', () => fail(failure ?? new HttpError('network', `Connection closed while reading ${url.href}`)));
        },
      );
      const timeout = () => {
        failure = new HttpError('timeout', `Timed out fetching ${url.href}`);
        fail(failure);
        r.destroy();
      };
      const timer = setTimeout(timeout, remaining);
      r.on('close', () => clearTimeout(timer));
      r.on('timeout', timeout);
      r.on('error', (err) =>
        fail(failure ?? (err instanceof HttpError ? err : new HttpError('network', `Fetching ${url.href}: ${err.message}`))),
      );
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
  }

  async function request(rawUrl: string, req: HttpRequest = {}): Promise<HttpResponse> {
    const maxBytes = req.maxBytes ?? options.maxBytes ?? DEFAULTS.maxBytes;
    const deadline = Date.now() + (req.timeoutMs ?? options.timeoutMs ?? DEFAULTS.timeoutMs);
    const maxRedirects = options.maxRedirects ?? DEFAULTS.maxRedirects;
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new HttpError('bad_url', `Not a URL: ${rawUrl}`);
    }
    let method = req.method ?? 'GET';
    let body = req.body;
    // The cache is keyed by the URL the plugin asked for, whatever it redirects to, so a redirected
    // feed gets conditional requests too (the validators are sent along the redirect chain).
    const cacheKey = url.href;
    const cached = req.conditional && method === 'GET' ? cache?.get(cacheKey) : undefined;
    let headers: Record<string, string> = { ...req.headers };
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;
    const origin = url.origin;
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new HttpError('bad_url', `Only http and https are allowed, not ${url.protocol}`);
      if (url.username || url.password) throw new HttpError('bad_url', 'Credentials in URLs are not allowed');
      const pin = await pinnedAddress(url);
      const hopHeaders =
        url.origin === origin
          ? headers
          : Object.fromEntries(Object.entries(headers).filter(([k]) => !/^(authorization|cookie|x-api-key)$/i.test(k)));
      const res = await once(url, { ...req, method, body, headers: hopHeaders }, pin, deadline, maxBytes);
      if ([301, 302, 303, 307, 308].includes(res.status) && res.headers['location']) {
        if (hop >= maxRedirects) throw new HttpError('too_many_redirects', `More than ${maxRedirects} redirects from ${rawUrl}`);
        try {
          url = new URL(res.headers['location'], url);
        } catch {
          throw new HttpError('bad_url', `Bad redirect location from ${url.href}`);
        }
        // 303 (and 301/302 after a POST, as browsers do) continues with a GET without the body.
        if ((res.status === 303 && method !== 'HEAD') || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
          headers = Object.fromEntries(
            Object.entries(headers).filter(([k]) => !/^(content-type|content-length|content-encoding|transfer-encoding)$/i.test(k)),
          );
        }
        continue;
      }
      if (res.status === 304 && cached) return response(cached.status, cached.url ?? url.href, cached.headers, cached.body, true);
      if (res.status >= 400 && !req.acceptAnyStatus) {
        // What was answered, never what it said: the message becomes the source's stored error.
        const type = res.headers['content-type']?.split(';')[0]?.trim() || 'no content type';
        throw new HttpError('status', `HTTP ${res.status} from ${url.href} (${type}, ${res.body.length} bytes)`, res.status);
      }
      if (cache && (req.method ?? 'GET') === 'GET' && res.status === 200 && (res.headers['etag'] || res.headers['last-modified'])) {
        cache.set(cacheKey, {
          etag: res.headers['etag'] ?? null,
          lastModified: res.headers['last-modified'] ?? null,
          status: res.status,
          headers: res.headers,
          body: res.body,
          url: url.href,
        });
      }
      return response(res.status, url.href, res.headers, res.body, false);
    }
  }

  return { request, get: (url, req) => request(url, { ...req, method: 'GET' }) };
}
