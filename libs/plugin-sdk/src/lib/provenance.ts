import { createHash } from 'node:crypto';

import type { HttpClient, HttpResponse } from './http-client.js';
import type { NormalizedSignal } from './signal.js';

/**
 * Provenance of a signal (feeds.md §8 `rawRef`), as the plugin states it: which body fetched during
 * this poll the signal was read from, and where in it. The host completes it (fetch time, SHA-256)
 * from what the HTTP client really fetched, and stores the referenced bodies by content hash.
 */
export interface RawRefHint {
  /**
   * A URL fetched through `ctx.http` during this poll: the URL asked for or the one that answered
   * (`HttpResponse.url`). Push plugins leave it out: the host refers to the delivered payload.
   */
  fetchUrl?: string;
  /** An RFC 6901 JSON pointer into the body (`/incidents/3`), an RSS/Atom guid, or a CSV row; null: the whole body. */
  pointer?: string | null;
}

export type RawOrigin = 'poll' | 'webhook' | 'upload';

/** Provenance as stored and served: the plugin's hint completed by the host. */
export interface RawRef {
  /** The URL that answered; null for pushed payloads (a webhook delivery or an uploaded file). */
  fetchUrl: string | null;
  /** When the body was received (UTC ISO-8601). */
  fetchedAt: string;
  /** Hex SHA-256 of the body as received: the key it is stored under. */
  sha256: string;
  pointer: string | null;
  origin: RawOrigin;
  /** The Content-Type the body came with (for the download), and its size in bytes. */
  contentType: string | null;
  sizeBytes: number;
}

/** An RFC 6901 JSON pointer from path tokens: `jsonPointer('incidents', 3)` is `/incidents/3`. */
export function jsonPointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => `/${String(t).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * Marks signals as read from one response: `fetchUrl` becomes the URL that answered; a pointer the
 * parser already set is kept. Use it in `poll()` right after parsing a body.
 */
export function fromResponse<T extends NormalizedSignal>(signals: T[], res: Pick<HttpResponse, 'url'>): T[] {
  for (const s of signals) s.rawRef = { fetchUrl: res.url, pointer: s.rawRef?.pointer ?? null };
  return signals;
}

export interface FetchedBody {
  /** The URL that answered; null for a pushed payload. */
  url: string | null;
  fetchedAt: string;
  sha256: string;
  contentType: string | null;
  body: Buffer;
}

export function sha256Hex(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

export interface FetchRecorder {
  /** The client to give the plugin: every response it returns is kept for the rest of the poll. */
  http: HttpClient;
  /** The body fetched from `url` (the URL asked for or the one that answered); the latest wins. */
  find(url: string): FetchedBody | undefined;
  /** The body of the last response the client returned during the poll, if any. */
  last(): FetchedBody | undefined;
}

/**
 * Wraps a poll's HTTP client so the host knows exactly which bytes the plugin read. The size cap and
 * timeouts are the wrapped client's; nothing is copied (the bodies are the responses' buffers). A
 * 304 answered from the conditional cache records the cached body, fetched (re-validated) now.
 */
export function recordFetches(client: HttpClient, now: () => Date = () => new Date()): FetchRecorder {
  const byUrl = new Map<string, FetchedBody>();
  let latest: FetchedBody | undefined;
  const keep = (asked: string, res: HttpResponse) => {
    const fetched: FetchedBody = {
      url: res.url,
      fetchedAt: now().toISOString(),
      sha256: sha256Hex(res.body),
      contentType: res.headers['content-type'] ?? null,
      body: res.body,
    };
    latest = fetched;
    byUrl.set(res.url, fetched);
    try {
      byUrl.set(new URL(asked).href, fetched);
    } catch {
      // The client rejected it already.
    }
    return res;
  };
  return {
    http: {
      request: async (url, req) => keep(url, await client.request(url, req)),
      get: async (url, req) => keep(url, await client.get(url, req)),
    },
    find: (url) => {
      try {
        return byUrl.get(new URL(url).href);
      } catch {
        return undefined;
      }
    },
    last: () => latest,
  };
}

export interface ResolvedRawRefs {
  /** One per signal, in order: the completed reference, or null when the signal names no fetched body. */
  refs: (RawRef | null)[];
  /** The bodies the references point at, once each, by SHA-256. Bodies no signal references are not here. */
  bodies: Map<string, Buffer>;
}

/**
 * Completes the plugins' hints: each signal's `rawRef.fetchUrl` is looked up among the bodies fetched
 * during the poll (`find`); a hint naming a URL that was not fetched is dropped (`unmatched` counts
 * them). For a push delivery pass `payload`: every signal with a hint refers to it.
 */
export function resolveRawRefs(
  signals: readonly NormalizedSignal[],
  source: { find: (url: string) => FetchedBody | undefined; origin: 'poll' } | { payload: FetchedBody; origin: 'webhook' | 'upload' },
): ResolvedRawRefs & { unmatched: number } {
  const bodies = new Map<string, Buffer>();
  let unmatched = 0;
  const refs = signals.map((s): RawRef | null => {
    const hint = s.rawRef;
    if (!hint) return null;
    const fetched = 'payload' in source ? source.payload : hint.fetchUrl ? source.find(hint.fetchUrl) : undefined;
    // An empty body is nothing to keep (and the storage refuses it).
    if (!fetched?.body.length) {
      if (!fetched) unmatched++;
      return null;
    }
    bodies.set(fetched.sha256, fetched.body);
    return {
      fetchUrl: fetched.url,
      fetchedAt: fetched.fetchedAt,
      sha256: fetched.sha256,
      pointer: hint.pointer ?? null,
      origin: source.origin,
      contentType: fetched.contentType,
      sizeBytes: fetched.body.length,
    };
  });
  return { refs, bodies, unmatched };
}
