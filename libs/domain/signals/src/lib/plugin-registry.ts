import { Inject, Injectable } from '@nestjs/common';

import type { PluginInfo } from '@bulwark/api-schema';
import { NotFound } from '@bulwark/platform';
import { configJsonSchema, secretKeys, type NormalizedSignal, type PluginDefinition } from '@bulwark/plugin-sdk';

/** What a push plugin (webhook / CSV) lets the host do with incoming data. */
export interface PushHandlers {
  verify(input: {
    rawBody: Buffer;
    signatureHeader: string | undefined;
    timestampHeader: string | undefined;
    config: Record<string, unknown>;
    now: Date;
  }): { ok: true } | { ok: false; reason: string };
  parseJson(body: unknown, config: Record<string, unknown>): NormalizedSignal[];
  parseCsv(text: string, config: Record<string, unknown>): { signals: NormalizedSignal[]; errors: { row: number; message: string }[] };
}

export interface PluginRegistration {
  plugin: PluginDefinition;
  push?: PushHandlers;
}

export const PLUGINS = Symbol('bulwark:plugins');
export const InjectPlugins = (): ParameterDecorator => Inject(PLUGINS);

/** The plugins this deployment runs: one explicit list, composed by the apps. */
@Injectable()
export class PluginRegistry {
  private readonly byId: Map<string, PluginRegistration>;

  constructor(@InjectPlugins() registrations: PluginRegistration[]) {
    this.byId = new Map(registrations.map((r) => [r.plugin.id, r]));
    if (this.byId.size !== registrations.length) throw new Error('Duplicate plugin ids in the plugin list');
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  get(id: string): PluginRegistration {
    const r = this.byId.get(id);
    if (!r) throw new NotFound('plugin', id);
    return r;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  info(): PluginInfo[] {
    return [...this.byId.values()].map(({ plugin }) => ({
      id: plugin.id,
      kind: plugin.kind,
      displayName: plugin.displayName,
      description: plugin.description,
      version: plugin.version,
      push: plugin.push ?? false,
      defaultScheduleSeconds: plugin.defaultSchedule.everySeconds,
      configSchema: configJsonSchema(plugin.configSchema),
      secretFields: secretKeys(plugin.configSchema),
      scoreModels: (plugin.scoreModels ?? []).map((m) => ({
        key: m.key,
        label: m.label,
        zones: m.zones ? { distress: m.zones.distress, safe: m.zones.safe } : null,
      })),
    }));
  }
}
