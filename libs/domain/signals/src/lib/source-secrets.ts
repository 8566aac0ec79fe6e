import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, Invalid, SecretBox, zodFieldErrors, type AppConfig } from '@bulwark/platform';
import { secretKeys } from '@bulwark/plugin-sdk';

import { PluginRegistry } from './plugin-registry.js';
import type { SignalSource } from './signal-source.entity.js';

/** A validated plugin config, split by the schema's `secret()` marks. */
export interface SplitConfig {
  plain: Record<string, unknown>;
  secret: Record<string, unknown>;
  full: Record<string, unknown>;
}

/**
 * The secret settings of signal sources: split off plugin configs by the schema's `secret()` marks,
 * sealed with the deployment's key (AES-256-GCM, bound to the source id as associated data) and
 * opened only to poll; the API returns only which secret fields are set.
 */
@Injectable()
export class SourceSecrets {
  private readonly box: SecretBox;

  constructor(
    private readonly registry: PluginRegistry,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.box = new SecretBox(config.secretsKey);
  }

  /** Validates a plugin config; returns it split into plain and secret parts. */
  validate(pluginId: string, config: Record<string, unknown>): SplitConfig {
    if (!this.registry.has(pluginId))
      throw new Invalid('source.unknown_plugin', `No plugin "${pluginId}"`, [
        { path: 'plugin', message: `must be one of ${this.registry.ids().join(', ')}` },
      ]);
    const { plugin } = this.registry.get(pluginId);
    const parsed = plugin.configSchema.safeParse(config);
    if (!parsed.success)
      throw new Invalid('source.invalid_config', `The ${plugin.displayName} settings are invalid`, zodFieldErrors(parsed.error, 'config'));
    const secrets = new Set(secretKeys(plugin.configSchema));
    const full = parsed.data as Record<string, unknown>;
    const plain: Record<string, unknown> = {};
    const secret: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(full)) (secrets.has(k) ? secret : plain)[k] = v;
    return { plain, secret, full };
  }

  /** The sealed form of a source's secret settings, or null when it has none. */
  seal(secret: Record<string, unknown>, sourceId: string): string | null {
    return Object.keys(secret).length ? this.box.seal(JSON.stringify(secret), sourceId) : null;
  }

  /** The decrypted secret settings of a source (to poll, and to keep them out of stored fetch URLs); never returned by the API. */
  open(s: Pick<SignalSource, 'id' | 'secrets'>): Record<string, unknown> {
    if (!s.secrets) return {};
    return JSON.parse(this.box.open(s.secrets, s.id)) as Record<string, unknown>;
  }

  /** The full config (plain + decrypted secrets) of a source, for polling. */
  fullConfig(s: SignalSource): Record<string, unknown> {
    return { ...s.config, ...this.open(s) };
  }
}
