import { z } from 'zod';

import { count, entityId, isoDate, paginationQuery, timestamp, uuidSchema } from './common.js';
import { CRITICALITIES } from './inventory.js';

/** Same values as the plugin SDK's SIGNAL_LEVELS (a unit test keeps them equal). */
export const SIGNAL_LEVEL_VALUES = ['operational', 'info', 'degraded', 'partial_outage', 'major_outage', 'maintenance', 'unknown'] as const;
export type SignalLevelValue = (typeof SIGNAL_LEVEL_VALUES)[number];

/** A score model as a plugin declares it: the `score.model` key, its label, and the zone thresholds of a banded score. */
export const scoreModelInfoSchema = z.object({
  key: z.string(),
  label: z.string(),
  /** Below `distress`: the distress zone; above `safe`: the safe zone; grey in between. Null for an unbanded score. */
  zones: z.object({ distress: z.number(), safe: z.number() }).nullable(),
});
export type ScoreModelInfo = z.output<typeof scoreModelInfoSchema>;

export const pluginInfoSchema = z.object({
  id: z.string(),
  kind: z.enum(['health', 'financial']),
  displayName: z.string(),
  description: z.string(),
  version: z.string(),
  push: z.boolean(),
  defaultScheduleSeconds: z.number().int().min(1),
  /** JSON Schema of the config; secret fields carry `writeOnly: true`. */
  configSchema: z.record(z.string(), z.unknown()),
  secretFields: z.array(z.string()),
  /** The score models the plugin's signals carry (financial plugins; empty otherwise). */
  scoreModels: z.array(scoreModelInfoSchema),
});
export type PluginInfo = z.output<typeof pluginInfoSchema>;

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

export const signalSourceViewSchema = z.object({
  id: entityId,
  vendorId: entityId,
  vendorName: z.string(),
  serviceId: entityId.nullable(),
  serviceName: z.string().nullable(),
  plugin: z.string(),
  pluginName: z.string(),
  name: z.string(),
  /** Non-secret settings only. */
  config: z.record(z.string(), z.unknown()),
  /** Names of secret settings that have a stored value (the values are never returned). */
  secretsSet: z.array(z.string()),
  scheduleSeconds: z.number().int().min(1),
  enabled: z.boolean(),
  status: z.enum(SOURCE_STATUSES),
  lastPollAt: timestamp.nullable(),
  lastSuccessAt: timestamp.nullable(),
  consecutiveFailures: count,
  lastError: z.string().nullable(),
  /** For push plugins: the URL to send signed webhooks to (shown once on creation). */
  webhookUrl: z.string().nullable(),
});
export type SignalSourceView = z.output<typeof signalSourceViewSchema>;

/** Provenance of a signal's current state (feeds.md §8 `rawRef`); the body downloads from `/signals/:id/raw`. */
export const rawRefViewSchema = z.object({
  /** The URL that answered; null for a pushed payload (webhook delivery or uploaded file). */
  fetchUrl: z.string().nullable(),
  fetchedAt: timestamp,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** JSON pointer (`/incidents/3`), RSS guid or CSV row within the body; null: the whole body. */
  pointer: z.string().nullable(),
  origin: z.enum(['poll', 'webhook', 'upload']),
  contentType: z.string().nullable(),
  sizeBytes: count,
});
export type RawRefView = z.output<typeof rawRefViewSchema>;

/** One recorded state of a signal (signal_changes). */
export const signalChangeViewSchema = z.object({
  /** The state time: the provider's update time, or the observation time of an undated signal. */
  stateAt: timestamp,
  level: z.enum(SIGNAL_LEVEL_VALUES),
  lifecycle: z.string().nullable(),
  severity: z.number().nullable(),
  recordedAt: timestamp,
});
export type SignalChangeView = z.output<typeof signalChangeViewSchema>;

export const signalScoreSchema = z.object({
  model: z.string(),
  value: z.number().nullable(),
  band: z.string().nullable(),
  inputs: z.record(z.string(), z.unknown()),
});

export const signalViewSchema = z.object({
  id: entityId,
  /** Null when the source that recorded it has been deleted (its signals stay in the history). */
  sourceId: entityId.nullable(),
  vendorId: entityId,
  serviceId: entityId.nullable(),
  externalId: z.string(),
  signalType: z.string(),
  component: z.string().nullable(),
  region: z.string().nullable(),
  level: z.enum(SIGNAL_LEVEL_VALUES),
  severity: z.number().nullable(),
  lifecycle: z.string().nullable(),
  title: z.string(),
  detail: z.string().nullable(),
  startedAt: timestamp.nullable(),
  updatedAt: timestamp.nullable(),
  resolvedAt: timestamp.nullable(),
  scheduledFor: timestamp.nullable(),
  scheduledUntil: timestamp.nullable(),
  score: signalScoreSchema.nullable(),
  url: z.string().nullable(),
  /** As-of date of a financial signal (period end or filing date). */
  asOf: isoDate.nullable(),
  /** When the provider announced a scheduled maintenance, if the feed says. */
  announcedAt: timestamp.nullable(),
  /** Where the current state was read from; null when unknown, and always null for vendor contacts (raw evidence is internal). */
  rawRef: rawRefViewSchema.nullable(),
});
export type SignalView = z.output<typeof signalViewSchema>;

/** One signal as `GET /signals/:id` answers it: the list view, plus when its current state began. */
export const signalDetailViewSchema = signalViewSchema.extend({
  /**
   * When the signal entered its current level: the state time of the earliest of the consecutive
   * recorded states, up to the latest, with the current level ("down since"). Null when no state is
   * recorded (signals stored before the history was kept).
   */
  stateSince: timestamp.nullable(),
});
export type SignalDetailView = z.output<typeof signalDetailViewSchema>;

