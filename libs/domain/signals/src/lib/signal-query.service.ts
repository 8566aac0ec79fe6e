import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type {
  DegradedEntry,
  Input,
  Page,
  SignalChangeView,
  SignalDetailView,
  SignalLevelValue,
  signalListQuery,
  SignalView,
  VendorSignalSummary,
} from '@bulwark/api-schema';
import { Vendor } from '@bulwark/inventory';
import { findScoped, RequestContext, scoped } from '@bulwark/platform';
import { FINANCIAL_SIGNAL_TYPES, isFinancialSignalType } from '@bulwark/plugin-sdk';

import { currentSignals, rollupRank, worstSignal } from './rollup.js';
import { StoredSignal } from './signal.entity.js';
import { SignalSourceService } from './source.service.js';

export function signalView(s: StoredSignal): SignalView {
  return {
    id: s.id,
    sourceId: s.sourceId,
    vendorId: s.vendorId,
    serviceId: s.serviceId,
    externalId: s.externalId,
    signalType: s.signalType,
    component: s.component,
    region: s.region,
    level: s.level,
    severity: s.severity,
    lifecycle: s.lifecycle,
    title: s.title,
    detail: s.detail,
    startedAt: s.startedAt?.toISOString() ?? null,
    updatedAt: s.providerUpdatedAt?.toISOString() ?? null,
    resolvedAt: s.resolvedAt?.toISOString() ?? null,
    scheduledFor: s.scheduledFor?.toISOString() ?? null,
    scheduledUntil: s.scheduledUntil?.toISOString() ?? null,
    score: s.score,
    url: s.url,
    asOf: s.asOf,
    announcedAt: s.announcedAt?.toISOString() ?? null,
    rawRef: s.rawRef ?? null,
  };
}

const CLOSED = ['resolved', 'completed'];

