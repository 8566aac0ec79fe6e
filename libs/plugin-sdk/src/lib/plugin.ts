import { z } from 'zod';

import type { HttpClient } from './http-client.js';
import type { NormalizedSignal } from './signal.js';

export type PluginKind = 'health' | 'financial';

/** Marks config fields that are secrets: write-only in the API, encrypted at rest, never logged. */
export const secretFields = z.registry<{ secret: true }>();

/** `secret(z.string())`: a config field holding a credential. */
export function secret<T extends z.ZodType>(schema: T): T {
  secretFields.add(schema, { secret: true });
  return schema;
}

/** The base-URL setting every fetching plugin has, defaulting to the public endpoint. */
export function baseUrl(publicEndpoint: string) {
  return z
    .url({ protocol: /^https?$/ })
    .default(publicEndpoint)
    .describe(`Base URL of the feed; defaults to ${publicEndpoint}. Point it at a mirror or a test server.`);
}

/** What one poll of a source may read and contribute (the host's FEED_MAX_SIGNALS). */
export interface FeedLimits {
  /**
   * Most signals one poll may return; a poll returning more fails and stores nothing. A plugin reading
   * a list that becomes signals (components, incidents, events) refuses a longer list before
   * validating it (`assertListSizes`).
   */
  maxSignals: number;
}

export const DEFAULT_FEED_LIMITS: FeedLimits = { maxSignals: 5000 };

export interface PluginContext<C> {
  config: C;
  http: HttpClient;
  limits: FeedLimits;
  now(): Date;
  log(message: string): void;
}

export interface PollResult {
  signals: NormalizedSignal[];
  /** The feed answered 304: nothing changed since the last poll. */
  notModified?: boolean;
  /** Things worth showing the user that did not stop the poll (e.g. an approximated input). */
  warnings?: string[];
  /**
   * `signals` is a complete snapshot of what the feed reports as current for this config: every
   * open incident, component and maintenance (or the current score). The host then resolves the
   * source's open signals that are absent from it, at the poll time. Leave it unset when the feed
   * is partial (a window of recent updates, a fallback feed, a push delivery).
   */
  complete?: boolean;
}

export interface SelfTestResult {
  ok: boolean;
  message: string;
}

export interface PluginInstance {
  poll(): Promise<PollResult>;
  selfTest(): Promise<SelfTestResult>;
}

/**
 * A score a financial plugin computes (the `model` of its signals' `score`), as the portal shows it:
 * its label and, for a banded score, the zone thresholds (below `distress`: distress; above `safe`: safe; grey in between).
 */
export interface ScoreModel {
  key: string;
  label: string;
  zones?: { distress: number; safe: number };
}

export interface PluginDefinition<S extends z.ZodObject = z.ZodObject> {
  id: string;
  kind: PluginKind;
  displayName: string;
  version: string;
  description: string;
  configSchema: S;
  /** How often a source of this plugin is polled unless its schedule says otherwise. */
  defaultSchedule: { everySeconds: number };
  /** Polls of this plugin across all sources, per window (respect the provider's limits). */
  rateLimit?: { max: number; perSeconds: number };
  /** Push-only plugins (webhook, upload) are never polled. */
  push?: boolean;
  /** The score models this plugin's signals carry (financial plugins). */
  scoreModels?: readonly ScoreModel[];
  create(ctx: PluginContext<z.infer<S>>): PluginInstance;
}

/** Identity function that checks a plugin's shape at compile time. */
export function definePlugin<S extends z.ZodObject>(def: PluginDefinition<S>): PluginDefinition<S> {
  if (!/^[a-z][a-z0-9-]{1,40}$/.test(def.id)) throw new Error(`Plugin id "${def.id}" must be kebab-case`);
  if (def.defaultSchedule.everySeconds < 60 && !def.push) throw new Error(`${def.id}: status feeds are polled at most once a minute`);
  const models = def.scoreModels ?? [];
  if (new Set(models.map((m) => m.key)).size !== models.length) throw new Error(`${def.id}: score model keys must be unique`);
  for (const m of models)
    if (m.zones && !(m.zones.distress < m.zones.safe)) throw new Error(`${def.id}: score model ${m.key} needs distress < safe`);
  return def;
}

/** Thrown by a plugin when retrying cannot help (invalid config, 4xx other than 408/429). */
export class PermanentPluginError extends Error {
  readonly permanent = true;
  constructor(message: string) {
    super(message);
    this.name = 'PermanentPluginError';
  }
}

/**
 * Thrown when the feed answered but its content cannot be understood. The host records `unknown` and
 * keeps the unreadable body as the raw evidence of that marker: the one fetched from `fetchUrl` when
 * the plugin names it (set it when the failing body is not the last one fetched, e.g. after a
 * fallback), else the last body fetched during the poll.
 */
export class FeedParseError extends Error {
  /** The URL (asked for or answered) whose body could not be read, when it is not the last one fetched. */
  fetchUrl?: string;
  constructor(message: string, options: { fetchUrl?: string } = {}) {
    super(message);
    this.name = 'FeedParseError';
    if (options.fetchUrl) this.fetchUrl = options.fetchUrl;
  }
}

/**
 * The feed lists more than a source may contribute (`FeedLimits`): retrying cannot help, and nothing
 * of the poll is stored (its share of the rollup is unknown until a poll fits).
 */
export class FeedLimitError extends Error {
  readonly permanent = true;
  constructor(message: string) {
    super(message);
    this.name = 'FeedLimitError';
  }
}

/** The error of a poll that returned more signals than a source may contribute. */
export function tooManySignals(count: number, limits: FeedLimits): FeedLimitError {
  return new FeedLimitError(
    `The feed gave ${count} signals; a source contributes at most ${limits.maxSignals} per poll (FEED_MAX_SIGNALS). Watch fewer components, or raise the limit.`,
  );
}

/**
 * Refuses a decoded feed whose lists (top-level keys of an object, e.g. a Statuspage summary's
 * `components`) are longer than a source may contribute, before they are validated or normalized:
 * validating 80,000 components is work (and memory, for every invalid one) spent on a poll that
 * cannot be stored anyway.
 */
export function assertListSizes(json: unknown, what: string, keys: readonly string[], limits: FeedLimits): void {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return;
  for (const key of keys) {
    const list = (json as Record<string, unknown>)[key];
    if (Array.isArray(list) && list.length > limits.maxSignals)
      throw new FeedLimitError(
        `${what} lists ${list.length} ${key.replace(/_/g, ' ')}; a source reads at most ${limits.maxSignals} per poll (FEED_MAX_SIGNALS)`,
      );
  }
}

/** Top-level config keys marked secret. */
export function secretKeys(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, s]) => secretFields.has(unwrap(s as z.ZodType)) || secretFields.has(s as z.ZodType))
    .map(([k]) => k);
}

function unwrap(s: z.ZodType): z.ZodType {
  let cur: z.ZodType = s;
  while (cur instanceof z.ZodOptional || cur instanceof z.ZodDefault || cur instanceof z.ZodNullable) cur = cur.unwrap() as z.ZodType;
  return cur;
}

/** The config schema as JSON Schema for the portal's source form; secret fields are `writeOnly`. */
export function configJsonSchema(schema: z.ZodObject): Record<string, unknown> {
  return z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      if (secretFields.has(ctx.zodSchema as unknown as z.ZodType)) (ctx.jsonSchema as Record<string, unknown>)['writeOnly'] = true;
    },
  }) as Record<string, unknown>;
}