/** A signal as a plugin's test run produced it: shown as the plugin wrote it, nothing is stored. */
export const signalPreviewSchema = z.object({
  externalId: z.string(),
  signalType: z.string(),
  component: z.string().nullable(),
  region: z.string().nullable(),
  level: z.enum(SIGNAL_LEVEL_VALUES),
  lifecycle: z.string().nullable(),
  title: z.string(),
  detail: z.string().nullable(),
  startedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  scheduledFor: z.string().nullable(),
  scheduledUntil: z.string().nullable(),
  score: signalScoreSchema.nullable(),
  url: z.string().nullable(),
  asOf: z.string().nullable(),
  announcedAt: z.string().nullable(),
});

export const testSourceResultSchema = z.object({
  ok: z.boolean(),
  signals: z.array(signalPreviewSchema),
  /** The plugin's own check of the settings (reachability, watched components found…). */
  selfTest: z.object({ ok: z.boolean(), message: z.string() }),
  warnings: z.array(z.string()),
  error: z.string().nullable(),
  durationMs: count,
});
export type TestSourceResult = z.output<typeof testSourceResultSchema>;

/** `POST /api/signal-sources/:id/poll` */
export const pollQueuedSchema = z.object({ queued: z.boolean().meta({ const: true, description: 'Always true: the poll is queued.' }) });
/** `POST /api/ingest/:key`: the signals the delivery held, and how many changed what is stored. */
export const webhookReceiptSchema = z.object({ accepted: count, changed: count });
/** `POST /api/signal-sources/:id/upload`: the rows read, and how many changed what is stored. */
export const uploadReceiptSchema = z.object({ received: count, changed: count });

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

/**
 * Whether anything watches a vendor or a service, from its enabled sources (the best of them):
 * `monitored` (a source read its feed within the last few schedule periods and its latest poll
 * worked), `pending` (a new source has not read its feed yet), `failing` (the latest polls failed, or
 * the settings are invalid), `stale` (no successful read for more than three schedule periods, and no
 * poll failing now: nothing polls it), `not_monitored` (no enabled source covers it). A null `level`
 * is "operational" only when `monitored`.
 */
export const MONITORING_STATES = ['monitored', 'pending', 'failing', 'stale', 'not_monitored'] as const;
export type MonitoringState = (typeof MONITORING_STATES)[number];
const monitoring = z.enum(MONITORING_STATES);

export const vendorSignalSummarySchema = z.object({
  vendorId: entityId,
  /** Worst open severity over the services and regions in use; null when nothing counts (see `monitoring`). */
  level: z.enum(SIGNAL_LEVEL_VALUES).nullable(),
  severity: z.number().nullable(),
  /** Whether its enabled sources watch the vendor (the services in use, or vendor-wide). */
  monitoring,
  /** One page (`limit`, default 50) of the open signals on the services in use, worst first, each with when its current level began. */
  openSignals: z.array(signalDetailViewSchema),
  /** All open signals on the services in use (every page). */
  openTotal: count,
  /** Those, counted by level. */
  openByLevel: z.array(z.object({ level: z.enum(SIGNAL_LEVEL_VALUES), count })),
  /** Pass as `cursor` for the next page of open signals; null on the last page. */
  nextCursor: z.string().nullable(),
  services: z.array(
    z.object({
      serviceId: entityId.nullable(),
      serviceName: z.string(),
      level: z.enum(SIGNAL_LEVEL_VALUES).nullable(),
      openCount: count,
      /** Whether a source watches this service (one of its own, or a vendor-wide one; vendor-wide only for the vendor-wide row). */
      monitoring,
    }),
  ),
  /** The newest financial signals (at most `VENDOR_FINANCIAL_LIMIT`). */
  financial: z.array(signalViewSchema),
  /** All of the vendor's financial signals. */
  financialTotal: count,
  sources: z.array(signalSourceViewSchema),
});
export type VendorSignalSummary = z.output<typeof vendorSignalSummarySchema>;

export const degradedEntrySchema = z.object({
  vendorId: entityId,
  vendorName: z.string(),
  tier: z.string(),
  level: z.enum(SIGNAL_LEVEL_VALUES),
  severity: z.number().nullable(),
  openSignals: count,
  worst: signalViewSchema,
  affectedSystems: z.array(z.string()),
});
export type DegradedEntry = z.output<typeof degradedEntrySchema>;

/** A dependency (of an internal system on a vendor's service) rated critical or high, which no working source watches. */
export const unwatchedDependencySchema = z.object({
  dependencyId: entityId,
  systemId: entityId,
  systemName: z.string(),
  serviceId: entityId,
  serviceName: z.string(),
  /** The higher of the dependency's and the system's criticality. */
  criticality: z.enum(CRITICALITIES),
  monitoring,
});

/** One vendor's current status for the portfolio views (`GET /signals/status`). */
export const vendorStatusSchema = z.object({
  vendorId: entityId,
  vendorName: z.string(),
  tier: z.string(),
  /** As the vendor's summary: worst open level on the services in use, null when nothing counts. */
  level: z.enum(SIGNAL_LEVEL_VALUES).nullable(),
  severity: z.number().nullable(),
  monitoring,
  /** Its critical or high dependencies whose service is not `monitored`. */
  unwatchedCritical: z.array(unwatchedDependencySchema),
});
export type VendorStatus = z.output<typeof vendorStatusSchema>;
