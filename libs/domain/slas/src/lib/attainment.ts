import { DateTime } from 'luxon';

import { MAX_ATTAINMENT_WINDOWS, type WindowAttainment } from '@bulwark/api-schema';

/**
 * SLA attainment: pure functions, property-tested. Times are epoch milliseconds; intervals are
 * half-open [start, end). Windows are calendar months or quarters in the SLA's time zone, so a
 * window's length follows daylight-saving changes (March in New York is 743 hours).
 */

export type OutageLevel = 'major_outage' | 'partial_outage' | 'degraded' | 'maintenance';

export interface SignalInterval {
  start: number;
  /** null while open: counts until `now`. */
  end: number | null;
  level: OutageLevel;
  /** For maintenance: when it was announced (first known). Null = unknown, treated as unannounced. */
  announcedAt?: number | null;
}

export interface CreditTier {
  /** Availability strictly below this percentage earns `creditPercent`. */
  belowPercent: number;
  creditPercent: number;
}

export interface AttainmentRules {
  timeZone: string;
  window: 'month' | 'quarter';
  targetPercent: number;
  /** Weight of each level in downtime (major outage counts fully). */
  weights: { major_outage: number; partial_outage: number; degraded: number };
  /** Maintenance announced at least this many hours ahead is excluded; later, it counts as downtime. */
  maintenanceNoticeHours: number;
  /** Weight of maintenance that was not announced early enough. */
  unannouncedMaintenanceWeight: number;
  credits: CreditTier[];
  creditCapPercent: number;
}

export const DEFAULT_WEIGHTS = { major_outage: 1, partial_outage: 0.5, degraded: 0 } as const;

/** At most this many windows per call of `windowsBetween` (the API answers 422 beyond it). */
export const MAX_WINDOWS = MAX_ATTAINMENT_WINDOWS;

/** How many windows (months or quarters) the `YYYY-MM` labels from..to span, inclusive; 0 when from > to. */
export function windowCount(fromLabel: string, toLabel: string, window: 'month' | 'quarter'): number {
  const index = (label: string) => {
    const m = /^(\d{4})-(\d{2})$/.exec(label);
    if (!m) throw new RangeError(`Not a YYYY-MM month: ${label}`);
    const month = Number(m[1]) * 12 + Number(m[2]) - 1;
    return window === 'quarter' ? Math.floor(month / 3) : month;
  };
  return Math.max(0, index(toLabel) - index(fromLabel) + 1);
}

/** The label and bounds of every window overlapping [from, to], in the rules' time zone. */
export function windowsBetween(
  fromLabel: string,
  toLabel: string,
  rules: Pick<AttainmentRules, 'timeZone' | 'window'>,
): { label: string; start: number; end: number }[] {
  const first = windowStart(fromLabel, rules);
  const last = windowStart(toLabel, rules);
  const out: { label: string; start: number; end: number }[] = [];
  const step = rules.window === 'month' ? { months: 1 } : { months: 3 };
  for (let cur = first; cur <= last; cur = cur.plus(step)) {
    out.push({ label: labelOf(cur, rules.window), start: cur.toMillis(), end: cur.plus(step).toMillis() });
    if (out.length > MAX_WINDOWS) throw new RangeError(`At most ${MAX_WINDOWS} windows per request`);
  }
  return out;
}

/** `YYYY-MM` → the start of that month (or of its quarter) in the zone. */
function windowStart(label: string, rules: Pick<AttainmentRules, 'timeZone' | 'window'>): DateTime {
  const m = /^(\d{4})-(\d{2})$/.exec(label);
  if (!m) throw new Error(`Not a YYYY-MM month: ${label}`);
  const month = Number(m[2]);
  if (month < 1 || month > 12) throw new Error(`Not a month: ${label}`);
  const start = DateTime.fromObject(
    { year: Number(m[1]), month: rules.window === 'quarter' ? Math.floor((month - 1) / 3) * 3 + 1 : month, day: 1 },
    { zone: rules.timeZone },
  );
  if (!start.isValid) throw new Error(`Unknown time zone ${rules.timeZone}`);
  return start;
}

function labelOf(start: DateTime, window: 'month' | 'quarter'): string {
  return window === 'month' ? start.toFormat('yyyy-MM') : `${start.year}-Q${Math.floor((start.month - 1) / 3) + 1}`;
}

interface Weighted {
  start: number;
  end: number;
  weight: number;
  /** Qualifying maintenance: time inside it is excluded. */
  excluded: boolean;
}

function weighted(iv: SignalInterval, rules: AttainmentRules, now: number): Weighted | null {
  const end = Math.min(iv.end ?? now, now);
  if (!(end > iv.start)) return null;
  if (iv.level === 'maintenance') {
    const early =
      iv.announcedAt !== null && iv.announcedAt !== undefined && iv.start - iv.announcedAt >= rules.maintenanceNoticeHours * 3600_000;
    return early
      ? { start: iv.start, end, weight: 0, excluded: true }
      : { start: iv.start, end, weight: rules.unannouncedMaintenanceWeight, excluded: false };
  }
  return { start: iv.start, end, weight: rules.weights[iv.level], excluded: false };
}

/**
 * Weighted downtime and excluded time inside [from, to). At every instant the heaviest active
 * outage counts (overlaps once); inside qualifying maintenance nothing counts, and what would have
 * counted without the exclusion is reported as excluded.
 */
