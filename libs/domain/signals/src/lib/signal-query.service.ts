import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import {
  VENDOR_FINANCIAL_LIMIT,
  type Criticality,
  type DegradedEntry,
  type Input,
  type Page,
  type SignalChangeView,
  type SignalDetailView,
  type SignalLevelValue,
  type signalListQuery,
  type SignalView,
  type vendorSignalsQuery,
  type VendorSignalSummary,
  type VendorStatus,
} from '@bulwark/api-schema';
import { Vendor } from '@bulwark/inventory';
import { findScoped, RequestContext, scoped } from '@bulwark/platform';
import { FINANCIAL_SIGNAL_TYPES } from '@bulwark/plugin-sdk';

import { higherCriticality, mustBeWatched, serviceMonitoring, vendorMonitoring } from './monitoring.js';
import { StoredSignal } from './signal.entity.js';
import { SignalSourceService } from './source.service.js';
import { decodeCursor, OPEN_SQL, VendorRollup, type ServiceInUse } from './vendor-rollup.js';

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

export { counts, type ServiceInUse } from './vendor-rollup.js';

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

  /**
   * The vendor's signal rollup: its level and its services' (the rules of `rollup.ts`, computed in the
   * database), one page of its open signals worst first with their total and counts by level, its
   * financial signals (the current ones first, then their history, newest first) and its sources. Bounded however many signals its sources recorded.
   */
  async vendorSummary(vendorId: string, q: Input<typeof vendorSignalsQuery>): Promise<VendorSignalSummary> {
    const m = this.dataSource.manager;
    const vendor = await findScoped(m, Vendor, vendorId, 'vendor');
    const cursor = q.cursor ? decodeCursor(q.cursor) : null;
    const services = await this.servicesInUse(vendorId);
    const rollup = await VendorRollup.of(m, vendor.organizationId, vendorId, services);
    const [levels, openByLevel, page] = await Promise.all([rollup.levels(), rollup.openByLevel(), rollup.page(q.limit, cursor)]);
    const sources = await this.sources.list(vendorId);
    const perService = [{ id: null as string | null, name: 'Vendor-wide', regions: [], inUse: true }, ...services].map((svc) => {
      const agg = levels.services.get(svc.id);
      return {
        serviceId: svc.id,
        serviceName: svc.name,
        level: agg?.level ?? null,
        openCount: agg?.count ?? 0,
        monitoring: serviceMonitoring(svc.id, sources),
      };
    });
    const open = await this.loadInOrder(page.ids);
    const since = await this.statesSince(vendor.organizationId, open);
    const contact = RequestContext.maybeActor()?.role === 'vendor_contact';
    const view = contactView();
    const [financial, financialTotal] = await scoped(m, StoredSignal, 's')
      .andWhere('s.vendorId = :v AND s.signalType IN (:...ft)', { v: vendorId, ft: FINANCIAL_SIGNAL_TYPES })
      // The current (open) signals first, so the newest row of each model is the one that counts; then history.
      .addSelect(
        `CASE WHEN s.resolved_at IS NULL AND coalesce(s.lifecycle, '') NOT IN ('resolved', 'completed') THEN 0 ELSE 1 END`,
        'closed',
      )
      .orderBy('closed', 'ASC')
      .addOrderBy('s.asOf', 'DESC', 'NULLS LAST')
      .addOrderBy('s.providerUpdatedAt', 'DESC', 'NULLS LAST')
      .addOrderBy('s.id')
      .take(VENDOR_FINANCIAL_LIMIT)
      .getManyAndCount();
    return {
      vendorId,
      level: levels.vendor?.level ?? null,
      severity: levels.vendor?.severity ?? null,
      monitoring: vendorMonitoring(services, sources),
      openSignals: open.map((x) => ({ ...view(x), stateSince: since.get(x.id)?.toISOString() ?? null })),
      openTotal: openByLevel.reduce((n, l) => n + l.count, 0),
      openByLevel,
      nextCursor: page.next,
      services: perService.filter((p) => p.serviceId !== null || p.openCount > 0),
      financial: financial.map(view),
      financialTotal,
      // Vendor contacts see which sources watch them and how they fare, never their settings or errors.
      sources: contact ? sources.map((x) => ({ ...x, config: {}, secretsSet: [], lastError: null, webhookUrl: null })) : sources,
    };
  }

  /** Signals by id, in the order of the ids (within the caller's scope). */
  private async loadInOrder(ids: string[]): Promise<StoredSignal[]> {
    if (!ids.length) return [];
    const rows = await scoped(this.dataSource.manager, StoredSignal, 's').andWhere('s.id IN (:...ids)', { ids }).getMany();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)).filter((r): r is StoredSignal => !!r);
  }

  /**
   * Every vendor's current status, for the portfolio views: its rollup level (as in `vendorSummary`,
   * computed only for vendors with an open health signal: the others have none), whether anything
   * watches it, and its critical or high dependencies whose service no working source watches.
   */
  async statuses(): Promise<VendorStatus[]> {
    const m = this.dataSource.manager;
    const organizationId = RequestContext.actor().organizationId;
    const [vendors, services, deps, sources] = await Promise.all([
      m.query(
        `SELECT v.id, v.name, v.tier, EXISTS (
           SELECT 1 FROM signals s WHERE s.organization_id = $1 AND s.vendor_id = v.id AND s.signal_type <> ALL($2::text[]) AND ${OPEN_SQL}
         ) AS has_open
         FROM vendors v WHERE v.organization_id = $1 ORDER BY v.name, v.id`,
        [organizationId, FINANCIAL_SIGNAL_TYPES],
      ) as Promise<{ id: string; name: string; tier: string; has_open: boolean }[]>,
      m.query(
        `SELECT s.id, s.vendor_id, s.name, s.regions, EXISTS (SELECT 1 FROM dependencies d WHERE d.service_id = s.id) AS in_use
           FROM services s WHERE s.organization_id = $1 ORDER BY s.name`,
        [organizationId],
      ) as Promise<{ id: string; vendor_id: string; name: string; regions: string[]; in_use: boolean }[]>,
      m.query(
        `SELECT d.id, d.criticality, d.service_id, s.name AS service_name, s.vendor_id, i.id AS system_id, i.name AS system_name,
                i.criticality AS system_criticality
           FROM dependencies d JOIN services s ON s.id = d.service_id JOIN internal_systems i ON i.id = d.system_id
          WHERE d.organization_id = $1 ORDER BY i.name, s.name, d.id`,
        [organizationId],
      ) as Promise<
        {
          id: string;
          criticality: Criticality;
          service_id: string;
          service_name: string;
          vendor_id: string;
          system_id: string;
          system_name: string;
          system_criticality: Criticality;
        }[]
      >,
      this.sources.list(),
    ]);
    const now = new Date();
    const out: VendorStatus[] = [];
    for (const v of vendors) {
      const own = services
        .filter((s) => s.vendor_id === v.id)
        .map((s): ServiceInUse => ({ id: s.id, name: s.name, regions: s.regions, inUse: s.in_use }));
      const watching = sources.filter((s) => s.vendorId === v.id);
      const levels = v.has_open ? await (await VendorRollup.of(m, organizationId, v.id, own)).levels() : null;
      const unwatchedCritical = deps
        .filter((d) => d.vendor_id === v.id && mustBeWatched({ criticality: d.criticality, systemCriticality: d.system_criticality }))
        .map((d) => ({ d, monitoring: serviceMonitoring(d.service_id, watching, now) }))
        .filter((x) => x.monitoring !== 'monitored')
        .map(({ d, monitoring }) => ({
          dependencyId: d.id,
          systemId: d.system_id,
          systemName: d.system_name,
          serviceId: d.service_id,
          serviceName: d.service_name,
          criticality: higherCriticality(d.criticality, d.system_criticality),
          monitoring,
        }));
      out.push({
        vendorId: v.id,
        vendorName: v.name,
        tier: v.tier,
        level: levels?.vendor?.level ?? null,
        severity: levels?.vendor?.severity ?? null,
        monitoring: vendorMonitoring(own, watching, now),
        unwatchedCritical,
      });
    }
    return out;
  }

  /**
   * What is degraded right now, across the portfolio: vendors whose rollup (as in `vendorSummary`)
   * is degraded or worse, or unknown. One entry per such vendor, each computed by aggregates (its
   * count of such signals, its worst one), never by loading the vendor's signals.
   */
  async degraded(): Promise<DegradedEntry[]> {
    const m = this.dataSource.manager;
    const organizationId = RequestContext.actor().organizationId;
    // Vendors with a candidate (an open signal at degraded or worse, or unknown); the rollup then decides.
    const candidates: { vendor_id: string; name: string; tier: string }[] = await m.query(
      `SELECT v.id AS vendor_id, v.name, v.tier FROM vendors v
        WHERE v.organization_id = $1 AND EXISTS (
          SELECT 1 FROM signals s WHERE s.organization_id = $1 AND s.vendor_id = v.id AND s.signal_type <> ALL($2::text[])
             AND ${OPEN_SQL} AND (s.severity >= 2 OR s.level = 'unknown'))`,
      [organizationId, FINANCIAL_SIGNAL_TYPES],
    );
    const out: DegradedEntry[] = [];
    for (const v of candidates) {
      const rollup = await VendorRollup.of(m, organizationId, v.vendor_id, await this.servicesInUse(v.vendor_id));
      const d = await rollup.degraded();
      const [worst] = d.worstId ? await this.loadInOrder([d.worstId]) : [];
      if (!worst) continue;
      const serviceIds = d.serviceIds.every((id) => id !== null) ? (d.serviceIds as string[]) : null;
      const systems: { name: string }[] = await m.query(
        `SELECT DISTINCT i.name FROM dependencies d JOIN services s ON s.id = d.service_id JOIN internal_systems i ON i.id = d.system_id
          WHERE s.vendor_id = $1 AND ($2::uuid[] IS NULL OR d.service_id = ANY($2::uuid[])) ORDER BY i.name`,
        [v.vendor_id, serviceIds],
      );
      out.push({
        vendorId: v.vendor_id,
        vendorName: v.name,
        tier: v.tier,
        level: worst.level,
        severity: worst.severity,
        openSignals: d.count,
        worst: signalView(worst),
        affectedSystems: systems.map((x) => x.name),
      });
    }
    return out.sort((a, b) => (b.severity ?? -1) - (a.severity ?? -1) || a.vendorName.localeCompare(b.vendorName));
  }
}
