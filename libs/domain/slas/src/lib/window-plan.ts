import { DateTime } from 'luxon';

import type { SlaTerms } from '@bulwark/api-schema';

import { windowsBetween, type AttainmentRules } from './attainment.js';
import { inForce } from './sla-versions.js';
import type { SlaVersion } from './sla.entities.js';

/** The engine's rules for a version's terms. */
export function rulesOf(terms: SlaTerms): AttainmentRules {
  return {
    timeZone: terms.timeZone,
    window: terms.window,
    targetPercent: terms.availabilityTarget,
    weights: { major_outage: 1, partial_outage: terms.weights.partialOutage, degraded: terms.weights.degraded },
    maintenanceNoticeHours: terms.maintenanceNoticeHours,
    unannouncedMaintenanceWeight: 1,
    credits: terms.credits,
    creditCapPercent: terms.creditCapPercent,
  };
}

/**
 * Whether a signal's component (or region) is in an SLA scope that lists `wanted` ones. With none
 * listed, everything counts. With some listed, a signal counts only if it names one of them (a
 * comma-separated list counts if any matches; `anywhere`, e.g. `global` for regions, matches all).
 * A signal that names none (a page-level rollup, an incident that does not say what it touches) is
 * not known to affect the listed ones, so it does not count.
 */
export function inScope(value: string | null, wanted: string[], anywhere?: string): boolean {
  if (!wanted.length) return true;
  if (!value) return false;
  const want = wanted.map((w) => w.toLowerCase());
  return value
    .toLowerCase()
    .split(/,\s*/)
    .some((v) => v === anywhere || want.includes(v));
}

export interface PlannedWindow<V> {
  label: string;
  start: number;
  end: number;
  /** The window's start, or the SLA's when it takes effect inside the window. */
  measuredFrom: number;
  slaStart: number;
  open: boolean;
  version: V;
}

/**
 * The windows from..to (`YYYY-MM`) an SLA is judged in, each with the version it is judged under, without
 * reading any signal: windows are the latest version's (months or quarters in its time zone); each is judged
 * under the version in force at its start, and in the window where the SLA takes effect under its first
 * version, measured from the effective day on. Windows that have not started by `now` are left out.
 * `versions` in the order of `sortVersions`.
 */
export function windowPlan<V extends Pick<SlaVersion, 'effectiveFrom' | 'version' | 'terms'>>(
  versions: V[],
  from: string,
  to: string,
  now: number,
): PlannedWindow<V>[] {
  const latest = versions[versions.length - 1]!;
  const first = versions[0]!;
  // The SLA exists from the start of its first version's effective day (in its time zone).
  const slaStart = DateTime.fromISO(first.effectiveFrom, { zone: first.terms.timeZone }).toMillis();
  const out: PlannedWindow<V>[] = [];
  for (const w of windowsBetween(from, to, rulesOf(latest.terms))) {
    const version = inForce(versions, new Date(w.start)).current ?? (slaStart < w.end ? first : undefined);
    if (!version || w.start >= now) continue;
    const measuredFrom = Math.max(w.start, slaStart);
    if (!(measuredFrom < now && measuredFrom < w.end)) continue;
    out.push({ ...w, measuredFrom, slaStart, open: w.end > now, version });
  }
  return out;
}

/** `2026-Q2` → `2026-04` (the engine takes months and widens them to quarters). */
export function labelToMonth(label: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(label);
  return q ? `${q[1]}-${String((Number(q[2]) - 1) * 3 + 1).padStart(2, '0')}` : label;
}
