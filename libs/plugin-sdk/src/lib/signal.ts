import type { RawRefHint } from './provenance.js';

/**
 * The normalized signal model every plugin returns (reference: feeds.md §8). Plugins map their
 * feed's states onto these enums; the host stores, deduplicates and rolls them up.
 */
export const SIGNAL_LEVELS = ['operational', 'info', 'degraded', 'partial_outage', 'major_outage', 'maintenance', 'unknown'] as const;
export type SignalLevel = (typeof SIGNAL_LEVELS)[number];

/** 0 operational/maintenance, 1 info, 2 degraded, 3 partial outage, 4 major outage; unknown has none. */
export const SEVERITY: Record<SignalLevel, number | null> = {
  operational: 0,
  maintenance: 0,
  info: 1,
  degraded: 2,
  partial_outage: 3,
  major_outage: 4,
  unknown: null,
};

export const SIGNAL_LIFECYCLES = ['open', 'monitoring', 'resolved', 'scheduled', 'in_progress', 'completed'] as const;
export type SignalLifecycle = (typeof SIGNAL_LIFECYCLES)[number];

export const SIGNAL_TYPES = [
  'service_incident',
  'component_status',
  'maintenance',
  'financial_score',
  'entity_status',
  'sanctions_match',
  'security_rating',
  'source_status',
] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

/**
 * The signal types about the vendor as a company (finances, legal standing, sanctions, security
 * rating), not about a service's health: the one list. They never count in the health rollup or SLA
 * attainment; the vendor's financial-health threshold reads them. See docs/domain.md, "Financial signals".
 */
export const FINANCIAL_SIGNAL_TYPES = [
  'financial_score',
  'entity_status',
  'sanctions_match',
  'security_rating',
] as const satisfies readonly SignalType[];
export type FinancialSignalType = (typeof FINANCIAL_SIGNAL_TYPES)[number];
export const isFinancialSignalType = (type: string): type is FinancialSignalType =>
  (FINANCIAL_SIGNAL_TYPES as readonly string[]).includes(type);

export interface SignalScore {
  /** e.g. `altman-z`, `altman-z-double-prime`, `lei-status`, a provider's rating name. */
  model: string;
  value: number | null;
  /** e.g. `safe | grey | distress`, or the provider's band. */
  band: string | null;
  /** The inputs used, with where each came from (concept, accession number, approximations). */
  inputs: Record<string, unknown>;
}

export interface NormalizedSignal {
  /** Stable within the source: the same item polled twice has the same id (the dedupe key). */
  externalId: string;
  signalType: SignalType;
  /** Component, product or provider service name, when the feed names one. */
  service: string | null;
  /** Provider region code (`us-east-1`, `East US 2`, `global`), when the feed names one. */
  region: string | null;
  level: SignalLevel;
  lifecycle: SignalLifecycle | null;
  title: string;
  detail: string | null;
  /** UTC ISO-8601. */
  startedAt: string | null;
  updatedAt: string | null;
  resolvedAt: string | null;
  scheduledFor: string | null;
  scheduledUntil: string | null;
  score: SignalScore | null;
  url: string | null;
  /** As-of date for financial signals (period end or filing date), UTC ISO date. */
  asOf?: string | null;
  /**
   * When the provider announced a scheduled maintenance (Statuspage: the maintenance's
   * `created_at`), UTC ISO-8601. Set only when the feed says; SLA maintenance exclusions use it.
   */
  announcedAt?: string | null;
  /**
   * Which fetched body (and where in it) this signal was read from; the host completes and stores it
   * (see `provenance.ts`). Not part of the signal's state: it never changes the content hash.
   */
  rawRef?: RawRefHint | null;
}

/** Normalizes any parseable timestamp to UTC ISO-8601, or null. */
export function toIso(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const d = typeof value === 'number' ? new Date(value) : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Epoch seconds or milliseconds (by magnitude) to UTC ISO-8601. */
export function epochToIso(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return null;
  return new Date(n > 1e12 ? n : n * 1000).toISOString();
}

/** A signal with every optional field empty; plugins spread their values over it. */
export function signal(
  partial: Pick<NormalizedSignal, 'externalId' | 'signalType' | 'level' | 'title'> & Partial<NormalizedSignal>,
): NormalizedSignal {
  return {
    service: null,
    region: null,
    lifecycle: null,
    detail: null,
    startedAt: null,
    updatedAt: null,
    resolvedAt: null,
    scheduledFor: null,
    scheduledUntil: null,
    score: null,
    url: null,
    ...partial,
  };
}

/** The one signal a source reports when a poll fails (its feed could not be read or parsed): `unknown`, never `operational`. */
export function unknownSignal(reason: string, at: Date): NormalizedSignal {
  return signal({
    externalId: 'source-status',
    signalType: 'source_status',
    level: 'unknown',
    lifecycle: 'open',
    title: 'Feed could not be read',
    detail: reason.slice(0, 2000),
    updatedAt: at.toISOString(),
  });
}
