import type { EntityManager } from 'typeorm';

import type { SignalLevelValue } from '@bulwark/api-schema';
import { Invalid } from '@bulwark/platform';
import { FINANCIAL_SIGNAL_TYPES } from '@bulwark/plugin-sdk';

/**
 * A vendor's health rollup computed in the database, so that its cost and its answer stay bounded
 * however many signals its sources recorded: the rules of `rollup.ts` and `counts` as SQL over
 * `signals s`, aggregated (per service and level) or paged (worst first), never loaded whole.
 */

/** Open: not resolved, not a closed lifecycle, not a maintenance whose window has passed (as `isOpen`). */
export const OPEN_SQL = `s.resolved_at IS NULL AND coalesce(s.lifecycle, '') NOT IN ('resolved', 'completed')
  AND NOT (s.level = 'maintenance' AND s.scheduled_until IS NOT NULL AND s.scheduled_until < now())`;

/** `rollupRank` in SQL: the severity, `unknown` between info (1) and degraded (2), anything else last. */
export const RANK_SQL = `(CASE WHEN s.severity IS NOT NULL THEN s.severity::float8 WHEN s.level = 'unknown' THEN 1.5 ELSE -1 END)`;

/** A source's "could not read the feed" marker (`isFailedParseMarker`). */
const MARKER_SQL = `(s.signal_type = 'source_status' AND s.level = 'unknown')`;

export interface ServiceInUse {
  id: string;
  name: string;
  regions: string[];
  inUse: boolean;
}

/**
 * Does a signal count for the vendor rollup? Only signals of services the organization uses (a
 * dependency points at them) and, when both name regions, of the regions in use. A vendor with no
 * recorded dependency counts everything (we cannot tell what is in use).
 */
export function counts(s: { serviceId: string | null; region: string | null }, services: ServiceInUse[]): boolean {
  const used = services.filter((x) => x.inUse);
  if (!used.length) return true;
  const relevant = s.serviceId ? used.filter((x) => x.id === s.serviceId) : used;
  if (!relevant.length) return false;
  if (!s.region) return true;
  const regions = s.region.split(',').map((r) => r.trim().toLowerCase());
  if (regions.includes('global')) return true;
  const wanted = relevant.flatMap((x) => x.regions.map((r) => r.toLowerCase()));
  return !wanted.length || regions.some((r) => wanted.includes(r));
}

/** Worse first: by rank, then maintenance before operational (equal rank, but it says more). */
function worse(a: { level: SignalLevelValue; rank: number }, b: { level: SignalLevelValue; rank: number }): boolean {
  return a.rank > b.rank || (a.rank === b.rank && a.level === 'maintenance' && b.level !== 'maintenance');
}

const rankOf = (level: SignalLevelValue, severity: number | null) => (severity !== null ? severity : level === 'unknown' ? 1.5 : -1);

/** A position in the worst-first order of open signals: after (rank, id). */
interface Cursor {
  rank: number;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.rank, c.id])).toString('base64url');
}

export function decodeCursor(raw: string): Cursor {
  try {
    const [rank, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof rank === 'number' && Number.isFinite(rank) && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) return { rank, id };
  } catch {
    // falls through to the 422
  }
  throw new Invalid('signal.bad_cursor', 'Not a cursor of this list', [
    { path: 'cursor', message: 'must be the nextCursor of a previous page' },
  ]);
}

/**
 * One vendor's open health signals that count for its rollup, as SQL: which (service, region) pairs
 * count (decided in TypeScript by `counts`, over the distinct pairs, which are few), and which sources
 * speak only through their `unknown` marker (a failed poll: their other rows are what they said before).
 */
export class VendorRollup {
  /** $1 organization, $2 vendor, $3 financial types, $4/$5 the counted (service, region) pairs, $6 the blind sources. */
  private readonly params: unknown[];

  private constructor(
    private readonly m: EntityManager,
    organizationId: string,
    vendorId: string,
    pairs: { serviceId: string | null; region: string | null }[],
    blind: string[],
    /** Every open signal's (service, region) counts: no need to match the pairs. */
    private readonly all: boolean,
  ) {
    this.params = [organizationId, vendorId, FINANCIAL_SIGNAL_TYPES, pairs.map((p) => p.serviceId), pairs.map((p) => p.region), blind];
  }

  static async of(m: EntityManager, organizationId: string, vendorId: string, services: ServiceInUse[]): Promise<VendorRollup> {
    const base = `s.organization_id = $1 AND s.vendor_id = $2 AND s.signal_type <> ALL($3::text[]) AND ${OPEN_SQL}`;
    const open = (
      (await m.query(`SELECT DISTINCT s.service_id, s.region FROM signals s WHERE ${base}`, [
        organizationId,
        vendorId,
        FINANCIAL_SIGNAL_TYPES,
      ])) as { service_id: string | null; region: string | null }[]
    ).map((r) => ({ serviceId: r.service_id, region: r.region }));
    const pairs = open.filter((p) => counts(p, services));
    const all = pairs.length === open.length;
    const scope = new VendorRollup(m, organizationId, vendorId, pairs, [], all);
    const blind = (
      await scope.select<{ source_id: string }>(`SELECT DISTINCT s.source_id FROM signals s WHERE ${scope.counted} AND ${MARKER_SQL}`)
    )
      .map((r) => r.source_id)
      .filter(Boolean);
    return new VendorRollup(m, organizationId, vendorId, pairs, blind, all);
  }

