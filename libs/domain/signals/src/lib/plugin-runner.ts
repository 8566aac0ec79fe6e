import { Inject, Injectable, Logger } from '@nestjs/common';

import type { TestSourceResult } from '@bulwark/api-schema';
import { APP_CONFIG, type AppConfig } from '@bulwark/platform';
import type { HttpClient, NormalizedSignal, PluginDefinition, PluginInstance, PollResult } from '@bulwark/plugin-sdk';

import { SourceHttpCache } from './http-cache.js';
import { PluginRegistry } from './plugin-registry.js';
import type { SignalSource } from './signal-source.entity.js';
import { SourceSecrets } from './source-secrets.js';

/** How long one scheduled poll of a plugin may take. */
const POLL_TIMEOUT_MS = 120_000;

/** Plain view of a normalized signal for API answers. */
export function signalPreview(s: NormalizedSignal): TestSourceResult['signals'][number] {
  return {
    externalId: s.externalId,
    signalType: s.signalType,
    component: s.service,
    region: s.region,
    level: s.level,
    lifecycle: s.lifecycle,
    title: s.title,
    detail: s.detail,
    startedAt: s.startedAt,
    updatedAt: s.updatedAt,
    resolvedAt: s.resolvedAt,
    scheduledFor: s.scheduledFor,
    scheduledUntil: s.scheduledUntil,
    score: s.score,
    url: s.url,
    asOf: s.asOf ?? null,
    announcedAt: s.announcedAt ?? null,
  };
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`Plugin did not finish within ${Math.round(ms / 1000)} s`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/**
 * Runs plugins: an instance for a source's poll (bounded in time), and the source form's **Test**
 * (one poll and the plugin's self-test with a config, storing nothing).
 */
@Injectable()
export class PluginRunner {
  private readonly logger = new Logger('Poll');

  constructor(
    private readonly registry: PluginRegistry,
    private readonly secrets: SourceSecrets,
    private readonly http: SourceHttpCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The plugin instance of one poll of a source, with the given (recording) HTTP client; it logs at debug level. */
  instance(plugin: PluginDefinition, source: SignalSource, config: Record<string, unknown>, http: HttpClient): PluginInstance {
    return plugin.create({ config, http, now: () => new Date(), log: (msg) => this.logger.debug(`${source.plugin}/${source.id}: ${msg}`) });
  }

  /** One poll of a source's plugin instance, within the poll time limit. */
  poll(instance: PluginInstance): Promise<PollResult> {
    return withTimeout(instance.poll(), POLL_TIMEOUT_MS);
  }

  /** Runs a plugin once with a config, without storing anything. */
  async test(pluginId: string, config: Record<string, unknown>): Promise<TestSourceResult> {
    const { full } = this.secrets.validate(pluginId, config);
    const { plugin } = this.registry.get(pluginId);
    const t0 = Date.now();
    let instance: PluginInstance;
    try {
      instance = plugin.create({ config: full, http: this.http.clientFor(null), now: () => new Date(), log: () => undefined });
    } catch (err) {
      const error = (err as Error).message.slice(0, 1000);
      return { ok: false, signals: [], warnings: [], error, selfTest: { ok: false, message: error }, durationMs: Date.now() - t0 };
    }
    // The poll and the plugin's own check run side by side; neither's failure hides the other's answer.
    const [polled, selfTest] = await Promise.all([
      withTimeout(instance.poll(), this.config.feeds.timeoutMs * 3).then(
        (r) => ({ ok: true as const, r }),
        (err: unknown) => ({ ok: false as const, error: (err as Error).message.slice(0, 1000) }),
      ),
      this.selfTest(instance),
    ]);
    const durationMs = Date.now() - t0;
    if (!polled.ok) return { ok: false, signals: [], warnings: [], error: polled.error, selfTest, durationMs };
    return { ok: true, signals: polled.r.signals.map(signalPreview), warnings: polled.r.warnings ?? [], error: null, selfTest, durationMs };
  }

  /** The plugin's `selfTest`, bounded in time; a throw or a timeout is a failed check, never a 500. */
  private async selfTest(instance: PluginInstance): Promise<{ ok: boolean; message: string }> {
    try {
      const r = await withTimeout(instance.selfTest(), this.config.feeds.timeoutMs * 3);
      return { ok: r.ok === true, message: String(r.message ?? '').slice(0, 1000) };
    } catch (err) {
      return { ok: false, message: `Self-test failed: ${(err as Error).message.slice(0, 1000)}` };
    }
  }
}
