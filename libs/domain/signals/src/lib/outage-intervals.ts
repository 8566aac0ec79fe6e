import type { EntityManager } from 'typeorm';

import type { SignalLevel } from '@bulwark/plugin-sdk';

/**
 * When a maintenance was announced, as SQL over `signals s`: the single place that decides it. It is
 * the provider's own announcement time (`announced_at`, e.g. a Statuspage maintenance's `created_at`),
 * so a source added late or a backfill does not turn a properly announced maintenance into downtime;
 * for feeds that do not say, the time Bulwark first saw the signal.
 */
export const MAINTENANCE_ANNOUNCED_AT = 'coalesce(s.announced_at, s.first_seen_at)';

/** One span of a service in a non-operational state, as recorded by the signals. */
export interface OutageInterval {
  /** The signal it was read from, and its service. */
  signalId: string;
  serviceId: string;
  title: string | null;
  level: Extract<SignalLevel, 'major_outage' | 'partial_outage' | 'degraded' | 'maintenance'>;
  start: Date;
  /** Null while it lasts. */
  end: Date | null;
  /** For an announced maintenance: when the provider announced it; null otherwise. */
  announcedAt: Date | null;
  component: string | null;
  region: string | null;
}

/**
 * The outage and maintenance intervals recorded for the given services that overlap [from, to): the
 * one reading of the signals tables for everything measured against them (SLA attainment today,
 * vendor incidents next). Incidents and maintenance carry their own start and end. A component's
 * status has neither: its history (`signal_changes`, plus the row's current state) is a sequence of
 * states, each lasting from its state time until the next state's (the latest until now), so a
 * recovered component keeps its past outage and a down one counts from when it went down. Of two
 * states at the same time the ingestion's winner is kept (the greatest content hash, as `ingestSignals`
 * decides it); a component the feed stopped listing is resolved at that time.
 */
export async function outageIntervals(
  m: EntityManager,
  organizationId: string,
  serviceIds: string[],
  from: number,
  to: number,
): Promise<OutageInterval[]> {
  type Row = {
    signal_id: string;
    service_id: string;
    title: string | null;
    level: OutageInterval['level'];
    start: Date;
    end: Date | null;
    announced_at: Date | null;
    component: string | null;
    region: string | null;
  };
  const events: Row[] = await m.query(
    `SELECT s.id AS signal_id, s.service_id, s.title, s.level,
            CASE WHEN s.level = 'maintenance' THEN coalesce(s.scheduled_for, s.started_at, s.provider_updated_at) ELSE coalesce(s.started_at, s.provider_updated_at) END AS start,
            CASE WHEN s.level = 'maintenance' THEN coalesce(s.scheduled_until, s.resolved_at) ELSE s.resolved_at END AS "end",
            ${MAINTENANCE_ANNOUNCED_AT} AS announced_at, s.component, s.region
       FROM signals s
      WHERE s.organization_id = $1 AND s.service_id = ANY($2::uuid[])
        AND s.level IN ('major_outage', 'partial_outage', 'degraded', 'maintenance')
        AND s.signal_type IN ('service_incident', 'maintenance')
        AND coalesce(s.scheduled_for, s.started_at, s.provider_updated_at) < $4
        AND coalesce(s.scheduled_until, s.resolved_at, 'infinity'::timestamptz) > $3`,
    [organizationId, serviceIds, new Date(from), new Date(to)],
  );
  const states: Row[] = await m.query(
    `WITH observed AS (
       SELECT c.signal_id, c.provider_updated_at AS at, c.level, c.lifecycle, c.content_hash
         FROM signal_changes c JOIN signals s ON s.id = c.signal_id
        WHERE s.organization_id = $1 AND s.service_id = ANY($2::uuid[]) AND s.signal_type = 'component_status'
       UNION
       SELECT s.id, s.provider_updated_at, s.level, s.lifecycle, s.content_hash
         FROM signals s
        WHERE s.organization_id = $1 AND s.service_id = ANY($2::uuid[]) AND s.signal_type = 'component_status' AND s.provider_updated_at IS NOT NULL
     ), latest AS (
       SELECT DISTINCT ON (signal_id, at) signal_id, at, level, lifecycle FROM observed ORDER BY signal_id, at, content_hash COLLATE "C" DESC
     ), spans AS (
       SELECT signal_id, level, lifecycle, at AS start, lead(at) OVER (PARTITION BY signal_id ORDER BY at) AS "end" FROM latest
     )
     SELECT s.id AS signal_id, s.service_id, s.title, sp.level, sp.start, sp."end", NULL::timestamptz AS announced_at, s.component, s.region
       FROM spans sp JOIN signals s ON s.id = sp.signal_id
      WHERE sp.level IN ('major_outage', 'partial_outage', 'degraded', 'maintenance')
        -- A component the feed stopped listing is resolved at that time (its level is left as it was).
        AND coalesce(sp.lifecycle, '') NOT IN ('resolved', 'completed')
        AND sp.start < $4 AND coalesce(sp."end", 'infinity'::timestamptz) > $3`,
    [organizationId, serviceIds, new Date(from), new Date(to)],
  );
  return [...events, ...states].map((r) => ({
    signalId: r.signal_id,
    serviceId: r.service_id,
    title: r.title,
    level: r.level,
    start: r.start,
    end: r.end,
    announcedAt: r.announced_at,
    component: r.component,
    region: r.region,
  }));
}
