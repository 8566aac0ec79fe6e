import { Inject, Injectable, Logger } from '@nestjs/common';

import type { TestSourceResult } from '@bulwark/api-schema';
import { APP_CONFIG, type AppConfig } from '@bulwark/platform';
import type { FeedLimits, HttpClient, PluginDefinition, PluginInstance, PollResult } from '@bulwark/plugin-sdk';

import { PluginRegistry } from './plugin-registry.js';
import { PluginSandbox } from './plugin-sandbox.js';
import { withTimeout } from './plugin-test-run.js';
import type { SignalSource } from './signal-source.entity.js';
import { SourceSecrets } from './source-secrets.js';

/** How long one scheduled poll of a plugin may take. */
const POLL_TIMEOUT_MS = 120_000;

export { signalPreview, withTimeout } from './plugin-test-run.js';

/**
 * Runs plugins: an instance for a source's poll (bounded in time), and the source form's **Test**
 * (one poll and the plugin's self-test with a config, storing nothing; in `PluginSandbox`).
 */
@Injectable()
export class PluginRunner {
  private readonly logger = new Logger('Poll');

  constructor(
    private readonly registry: PluginRegistry,
    private readonly secrets: SourceSecrets,
    private readonly sandbox: PluginSandbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The plugin instance of one poll of a source, with the given (recording) HTTP client; it logs at debug level. */
  instance(plugin: PluginDefinition, source: SignalSource, config: Record<string, unknown>, http: HttpClient): PluginInstance {
    return plugin.create({
      config,
      http,
      limits: this.limits,
      now: () => new Date(),
      log: (msg) => this.logger.debug(`${source.plugin}/${source.id}: ${msg}`),
    });
  }

  /** What one poll of a source may contribute (FEED_MAX_SIGNALS). */
  get limits(): FeedLimits {
    return { maxSignals: this.config.feeds.maxSignals };
  }

  /** One poll of a source's plugin instance, within the poll time limit. */
  poll(instance: PluginInstance): Promise<PollResult> {
    return withTimeout(instance.poll(), POLL_TIMEOUT_MS);
  }

  /**
   * Runs a plugin once with a config, storing nothing: in the sandbox's worker thread, so that a feed
   * however large or hostile cannot stall the API. A bad config is a 422 naming the field, before.
   */
  async test(pluginId: string, config: Record<string, unknown>): Promise<TestSourceResult> {
    const { full } = this.secrets.validate(pluginId, config);
    return this.sandbox.test(this.registry.get(pluginId).plugin.id, full);
  }
}
