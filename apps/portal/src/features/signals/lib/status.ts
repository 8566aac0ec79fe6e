import type { MonitoringState, SignalLevelValue } from '@bulwark/api-schema';

/** What a vendor's or service's status shows: a level badge, a monitoring badge, or both. */
export interface StatusParts {
  level: SignalLevelValue | null;
  monitoring: MonitoringState | null;
}

/**
 * The badges of a status. "Operational" (green) only when a working source watches it: for a
 * `monitored` vendor or service, no open signal means its sources read their feeds and report nothing
 * wrong. Otherwise the monitoring state is shown, and the last known level beside it only when it says
 * something is wrong (an old "operational" row of a stale source says nothing about now; a failing
 * source's `unknown` marker is what "Failing" already says). A null level is never drawn as green.
 */
export function statusParts(level: SignalLevelValue | null, monitoring: MonitoringState): StatusParts {
  if (monitoring === 'monitored') return { level: level ?? 'operational', monitoring: null };
  const telling = level !== null && level !== 'operational' && !(level === 'unknown' && monitoring === 'failing');
  return { level: telling ? level : null, monitoring };
}

/** How many vendors are in each monitoring state. */
export function monitoringCounts(items: readonly { monitoring: MonitoringState }[]): Record<MonitoringState, number> {
  const out: Record<MonitoringState, number> = { monitored: 0, pending: 0, failing: 0, stale: 0, not_monitored: 0 };
  for (const i of items) out[i.monitoring] += 1;
  return out;
}
