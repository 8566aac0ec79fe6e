import { z } from 'zod';

import { paginationQuery, uuidSchema } from './common.js';

/** Same values as the plugin SDK's SIGNAL_LEVELS (a unit test keeps them equal). */
export const SIGNAL_LEVEL_VALUES = ['operational', 'info', 'degraded', 'partial_outage', 'major_outage', 'maintenance', 'unknown'] as const;
export type SignalLevelValue = (typeof SIGNAL_LEVEL_VALUES)[number];

export interface PluginInfo {
  id: string;
  kind: 'health' | 'financial';
  displayName: string;
  description: string;
  version: string;
  push: boolean;
  defaultScheduleSeconds: number;
  /** JSON Schema of the config; secret fields carry `writeOnly: true`. */
  configSchema: Record<string, unknown>;
  secretFields: string[];
  /** The score models the plugin's signals carry (financial plugins; empty otherwise). */
  scoreModels: ScoreModelInfo[];
}

/** A score model as a plugin declares it: the `score.model` key, its label, and the zone thresholds of a banded score. */
export interface ScoreModelInfo {
  key: string;
  label: string;
  /** Below `distress`: the distress zone; above `safe`: the safe zone; grey in between. Null for an unbanded score. */
  zones: { distress: number; safe: number } | null;
}

const config = z.record(z.string(), z.unknown());

export const createSourceSchema = z.strictObject({
  vendorId: uuidSchema,
  serviceId: uuidSchema.nullable().optional(),
  plugin: z.string().min(1).max(60),
  name: z.string().trim().min(1).max(200).optional(),
  config: config.default({}),
  scheduleSeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 86400)
    .optional(),
  enabled: z.boolean().default(true),
});
export type CreateSourceInput = z.infer<typeof createSourceSchema>;

export const updateSourceSchema = z.strictObject({
  serviceId: uuidSchema.nullable().optional(),
  name: z.string().trim().min(1).max(200).optional(),
  /** Secret fields left out keep their stored value; `null` clears one. */
  config: config.optional(),
  scheduleSeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 86400)
    .optional(),
  enabled: z.boolean().optional(),
});

export const testSourceSchema = z.strictObject({
  plugin: z.string().min(1).max(60),
  config: config.default({}),
});

export const sourceListQuery = z.strictObject({
  vendorId: uuidSchema.optional(),
});

export const SOURCE_STATUSES = ['pending', 'ok', 'failing', 'invalid_config', 'disabled', 'stale'] as const;
export type SourceStatusValue = (typeof SOURCE_STATUSES)[number];

export interface SignalSourceView {
  id: string;
  vendorId: string;
  vendorName: string;
  serviceId: string | null;
  serviceName: string | null;
  plugin: string;
  pluginName: string;
  name: string;
  /** Non-secret settings only. */
  config: Record<string, unknown>;
  /** Names of secret settings that have a stored value (the values are never returned). */
  secretsSet: string[];
  scheduleSeconds: number;
  enabled: boolean;
  /**
   * `stale`: enabled and polled, but no successful read for three schedule periods (the feed is dead or
   * nothing polls it); otherwise as last recorded.
   */
  status: SourceStatusValue;
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  consecutiveFailures: number;
  lastError: string | null;
  /** For push plugins: the URL to send signed webhooks to (shown once on creation). */
  webhookUrl: string | null;
}

/** Provenance of a signal's current state (feeds.md §8 `rawRef`); the body downloads from `/signals/:id/raw`. */
export interface RawRefView {
  /** The URL that answered; null for a pushed payload (webhook delivery or uploaded file). */
  fetchUrl: string | null;
  fetchedAt: string;
  sha256: string;
  /** JSON pointer (`/incidents/3`), RSS guid or CSV row within the body; null: the whole body. */
  pointer: string | null;
  origin: 'poll' | 'webhook' | 'upload';
  contentType: string | null;
  sizeBytes: number;
}

