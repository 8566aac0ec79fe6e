import { DateTime } from 'luxon';

import type { SlaVersion } from './sla.entities.js';

/** An SLA's versions in the order they apply: by effective date, then version. */
export function sortVersions<V extends Pick<SlaVersion, 'effectiveFrom' | 'version'>>(versions: V[]): V[] {
  return [...versions].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || a.version - b.version);
}

/** What the in-force rule needs of a version, whether it is an entity or a row read with SQL. */
export interface DatedVersion {
  effectiveFrom: string;
  version: number;
  terms: { timeZone?: string };
}

/**
 * Which version of one SLA is in force at `now`, and which takes effect next: the one notion of "in force"
 * for every screen and the API. A version is in force from the start of its effective day in the SLA's
 * time zone (the latest version's) until the next version's; of two with the same day, the later version.
 * `versions` in the order of `sortVersions`.
 */
export function inForce<V extends DatedVersion>(versions: V[], now: Date): { current: V | null; next: V | null } {
  const today = todayIn(versions[versions.length - 1]?.terms.timeZone, now);
  return {
    current: [...versions].reverse().find((v) => v.effectiveFrom <= today) ?? null,
    next: versions.find((v) => v.effectiveFrom > today) ?? null,
  };
}

/** The calendar date (`YYYY-MM-DD`) at `now` in an SLA's time zone (UTC when it names none). */
export function todayIn(zone: string | undefined, now: Date): string {
  return DateTime.fromJSDate(now, { zone: zone ?? 'UTC' }).toISODate() ?? now.toISOString().slice(0, 10);
}
