import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, type AppConfig } from '@bulwark/platform';
import { createHttpClient, type CachedResponse, type HttpClient } from '@bulwark/plugin-sdk';

/**
 * The per-source HTTP cache: each source's ETag / Last-Modified answers (in this process's memory),
 * so `{ conditional: true }` requests of its plugin are answered "not modified" by an unchanged feed.
 */
@Injectable()
export class SourceHttpCache {
  private readonly caches = new Map<string, Map<string, CachedResponse>>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** A per-source HTTP client: the deployment's feed policy, and the source's own ETag cache (none for `null`: a test run). */
  clientFor(sourceId: string | null): HttpClient {
    let cache: Map<string, CachedResponse> | undefined;
    if (sourceId) {
      cache = this.caches.get(sourceId) ?? new Map();
      this.caches.set(sourceId, cache);
    }
    return createHttpClient({
      userAgent: this.config.feeds.userAgent,
      allowedHosts: this.config.feeds.allowedHosts,
      timeoutMs: this.config.feeds.timeoutMs,
      maxBytes: this.config.feeds.maxBytes,
      cache,
    });
  }

  /** Drops a source's cached answers (its settings changed, so they may be for another feed). */
  forget(sourceId: string): void {
    this.caches.delete(sourceId);
  }
}