  /** Open health signals on the services and regions in use. */
  get counted(): string {
    const base = `s.organization_id = $1 AND s.vendor_id = $2 AND s.signal_type <> ALL($3::text[]) AND ${OPEN_SQL}`;
    // Every open signal's (service, region) counts (the usual case): no need to match the pairs.
    if (this.all) return base;
    return `${base}
      AND EXISTS (SELECT 1 FROM unnest($4::uuid[], $5::text[]) AS k(service_id, region)
                   WHERE k.service_id IS NOT DISTINCT FROM s.service_id AND k.region IS NOT DISTINCT FROM s.region)`;
  }

  /** Of those, the ones that speak for the present (`currentSignals`): a blind source's marker only. */
  get current(): string {
    return `${this.counted} AND (s.source_id IS NULL OR s.source_id <> ALL($6::uuid[]) OR ${MARKER_SQL})`;
  }

  /**
   * Runs a query over the scope's parameters ($1…$6) and `extra` ($7…), passing only those it uses
   * (renumbered: PostgreSQL must be able to type every parameter it is given).
   */
  private select<T>(sql: string, extra: unknown[] = []): Promise<T[]> {
    const all = [...this.params, ...extra];
    const used = [...new Set([...sql.matchAll(/\$(\d+)/g)].map((x) => Number(x[1])))].sort((a, b) => a - b);
    const renumbered = new Map(used.map((n, i) => [n, i + 1]));
    const text = sql.replace(/\$(\d+)/g, (_, n: string) => `$${renumbered.get(Number(n))}`);
    return this.m.query(
      text,
      used.map((n) => all[n - 1]),
    ) as Promise<T[]>;
  }

  /** The worst current level per service (null: vendor-wide) with the number of current signals, and the vendor's worst. */
  async levels(): Promise<{
    vendor: { level: SignalLevelValue; severity: number | null } | null;
    services: Map<string | null, { level: SignalLevelValue; count: number }>;
  }> {
    const rows = await this.select<{ service_id: string | null; level: SignalLevelValue; severity: number | null; n: number }>(
      `SELECT s.service_id, s.level, s.severity, count(*)::int AS n FROM signals s WHERE ${this.current} GROUP BY 1, 2, 3`,
    );
    let vendor: { level: SignalLevelValue; severity: number | null; rank: number } | null = null;
    const services = new Map<string | null, { level: SignalLevelValue; count: number; rank: number }>();
    for (const r of rows) {
      const cur = { level: r.level, severity: r.severity, rank: rankOf(r.level, r.severity) };
      if (!vendor || worse(cur, vendor)) vendor = cur;
      const svc = services.get(r.service_id);
      if (!svc) services.set(r.service_id, { level: r.level, rank: cur.rank, count: r.n });
      else {
        svc.count += r.n;
        if (worse(cur, svc)) Object.assign(svc, { level: r.level, rank: cur.rank });
      }
    }
    return { vendor: vendor && { level: vendor.level, severity: vendor.severity }, services };
  }

  /** The open signals on the services in use, counted by level. */
  async openByLevel(): Promise<{ level: SignalLevelValue; count: number }[]> {
    const rows = await this.select<{ level: SignalLevelValue; n: number }>(
      `SELECT s.level, count(*)::int AS n FROM signals s WHERE ${this.counted} GROUP BY 1 ORDER BY 2 DESC, 1`,
    );
    return rows.map((r) => ({ level: r.level, count: r.n }));
  }

  /** One page of the open signals on the services in use, worst first (ties by id), after `cursor`. */
  async page(limit: number, cursor: Cursor | null): Promise<{ ids: string[]; next: string | null }> {
    const after = cursor ? `AND (${RANK_SQL} < $7 OR (${RANK_SQL} = $7 AND s.id > $8::uuid))` : '';
    const rows = await this.select<{ id: string; rank: number }>(
      `SELECT s.id, ${RANK_SQL} AS rank FROM signals s WHERE ${this.counted} ${after} ORDER BY 2 DESC, s.id LIMIT ${limit + 1}`,
      cursor ? [cursor.rank, cursor.id] : [],
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      ids: page.map((r) => r.id),
      next: rows.length > limit && last ? encodeCursor({ rank: Number(last.rank), id: last.id }) : null,
    };
  }

  /**
   * What makes a vendor "degraded now": its current signals at degraded or worse, or unknown: how many,
   * the worst one, and the services they are on (null among them: vendor-wide).
   */
  async degraded(): Promise<{ count: number; worstId: string | null; serviceIds: (string | null)[] }> {
    const relevant = `${this.current} AND (s.severity >= 2 OR s.level = 'unknown')`;
    const [agg] = await this.select<{ n: number; service_ids: (string | null)[] | null }>(
      `SELECT count(*)::int AS n, array_agg(DISTINCT s.service_id::text) AS service_ids FROM signals s WHERE ${relevant}`,
    );
    if (!agg || agg.n === 0) return { count: 0, worstId: null, serviceIds: [] };
    const [worst] = await this.select<{ id: string }>(
      `SELECT s.id FROM signals s WHERE ${relevant} ORDER BY ${RANK_SQL} DESC, s.id LIMIT 1`,
    );
    return { count: agg.n, worstId: worst?.id ?? null, serviceIds: agg.service_ids ?? [] };
  }
}