export function downtimeIn(
  intervals: SignalInterval[],
  from: number,
  to: number,
  rules: AttainmentRules,
  now: number,
): { downtimeMs: number; excludedMs: number } {
  const items = intervals.map((iv) => weighted(iv, rules, now)).filter((w): w is Weighted => !!w && w.end > from && w.start < to);
  if (!items.length) return { downtimeMs: 0, excludedMs: 0 };
  const points = [...new Set([from, to, ...items.flatMap((w) => [Math.max(w.start, from), Math.min(w.end, to)])])].sort((a, b) => a - b);
  let downtimeMs = 0;
  let excludedMs = 0;
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    let weight = 0;
    let excluded = false;
    for (const w of items) {
      if (w.start <= a && w.end >= b) {
        if (w.excluded) excluded = true;
        else if (w.weight > weight) weight = w.weight;
      }
    }
    // Inside qualifying maintenance nothing counts; what is excluded is what would have counted:
    // the maintenance itself (as unannounced maintenance would) or a heavier outage during it.
    if (excluded) excludedMs += Math.max(weight, rules.unannouncedMaintenanceWeight) * (b - a);
    else downtimeMs += weight * (b - a);
  }
  return { downtimeMs, excludedMs };
}

/** What one interval contributes to a window: its time inside it, its weight, and the downtime it counted. */
export interface Contribution {
  overlapMs: number;
  weight: number;
  excluded: boolean;
  countedMs: number;
}

/**
 * `downtimeIn`, told per interval (same order as `intervals`): at every instant the heaviest active outage
 * counts (the first listed of equal weight), so the counted times add up to the window's downtime; time inside
 * qualifying maintenance counts for none.
 */
export function contributions(intervals: SignalInterval[], from: number, to: number, rules: AttainmentRules, now: number): Contribution[] {
  const items = intervals.map((iv) => weighted(iv, rules, now));
  const out: Contribution[] = intervals.map((iv, i) => {
    const w = items[i];
    const weight = iv.level === 'maintenance' ? (w?.excluded ? 0 : rules.unannouncedMaintenanceWeight) : rules.weights[iv.level];
    const overlapMs = w ? Math.max(0, Math.min(w.end, to) - Math.max(w.start, from)) : 0;
    return { overlapMs, weight, excluded: !!w?.excluded, countedMs: 0 };
  });
  const inside = items.map((w, i) => ({ w, i })).filter((x): x is { w: Weighted; i: number } => !!x.w && x.w.end > from && x.w.start < to);
  const points = [...new Set([from, to, ...inside.flatMap(({ w }) => [Math.max(w.start, from), Math.min(w.end, to)])])].sort(
    (a, b) => a - b,
  );
  for (let k = 0; k < points.length - 1; k++) {
    const a = points[k]!;
    const b = points[k + 1]!;
    const active = inside.filter(({ w }) => w.start <= a && w.end >= b);
    if (active.some(({ w }) => w.excluded)) continue;
    let best: { w: Weighted; i: number } | undefined;
    for (const x of active) if (x.w.weight > (best?.w.weight ?? 0)) best = x;
    if (best) out[best.i]!.countedMs += best.w.weight * (b - a);
  }
  return out;
}

/**
 * `availability` strictly below `percent`, judged on the exact (unrounded) figure. The tolerance only
 * absorbs floating-point noise (1e-9 percentage points), far below any figure a window can produce.
 */
export function isBelow(availability: number, percent: number): boolean {
  return availability < percent - 1e-9;
}

/** The credit earned at an availability: pass the exact figure, not the rounded one shown. */
export function creditFor(availability: number, rules: Pick<AttainmentRules, 'credits' | 'creditCapPercent'>): number {
  const earned = rules.credits.filter((t) => isBelow(availability, t.belowPercent)).reduce((m, t) => Math.max(m, t.creditPercent), 0);
  return Math.min(earned, rules.creditCapPercent);
}

const round = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;

/**
 * Attainment per window from `from` to `to` (YYYY-MM labels, inclusive). Windows that have not started are
 * left out. With `notBefore` (the SLA's effective start), a window that contains it is measured from there
 * (`partial`), and windows that end before it are left out.
 */
export function attainment(
  intervals: SignalInterval[],
  rules: AttainmentRules,
  from: string,
  to: string,
  now: number,
  notBefore?: number,
): WindowAttainment[] {
  return windowsBetween(from, to, rules)
    .map((w) => ({ ...w, measuredFrom: notBefore === undefined ? w.start : Math.max(w.start, notBefore) }))
    .filter((w) => w.measuredFrom < now && w.measuredFrom < w.end)
    .map((w) => {
      const open = w.end > now;
      const end = open ? now : w.end;
      const { downtimeMs, excludedMs } = downtimeIn(intervals, w.measuredFrom, end, rules, now);
      const length = end - w.measuredFrom;
      // Judged on the exact figure; rounded only for display (99.89996 % misses a 99.9 % target).
      const exact = Math.min(100, Math.max(0, 100 * (1 - downtimeMs / length)));
      const below = isBelow(exact, rules.targetPercent);
      // An open window is provisional: it cannot breach yet, it is at risk of breaching.
      const breached = below && !open;
      return {
        window: w.label,
        start: new Date(w.measuredFrom).toISOString(),
        end: new Date(w.end).toISOString(),
        partial: w.measuredFrom > w.start,
        open,
        target: rules.targetPercent,
        availability: round(exact, 4),
        downtimeMinutes: round(downtimeMs / 60_000, 2),
        excludedMinutes: round(excludedMs / 60_000, 2),
        breached,
        atRisk: below && open,
        creditPercent: breached ? creditFor(exact, rules) : 0,
      };
    });
}