/** Open = not resolved, and (for health signals) not a closed lifecycle, and not a past maintenance. */
export function isOpen(s: Pick<StoredSignal, 'resolvedAt' | 'lifecycle' | 'scheduledUntil' | 'level'>, now = new Date()): boolean {
  if (s.resolvedAt) return false;
  if (s.lifecycle && CLOSED.includes(s.lifecycle)) return false;
  if (s.level === 'maintenance' && s.scheduledUntil && s.scheduledUntil < now) return false;
  return true;
}

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
export function counts(s: Pick<StoredSignal, 'serviceId' | 'region'>, services: ServiceInUse[]): boolean {
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

/**
 * A vendor contact sees their signals and statuses, never a source's configuration or internal
 * errors, nor the raw evidence (its fetch URL names the source's endpoint; the bodies are internal).
 */
function forVendorContact(view: SignalView): SignalView {
  return { ...view, rawRef: null, ...(view.signalType === 'source_status' ? { detail: null } : {}) };
}

const contactView = () =>
  RequestContext.maybeActor()?.role === 'vendor_contact' ? (s: StoredSignal) => forVendorContact(signalView(s)) : signalView;

@Injectable()
export class SignalQueryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sources: SignalSourceService,
  ) {}

  async list(q: Input<typeof signalListQuery>): Promise<Page<SignalView>> {
    const qb = scoped(this.dataSource.manager, StoredSignal, 's');
    if (q.vendorId) qb.andWhere('s.vendorId = :v', { v: q.vendorId });
    if (q.sourceId) qb.andWhere('s.sourceId = :src', { src: q.sourceId });
    if (q.level) qb.andWhere('s.level = :l', { l: q.level });
    if (q.open === 'true') qb.andWhere(`s.resolvedAt IS NULL AND coalesce(s.lifecycle, '') NOT IN ('resolved', 'completed')`);
    if (q.open === 'false') qb.andWhere(`(s.resolvedAt IS NOT NULL OR s.lifecycle IN ('resolved', 'completed'))`);
    if (q.kind) qb.andWhere(`s.signalType ${q.kind === 'financial' ? 'IN' : 'NOT IN'} (:...ft)`, { ft: FINANCIAL_SIGNAL_TYPES });
    // A signal overlaps [from, to] when it started before `to` and had not ended before `from`; an
    // open signal has not ended, so it overlaps every range after its start.
    if (q.from)
      qb.andWhere(
        `((s.resolvedAt IS NULL AND coalesce(s.lifecycle, '') NOT IN ('resolved', 'completed')) OR coalesce(s.resolvedAt, s.scheduledUntil, s.providerUpdatedAt, s.startedAt) >= :from)`,
        { from: new Date(q.from) },
      );
    if (q.to)
      qb.andWhere('coalesce(s.startedAt, s.providerUpdatedAt) <= :to', {
        to: /^\d{4}-\d{2}-\d{2}$/.test(q.to) ? new Date(`${q.to}T23:59:59.999Z`) : new Date(q.to),
      });
    qb.orderBy('coalesce(s.startedAt, s.providerUpdatedAt)', 'DESC', 'NULLS LAST').addOrderBy('s.id');
    const [rows, total] = await qb
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize)
      .getManyAndCount();
    return { items: rows.map(signalView), total, page: q.page, pageSize: q.pageSize };
  }

  /** One signal within the caller's scope (organization; a vendor contact's own vendor), else 404. */
  async load(id: string): Promise<StoredSignal> {
    return findScoped(this.dataSource.manager, StoredSignal, id, 'signal');
  }

  async get(id: string): Promise<SignalDetailView> {
    const s = await this.load(id);
    return { ...contactView()(s), stateSince: (await this.statesSince(s.organizationId, [s])).get(s.id)?.toISOString() ?? null };
  }

  /**
   * When each signal's current level began: in its history (ordered as `history` orders it), the
   * earliest state of the last run of states with the current level. A new state at the same level
   * (a changed description, a new hash) does not restart it; a different level in between does.
   * One query for any number of signals; a signal with no recorded state is absent from the map.
   */
  private async statesSince(organizationId: string, signals: Pick<StoredSignal, 'id' | 'level'>[]): Promise<Map<string, Date>> {
    if (!signals.length) return new Map();
    const rows: { id: string; since: Date | null }[] = await this.dataSource.query(
      `WITH cur AS (SELECT * FROM unnest($2::uuid[], $3::text[]) AS t(id, level)),
       h AS (
         SELECT c.signal_id, c.provider_updated_at, c.level,
                row_number() OVER (PARTITION BY c.signal_id ORDER BY c.provider_updated_at, c.content_hash COLLATE "C", c.id) AS n
           FROM signal_changes c WHERE c.organization_id = $1 AND c.signal_id = ANY($2::uuid[]))
       SELECT cur.id, min(h.provider_updated_at) AS since
         FROM cur JOIN h ON h.signal_id = cur.id AND h.level = cur.level
        WHERE h.n > coalesce((SELECT max(x.n) FROM h x WHERE x.signal_id = cur.id AND x.level <> cur.level), 0)
        GROUP BY cur.id`,
      [organizationId, signals.map((x) => x.id), signals.map((x) => x.level)],
    );
    return new Map(rows.filter((r) => r.since).map((r) => [r.id, r.since!]));
  }

  /** The signal's recorded states, oldest first (by state time; ties as the ingestion orders them). */
  async history(id: string): Promise<SignalChangeView[]> {
    const s = await this.load(id);
    const rows: {
      provider_updated_at: Date;
      level: SignalLevelValue;
      lifecycle: string | null;
      severity: number | null;
      recorded_at: Date;
    }[] = await this.dataSource.query(
      `SELECT provider_updated_at, level, lifecycle, severity, recorded_at FROM signal_changes
        WHERE signal_id = $1 AND organization_id = $2 ORDER BY provider_updated_at, content_hash COLLATE "C", id`,
      [s.id, s.organizationId],
    );
    return rows.map((r) => ({
      stateAt: r.provider_updated_at.toISOString(),
      level: r.level,
      lifecycle: r.lifecycle,
      severity: r.severity,
      recordedAt: r.recorded_at.toISOString(),
    }));
  }

  private async servicesInUse(vendorId: string): Promise<ServiceInUse[]> {
    const rows: { id: string; name: string; regions: string[]; in_use: boolean }[] = await this.dataSource.query(
      `SELECT s.id, s.name, s.regions, EXISTS (SELECT 1 FROM dependencies d WHERE d.service_id = s.id) AS in_use FROM services s WHERE s.vendor_id = $1 ORDER BY s.name`,
      [vendorId],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, regions: r.regions, inUse: r.in_use }));
  }

  async vendorSummary(vendorId: string): Promise<VendorSignalSummary> {
    const m = this.dataSource.manager;
    const vendor = await findScoped(m, Vendor, vendorId, 'vendor');
    const all = await scoped(m, StoredSignal, 's').andWhere('s.vendorId = :v', { v: vendorId }).getMany();
    const services = await this.servicesInUse(vendorId);
    const health = all.filter((s) => !isFinancialSignalType(s.signalType));
    const open = health.filter((s) => isOpen(s) && counts(s, services));
    // A source whose latest poll failed to parse speaks only through its `unknown` marker.
    const current = currentSignals(open);
    const w = worstSignal(current);
    const perService = [{ id: null as string | null, name: 'Vendor-wide', regions: [], inUse: true }, ...services].map((svc) => {
      const mine = current.filter((s) => (svc.id === null ? s.serviceId === null : s.serviceId === svc.id));
      const ws = worstSignal(mine);
      return { serviceId: svc.id, serviceName: svc.name, level: (ws?.level ?? null) as SignalLevelValue | null, openCount: mine.length };
    });
    const contact = RequestContext.maybeActor()?.role === 'vendor_contact';
    const view = contactView();
    const sources = await this.sources.list(vendorId);
    const since = await this.statesSince(vendor.organizationId, open);
    return {
      vendorId,
      level: w?.level ?? null,
      severity: w?.severity ?? null,
      openSignals: open
        .sort((a, b) => rollupRank(b) - rollupRank(a))
        .map((x) => ({ ...view(x), stateSince: since.get(x.id)?.toISOString() ?? null })),
      services: perService.filter((p) => p.serviceId !== null || p.openCount > 0),
      financial: all
        .filter((s) => isFinancialSignalType(s.signalType))
        .sort(
          (a, b) =>
            (b.asOf ?? '').localeCompare(a.asOf ?? '') || (b.providerUpdatedAt?.getTime() ?? 0) - (a.providerUpdatedAt?.getTime() ?? 0),
        )
        .map(view),
      // Vendor contacts see which sources watch them and how they fare, never their settings or errors.
      sources: contact ? sources.map((x) => ({ ...x, config: {}, secretsSet: [], lastError: null, webhookUrl: null })) : sources,
    };
  }

  /**
   * What is degraded right now, across the portfolio: vendors whose rollup (as in `vendorSummary`)
   * is degraded or worse, or unknown.
   */
  async degraded(): Promise<DegradedEntry[]> {
    const m = this.dataSource.manager;
    const OPEN = `s.resolvedAt IS NULL AND coalesce(s.lifecycle, '') NOT IN ('resolved', 'completed') AND s.signalType NOT IN (:...ft)`;
    // Vendors with a candidate (an open signal at degraded or worse, or unknown), then all their open
    // health signals, so the rollup is the same as the vendor page's.
    const candidates = (
      await scoped(m, StoredSignal, 's')
        .select(['s.id', 's.vendorId'])
        .andWhere(`${OPEN} AND (s.severity >= 2 OR s.level = 'unknown')`, { ft: FINANCIAL_SIGNAL_TYPES })
        .getMany()
    ).map((s) => s.vendorId);
    const open = candidates.length
      ? (
          await scoped(m, StoredSignal, 's')
            .andWhere(`${OPEN} AND s.vendorId IN (:...vendors)`, { ft: FINANCIAL_SIGNAL_TYPES, vendors: [...new Set(candidates)] })
            .getMany()
        ).filter((s) => isOpen(s))
      : [];
    const byVendor = new Map<string, StoredSignal[]>();
    for (const s of open) byVendor.set(s.vendorId, [...(byVendor.get(s.vendorId) ?? []), s]);
    const out: DegradedEntry[] = [];
    for (const [vendorId, signals] of byVendor) {
      const services = await this.servicesInUse(vendorId);
      const relevant = currentSignals(signals.filter((s) => counts(s, services))).filter(
        (s) => (s.severity ?? 0) >= 2 || s.level === 'unknown',
      );
      const w = worstSignal(relevant);
      if (!w) continue;
      const vendor: { name: string; tier: string }[] = await m.query(`SELECT name, tier FROM vendors WHERE id = $1`, [vendorId]);
      const systems: { name: string }[] = await m.query(
        `SELECT DISTINCT i.name FROM dependencies d JOIN services s ON s.id = d.service_id JOIN internal_systems i ON i.id = d.system_id
          WHERE s.vendor_id = $1 AND ($2::uuid[] IS NULL OR d.service_id = ANY($2::uuid[])) ORDER BY i.name`,
        [vendorId, relevant.every((s) => s.serviceId) ? [...new Set(relevant.map((s) => s.serviceId!))] : null],
      );
      out.push({
        vendorId,
        vendorName: vendor[0]?.name ?? '',
        tier: vendor[0]?.tier ?? '',
        level: w.level,
        severity: w.severity,
        openSignals: relevant.length,
        worst: signalView(w),
        affectedSystems: systems.map((x) => x.name),
      });
    }
    return out.sort((a, b) => (b.severity ?? -1) - (a.severity ?? -1) || a.vendorName.localeCompare(b.vendorName));
  }
}