/** One recorded state of a signal (signal_changes). */
export interface SignalChangeView {
  /** The state time: the provider's update time, or the observation time of an undated signal. */
  stateAt: string;
  level: SignalLevelValue;
  lifecycle: string | null;
  severity: number | null;
  recordedAt: string;
}

export interface SignalView {
  id: string;
  /** Null when the source that recorded it has been deleted (its signals stay in the history). */
  sourceId: string | null;
  vendorId: string;
  serviceId: string | null;
  externalId: string;
  signalType: string;
  component: string | null;
  region: string | null;
  level: SignalLevelValue;
  severity: number | null;
  lifecycle: string | null;
  title: string;
  detail: string | null;
  startedAt: string | null;
  updatedAt: string | null;
  resolvedAt: string | null;
  scheduledFor: string | null;
  scheduledUntil: string | null;
  score: { model: string; value: number | null; band: string | null; inputs: Record<string, unknown> } | null;
  url: string | null;
  asOf: string | null;
  /** When the provider announced a scheduled maintenance, if the feed says. */
  announcedAt: string | null;
  /** Where the current state was read from; null when unknown, and always null for vendor contacts (raw evidence is internal). */
  rawRef: RawRefView | null;
}

/** One signal as `GET /signals/:id` answers it: the list view, plus when its current state began. */
export interface SignalDetailView extends SignalView {
  /**
   * When the signal entered its current level: the state time of the earliest of the consecutive
   * recorded states, up to the latest, with the current level ("down since"). Null when no state is
   * recorded (signals stored before the history was kept).
   */
  stateSince: string | null;
}

export interface TestSourceResult {
  ok: boolean;
  signals: Omit<SignalView, 'id' | 'sourceId' | 'vendorId' | 'serviceId' | 'severity' | 'rawRef'>[];
  /** The plugin's own check of the settings (reachability, watched components found…). */
  selfTest: { ok: boolean; message: string };
  warnings: string[];
  error: string | null;
  durationMs: number;
}

export const signalListQuery = z.strictObject({
  ...paginationQuery,
  vendorId: uuidSchema.optional(),
  sourceId: uuidSchema.optional(),
  level: z.enum(SIGNAL_LEVEL_VALUES).optional(),
  open: z.enum(['true', 'false']).optional(),
  kind: z.enum(['health', 'financial']).optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
});

/** A page of a vendor's open signals: an opaque cursor from the previous page's `nextCursor`. */
export const VENDOR_SIGNALS_PAGE = { default: 50, max: 200 } as const;
export const vendorSignalsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(VENDOR_SIGNALS_PAGE.max).default(VENDOR_SIGNALS_PAGE.default),
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be the nextCursor of a previous page')
    .optional(),
});

/** Financial signals a vendor summary carries at most (newest first; the rest through `/signals?kind=financial`). */
export const VENDOR_FINANCIAL_LIMIT = 100;

export interface VendorSignalSummary {
  vendorId: string;
  /** Worst open severity over the services and regions in use; null when nothing is known. */
  level: SignalLevelValue | null;
  severity: number | null;
  /**
   * One page (`limit`, default 50) of the open signals on the services in use, worst first, each with
   * when its current level began (see `SignalDetailView`).
   */
  openSignals: SignalDetailView[];
  /** All open signals on the services in use (every page). */
  openTotal: number;
  /** Those, counted by level. */
  openByLevel: { level: SignalLevelValue; count: number }[];
  /** Pass as `cursor` for the next page of open signals; null on the last page. */
  nextCursor: string | null;
  services: { serviceId: string | null; serviceName: string; level: SignalLevelValue | null; openCount: number }[];
  /** The newest financial signals (at most `VENDOR_FINANCIAL_LIMIT`). */
  financial: SignalView[];
  /** All of the vendor's financial signals. */
  financialTotal: number;
  sources: SignalSourceView[];
}

export interface DegradedEntry {
  vendorId: string;
  vendorName: string;
  tier: string;
  level: SignalLevelValue;
  severity: number | null;
  openSignals: number;
  worst: SignalView;
  affectedSystems: string[];
}
