import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';

import { createHttpClient, type CachedResponse, type HttpClientOptions } from './lib/http-client.js';
import { DEFAULT_FEED_LIMITS, type FeedLimits, type PluginDefinition, type PluginInstance } from './lib/plugin.js';

/**
 * The plugin test kit: a local HTTP server that serves fixtures in the feeds' real formats, and a
 * plugin instance wired to the real HTTP client (so timeouts, size caps and redirects are the real
 * ones). Only 127.0.0.1 (any port: `127.0.0.1:*`) is exempt from the address policy.
 */
export type Route =
  | { status?: number; headers?: Record<string, string>; body: string | Buffer; delayMs?: number }
  | { file: string; status?: number; headers?: Record<string, string> }
  | ((req: IncomingMessage, res: ServerResponse) => void);

export interface FixtureServer {
  url: string;
  /** Requests received, in order (method, path and headers), for assertions. */
  requests: { method: string; path: string; headers: IncomingMessage['headers'] }[];
  /** Replace or add routes while the server runs. */
  routes: Record<string, Route>;
  close(): Promise<void>;
}

export async function startFixtureServer(routes: Record<string, Route>): Promise<FixtureServer> {
  const requests: FixtureServer['requests'] = [];
  const table = { ...routes };
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const route = table[path] ?? table[path.split('?')[0]!];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body><h1>404 Not Found</h1></body></html>');
      return;
    }
    if (typeof route === 'function') return route(req, res);
    const body = 'file' in route ? readFileSync(route.file) : route.body;
    const send = () => res.writeHead(route.status ?? 200, { 'content-type': 'application/json', ...route.headers }).end(body);
    if ('delayMs' in route && route.delayMs) setTimeout(send, route.delayMs);
    else send();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    routes: table,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface TestInstanceOptions extends Partial<HttpClientOptions> {
  now?: Date;
  /** What one poll may contribute; the host's default unless given. */
  limits?: FeedLimits;
}

/** A plugin instance on the real HTTP client, allowed to reach only the local fixture server. */
export function testInstance<S extends z.ZodObject>(
  plugin: PluginDefinition<S>,
  config: z.input<S>,
  opts: TestInstanceOptions = {},
): PluginInstance {
  const parsed = plugin.configSchema.parse(config) as z.infer<S>;
  const http = createHttpClient({
    userAgent: 'Bulwark-Test/1.0 tests@bulwark.test',
    allowedHosts: ['127.0.0.1:*'],
    timeoutMs: 5000,
    cache: new Map<string, CachedResponse>(),
    ...opts,
  });
  const now = opts.now ?? new Date();
  return plugin.create({ config: parsed, http, limits: opts.limits ?? DEFAULT_FEED_LIMITS, now: () => now, log: () => undefined });
}

/** The error a promise rejects with; fails when it resolves instead. */
export async function rejectionOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the promise to reject');
}

/** How often each value occurs (null counted as "null"): `{ resolved: 3, open: 1 }`. */
export function tally(values: readonly (string | null)[]): Record<string, number> {
  return values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [String(v)]: (acc[String(v)] ?? 0) + 1 }), {});
}
