import type { Criticality, MonitoringState, SignalSourceView } from '@bulwark/api-schema';

import { STALE_AFTER_PERIODS } from './source-status.js';

/**
 * Whether anything watches a vendor or a service: the `monitoring` state next to every rollup level,
 * so that a null level (nothing counts) is never taken for "operational" when nothing is watched.
 */

/** What the monitoring state needs of a source (as `SignalSourceView` shows it: `status` is the shown status). */
export type MonitoringSource = Pick<
  SignalSourceView,
  'serviceId' | 'enabled' | 'status' | 'consecutiveFailures' | 'lastPollAt' | 'scheduleSeconds'
>;

/** Best first: one source that reads its feed is enough for "monitored"; failing says more than stale. */
const ORDER: readonly MonitoringState[] = ['monitored', 'pending', 'failing', 'stale', 'not_monitored'];

/** The best of some states (`not_monitored` for none). */
export function bestMonitoring(states: Iterable<MonitoringState>): MonitoringState {
  let best: MonitoringState = 'not_monitored';
  for (const s of states) if (ORDER.indexOf(s) < ORDER.indexOf(best)) best = s;
  return best;
}

/**
 * What one source contributes, or null when it watches nothing (disabled). A failed latest poll is
 * `failing` while polls still run (the last one within `STALE_AFTER_PERIODS` schedule periods), even
 * when no poll has succeeded for longer (the source's own status then reads `stale`); a source with no
 * successful read for that long and no failing poll is `stale`: nothing polls it.
 */
export function sourceMonitoring(s: MonitoringSource, now = new Date()): MonitoringState | null {
  if (!s.enabled || s.status === 'disabled') return null;
  if (s.status === 'invalid_config' || s.status === 'failing') return 'failing';
  if (s.status === 'stale') {
    const polledRecently = !!s.lastPollAt && now.getTime() - Date.parse(s.lastPollAt) <= STALE_AFTER_PERIODS * s.scheduleSeconds * 1000;
    return s.consecutiveFailures > 0 && polledRecently ? 'failing' : 'stale';
  }
  return s.status === 'pending' ? 'pending' : 'monitored';
}

/**
 * A service's state: the best of the sources covering it, its own and the vendor-wide ones. With a null
 * `serviceId`, the vendor-wide row: the vendor-wide sources only.
 */
export function serviceMonitoring(serviceId: string | null, sources: MonitoringSource[], now = new Date()): MonitoringState {
  return bestMonitoring(
    sources
      .filter((s) => s.serviceId === null || s.serviceId === serviceId)
      .map((s) => sourceMonitoring(s, now))
      .filter((x): x is MonitoringState => x !== null),
  );
}

/**
 * The vendor's state, over what its rollup covers: the best of its vendor-wide sources and of those on
 * a service in use (any of its services when none is in use, as the rollup counts everything then).
 */
export function vendorMonitoring(
  services: { id: string; inUse: boolean }[],
  sources: MonitoringSource[],
  now = new Date(),
): MonitoringState {
  const used = services.some((s) => s.inUse) ? new Set(services.filter((s) => s.inUse).map((s) => s.id)) : null;
  return bestMonitoring(
    sources
      .filter((s) => s.serviceId === null || !used || used.has(s.serviceId))
      .map((s) => sourceMonitoring(s, now))
      .filter((x): x is MonitoringState => x !== null),
  );
}

const CRITICALITY_RANK: Record<Criticality, number> = { critical: 3, high: 2, medium: 1, low: 0 };

/** The higher of two criticalities. */
export function higherCriticality(a: Criticality, b: Criticality): Criticality {
  return CRITICALITY_RANK[a] >= CRITICALITY_RANK[b] ? a : b;
}

/** A dependency that must be watched: it, or the system relying on it, is critical or high. */
export function mustBeWatched(d: { criticality: Criticality; systemCriticality: Criticality }): boolean {
  return CRITICALITY_RANK[higherCriticality(d.criticality, d.systemCriticality)] >= CRITICALITY_RANK.high;
}
