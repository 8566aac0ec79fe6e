import { Injectable } from '@nestjs/common';
import type {
  AttainmentEntry,
  ContractView,
  CreateContractInput,
  CreateSlaInput,
  Page,
  SlaTerms,
  SlaVersionView,
  SlaView,
  contractListQuery,
  newSlaVersionSchema,
  updateContractSchema,
  vendorReportSchema,
} from '@bulwark/api-schema';
import { AuditLogService, Conflict, Invalid, RequestContext, changes, findScoped, scoped } from '@bulwark/platform';
import { outageIntervals } from '@bulwark/signals';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import { MAX_WINDOWS, attainment, windowCount, windowsBetween, type AttainmentRules, type SignalInterval } from './attainment.js';
import { Contract, ContractService as ContractServiceLink, Sla, SlaVendorReport, SlaVersion, type SlaScope } from './entities.js';

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

function assertTimeZone(tz: string): void {
  if (!DateTime.now().setZone(tz).isValid) throw new Invalid('sla.invalid_time_zone', `Unknown time zone ${tz}`, [{ path: 'terms.timeZone', message: 'must be an IANA time zone such as Europe/London' }]);
}

/** Contracts, SLAs with their versions, and attainment computed from the health signals in scope. */
@Injectable()
export class AgreementsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
  ) {}

  // ---- contracts ----

  async listContracts(q: z.infer<typeof contractListQuery>): Promise<Page<ContractView>> {
    const m = this.dataSource.manager;
    const qb = scoped(m, Contract, 'c');
    if (q.vendorId) qb.andWhere('c.vendorId = :v', { v: q.vendorId });
    if (q.status) qb.andWhere('c.status = :s', { s: q.status });
    if (q.expiringWithinDays !== undefined) qb.andWhere(`c.expiryDate IS NOT NULL AND c.expiryDate <= (current_date + (:d)::int)`, { d: q.expiringWithinDays });
    qb.orderBy('c.expiryDate', 'ASC', 'NULLS LAST').addOrderBy('c.title').addOrderBy('c.id');
    const [rows, total] = await qb.skip((q.page - 1) * q.pageSize).take(q.pageSize).getManyAndCount();
    return { items: await this.contractViews(m, rows), total, page: q.page, pageSize: q.pageSize };
  }

  async getContract(id: string): Promise<ContractView> {
    const m = this.dataSource.manager;
    return (await this.contractViews(m, [await findScoped(m, Contract, id, 'contract')]))[0]!;
  }

  async createContract(input: CreateContractInput): Promise<ContractView> {
    return this.dataSource.transaction(async (m) => {
      const vendor: { id: string }[] = await m.query(`SELECT id FROM vendors WHERE id = $1 AND organization_id = $2`, [input.vendorId, RequestContext.actor().organizationId]);
      if (!vendor.length) throw new Invalid('contract.invalid_vendor', 'No such vendor', [{ path: 'vendorId', message: 'no such vendor' }]);
      const c = await m.save(
        m.create(Contract, {
          vendorId: input.vendorId,
          title: input.title,
          reference: input.reference ?? null,
          status: input.status,
          effectiveDate: input.effectiveDate,
          expiryDate: input.expiryDate ?? null,
          renewalNoticeDays: input.renewalNoticeDays,
          annualValue: input.annualValue ?? null,
          currency: input.currency,
          clauses: input.clauses,
        }),
      );
      await this.setServices(m, c, input.serviceIds);
      await this.audit.append(m, { action: 'contract.created', entityType: 'contract', entityId: c.id, diff: { ...input } });
      return (await this.contractViews(m, [c]))[0]!;
    });
  }

  async updateContract(id: string, input: z.infer<typeof updateContractSchema>): Promise<ContractView> {
    return this.dataSource.transaction(async (m) => {
      const c = await findScoped(m, Contract, id, 'contract', { lock: true });
      if (input.version !== undefined && input.version !== c.version) throw new Conflict('contract.stale', 'This contract was changed by someone else. Reload and try again.');
      const before = { ...c };
      const { serviceIds, version: _v, ...fields } = input;
      Object.assign(c, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
      if (c.expiryDate && c.expiryDate <= c.effectiveDate) throw new Invalid('contract.invalid_dates', 'The expiry date must be after the effective date', [{ path: 'expiryDate', message: 'must be after the effective date' }]);
      await m.save(c);
      if (serviceIds) await this.setServices(m, c, serviceIds);
      const diff = changes(before as unknown as Record<string, unknown>, { ...c } as unknown as Record<string, unknown>);
      delete diff['updatedAt'];
      delete diff['version'];
      if (serviceIds) diff['serviceIds'] = { from: null, to: serviceIds };
      await this.audit.append(m, { action: 'contract.updated', entityType: 'contract', entityId: c.id, diff });
      return (await this.contractViews(m, [c]))[0]!;
    });
  }

  private async setServices(m: EntityManager, c: Contract, serviceIds: string[]): Promise<void> {
    const unique = [...new Set(serviceIds)];
    if (unique.length) {
      const found: { id: string }[] = await m.query(`SELECT id FROM services WHERE id = ANY($1::uuid[]) AND vendor_id = $2 AND organization_id = $3`, [unique, c.vendorId, c.organizationId]);
      const missing = unique.filter((id) => !found.some((f) => f.id === id));
      if (missing.length) throw new Invalid('contract.invalid_services', 'Covered services must be services of the contract vendor', missing.map((id) => ({ path: 'serviceIds', message: `${id} is not a service of this vendor` })));
    }
    await m.delete(ContractServiceLink, { contractId: c.id });
    for (const serviceId of unique) await m.save(m.create(ContractServiceLink, { contractId: c.id, serviceId, organizationId: c.organizationId }));
  }

  private async contractViews(m: EntityManager, contracts: Contract[]): Promise<ContractView[]> {
    if (!contracts.length) return [];
    const ids = contracts.map((c) => c.id);
    const vendors: { id: string; name: string }[] = await m.query(`SELECT id, name FROM vendors WHERE id = ANY($1::uuid[])`, [contracts.map((c) => c.vendorId)]);
    const services: { contract_id: string; id: string; name: string }[] = await m.query(
      `SELECT cs.contract_id, s.id, s.name FROM contract_services cs JOIN services s ON s.id = cs.service_id WHERE cs.contract_id = ANY($1::uuid[]) ORDER BY s.name`,
      [ids],
    );
    const slas: { contract_id: string; n: string }[] = await m.query(`SELECT contract_id, count(*) AS n FROM slas WHERE contract_id = ANY($1::uuid[]) GROUP BY contract_id`, [ids]);
    return contracts.map((c) => ({
      id: c.id,
      vendorId: c.vendorId,
      vendorName: vendors.find((v) => v.id === c.vendorId)?.name ?? '',
      title: c.title,
      reference: c.reference,
      status: c.status,
      effectiveDate: c.effectiveDate,
      expiryDate: c.expiryDate,
      renewalNoticeDays: c.renewalNoticeDays,
      renewalNoticeDate: c.expiryDate ? DateTime.fromISO(c.expiryDate).minus({ days: c.renewalNoticeDays }).toISODate() : null,
      annualValue: c.annualValue,
      currency: c.currency,
      services: services.filter((s) => s.contract_id === c.id).map((s) => ({ id: s.id, name: s.name })),
      clauses: c.clauses,
      slaCount: Number(slas.find((s) => s.contract_id === c.id)?.n ?? 0),
      version: c.version,
    }));
  }

  // ---- SLAs ----

  async listSlas(vendorId?: string, contractId?: string): Promise<SlaView[]> {
    const m = this.dataSource.manager;
    const qb = scoped(m, Sla, 's').orderBy('s.name');
    if (vendorId) qb.andWhere('s.vendorId = :v', { v: vendorId });
    if (contractId) qb.andWhere('s.contractId = :c', { c: contractId });
    return this.slaViews(m, await qb.getMany());
  }

  async getSla(id: string): Promise<SlaView> {
    const m = this.dataSource.manager;
    return (await this.slaViews(m, [await findScoped(m, Sla, id, 'sla')]))[0]!;
  }

  async createSla(input: CreateSlaInput): Promise<SlaView> {
    return this.dataSource.transaction((m) => this.createSlaIn(m, input));
  }

  /** Creates an SLA with version 1 inside the caller's transaction. */
  async createSlaIn(m: EntityManager, input: CreateSlaInput): Promise<SlaView> {
    assertTimeZone(input.terms.timeZone);
    {
      const contract = await scoped(m, Contract, 'c').andWhere('c.id = :id', { id: input.contractId }).getOne();
      if (!contract) throw new Invalid('sla.invalid_contract', 'No such contract', [{ path: 'contractId', message: 'no such contract' }]);
      await this.assertScope(m, contract, input.scope);
      const sla = await m.save(m.create(Sla, { vendorId: contract.vendorId, contractId: contract.id, name: input.name, currentVersion: 1 }));
      await m.save(m.create(SlaVersion, { slaId: sla.id, vendorId: contract.vendorId, version: 1, effectiveFrom: input.effectiveFrom, terms: input.terms, scope: input.scope, createdBy: RequestContext.actor().userId }));
      await this.audit.append(m, { action: 'sla.created', entityType: 'sla', entityId: sla.id, diff: { contractId: contract.id, name: input.name, effectiveFrom: input.effectiveFrom, terms: input.terms, scope: input.scope } });
      return (await this.slaViews(m, [sla]))[0]!;
    }
  }

  /** A new version of the terms; earlier versions stay and keep applying to their windows. */
  async addVersion(id: string, input: z.infer<typeof newSlaVersionSchema>): Promise<SlaView> {
    return this.dataSource.transaction((m) => this.addVersionIn(m, id, input));
  }

  /** Adds a version inside the caller's transaction. */
  async addVersionIn(m: EntityManager, id: string, input: z.infer<typeof newSlaVersionSchema>): Promise<SlaView> {
    assertTimeZone(input.terms.timeZone);
    {
      const sla = await findScoped(m, Sla, id, 'sla', { lock: true });
      const current = await m.getRepository(SlaVersion).findOneByOrFail({ slaId: sla.id, version: sla.currentVersion });
      if (input.effectiveFrom <= current.effectiveFrom) throw new Conflict('sla.version_not_later', `A new version must take effect after ${current.effectiveFrom}`);
      const contract = await m.getRepository(Contract).findOneByOrFail({ id: sla.contractId });
      const scope = input.scope ?? current.scope;
      await this.assertScope(m, contract, scope);
      sla.currentVersion += 1;
      await m.save(sla);
      await m.save(m.create(SlaVersion, { slaId: sla.id, vendorId: sla.vendorId, version: sla.currentVersion, effectiveFrom: input.effectiveFrom, terms: input.terms, scope, createdBy: RequestContext.actor().userId }));
      await this.audit.append(m, { action: 'sla.version_added', entityType: 'sla', entityId: sla.id, diff: { version: sla.currentVersion, effectiveFrom: input.effectiveFrom, terms: changes(current.terms as unknown as Record<string, unknown>, input.terms as unknown as Record<string, unknown>) } });
      return (await this.slaViews(m, [sla]))[0]!;
    }
  }

  private async assertScope(m: EntityManager, contract: Contract, scope: SlaScope): Promise<void> {
    const found: { id: string }[] = await m.query(`SELECT id FROM services WHERE id = ANY($1::uuid[]) AND vendor_id = $2 AND organization_id = $3`, [scope.serviceIds, contract.vendorId, contract.organizationId]);
    const missing = scope.serviceIds.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw new Invalid('sla.invalid_scope', 'SLA services must be services of the contract vendor', [{ path: 'scope.serviceIds', message: `not services of this vendor: ${missing.join(', ')}` }]);
  }

  private async slaViews(m: EntityManager, slas: Sla[]): Promise<SlaView[]> {
    if (!slas.length) return [];
    const versions = await m.getRepository(SlaVersion).createQueryBuilder('v').where('v.slaId IN (:...ids)', { ids: slas.map((s) => s.id) }).orderBy('v.version', 'DESC').getMany();
    const names: { id: string; title: string; vendor_name: string }[] = await m.query(`SELECT c.id, c.title, v.name AS vendor_name FROM contracts c JOIN vendors v ON v.id = c.vendor_id WHERE c.id = ANY($1::uuid[])`, [slas.map((s) => s.contractId)]);
    const view = (v: SlaVersion): SlaVersionView => ({ version: v.version, effectiveFrom: v.effectiveFrom, terms: v.terms, scope: v.scope, createdAt: v.createdAt.toISOString(), createdBy: v.createdBy });
    return slas.map((s) => {
      const mine = versions.filter((v) => v.slaId === s.id);
      const n = names.find((x) => x.id === s.contractId);
      return { id: s.id, contractId: s.contractId, contractTitle: n?.title ?? '', vendorId: s.vendorId, vendorName: n?.vendor_name ?? '', name: s.name, current: view(mine.find((v) => v.version === s.currentVersion)!), versions: mine.map(view) };
    });
  }

  // ---- attainment ----

  /** The vendor's own figure for a window; both figures are shown and a difference is flagged. */
  async fileVendorReport(id: string, input: z.infer<typeof vendorReportSchema>): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const sla = await findScoped(m, Sla, id, 'sla');
      const actor = RequestContext.actor();
      await m.query(
        `INSERT INTO sla_vendor_reports (organization_id, sla_id, vendor_id, window_label, availability, note, reported_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (sla_id, window_label) DO UPDATE SET availability = excluded.availability, note = excluded.note, reported_by = excluded.reported_by, reported_at = now()`,
        [sla.organizationId, sla.id, sla.vendorId, input.window, input.availability, input.note ?? null, actor.userId],
      );
      await this.audit.append(m, { action: 'sla.vendor_report_filed', entityType: 'sla', entityId: sla.id, diff: { window: input.window, availability: input.availability } });
    });
  }

  /**
   * Attainment per window from the signals; `m` to read inside the caller's transaction (the recompute's).
   * With `only`, just the windows with those labels are computed (the others are not read at all).
   */
  async attainment(id: string, from: string, to: string, now = Date.now(), m: EntityManager = this.dataSource.manager, only?: ReadonlySet<string>): Promise<AttainmentEntry[]> {
    if (from > to) throw new Invalid('query.invalid', '`to` must not be before `from`', [{ path: 'query.to', message: 'must not be before from' }]);
    const sla = await findScoped(m, Sla, id, 'sla');
    const versions = sortVersions(await m.getRepository(SlaVersion).find({ where: { slaId: sla.id } }));
    const kind = versions[versions.length - 1]!.terms.window;
    if (windowCount(from, to, kind) > MAX_WINDOWS) {
      throw new Invalid('query.too_many_windows', `At most ${MAX_WINDOWS} windows per request`, [{ path: 'query.to', message: `the range spans ${windowCount(from, to, kind)} ${kind === 'month' ? 'months' : 'quarters'}; at most ${MAX_WINDOWS}` }]);
    }
    const contract = await m.getRepository(Contract).findOneByOrFail({ id: sla.contractId });
    const reports = await m.getRepository(SlaVendorReport).find({ where: { slaId: sla.id } });
    const out: AttainmentEntry[] = [];
    for (const w of windowPlan(versions, from, to, now)) {
      if (only && !only.has(w.label)) continue;
      const { version, measuredFrom, slaStart } = w;
      const rules = rulesOf(version.terms);
      const intervals = await this.intervals(m, sla.organizationId, version.scope, measuredFrom, Math.min(w.end, now));
      const [r] = attainment(intervals, rules, labelToMonth(w.label), labelToMonth(w.label), now, slaStart);
      if (!r) continue;
      const reported = reports.find((x) => x.windowLabel === w.label)?.availability ?? null;
      // The fee of the period, prorated when the SLA covers only part of it.
      const share = r.partial ? (w.end - measuredFrom) / (w.end - w.start) : 1;
      const periodFee = contract.annualValue === null ? null : (contract.annualValue / (version.terms.window === 'month' ? 12 : 4)) * share;
      out.push({
        ...r,
        vendorReported: reported,
        discrepancy: reported !== null && Math.abs(reported - r.availability) >= 0.01,
        creditAmount: periodFee === null ? null : Math.round(periodFee * r.creditPercent) / 100,
        version: version.version,
      });
    }
    return out;
  }

  /** The outage intervals of the scope's services (read by signals), narrowed to its components and regions. */
  private async intervals(m: EntityManager, organizationId: string, scope: SlaScope, from: number, to: number): Promise<SignalInterval[]> {
    const rows = await outageIntervals(m, organizationId, scope.serviceIds, from, to);
    return rows
      .filter((r) => inScope(r.component, scope.components) && inScope(r.region, scope.regions, 'global'))
      .map((r) =>
        r.level === 'maintenance'
          ? // A component under maintenance says nothing about when it was announced: unannounced, unless an announced maintenance signal covers it.
            { level: 'maintenance' as const, start: r.start.getTime(), end: r.end?.getTime() ?? null, announcedAt: r.announcedAt?.getTime() ?? null }
          : { level: r.level, start: r.start.getTime(), end: r.end?.getTime() ?? null },
      );
  }
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

/** An SLA's versions in the order they apply: by effective date, then version. */
export function sortVersions<V extends Pick<SlaVersion, 'effectiveFrom' | 'version'>>(versions: V[]): V[] {
  return [...versions].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || a.version - b.version);
}

/**
 * The windows from..to (`YYYY-MM`) an SLA is judged in, each with the version it is judged under, without
 * reading any signal: windows are the latest version's (months or quarters in its time zone); each is judged
 * under the version in force at its start, and in the window where the SLA takes effect under its first
 * version, measured from the effective day on. Windows that have not started by `now` are left out.
 * `versions` in the order of `sortVersions`.
 */
export function windowPlan<V extends Pick<SlaVersion, 'effectiveFrom' | 'version' | 'terms'>>(versions: V[], from: string, to: string, now: number): PlannedWindow<V>[] {
  const latest = versions[versions.length - 1]!;
  const first = versions[0]!;
  // The SLA exists from the start of its first version's effective day (in its time zone).
  const slaStart = DateTime.fromISO(first.effectiveFrom, { zone: first.terms.timeZone }).toMillis();
  const out: PlannedWindow<V>[] = [];
  for (const w of windowsBetween(from, to, rulesOf(latest.terms))) {
    const startDate = DateTime.fromMillis(w.start, { zone: latest.terms.timeZone }).toISODate()!;
    const inForce = [...versions].reverse().find((v) => v.effectiveFrom <= startDate);
    const version = inForce ?? (slaStart < w.end ? first : undefined);
    if (!version || w.start >= now) continue;
    const measuredFrom = Math.max(w.start, slaStart);
    if (!(measuredFrom < now && measuredFrom < w.end)) continue;
    out.push({ ...w, measuredFrom, slaStart, open: w.end > now, version });
  }
  return out;
}

/** `2026-Q2` → `2026-04` (the engine takes months and widens them to quarters). */
function labelToMonth(label: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(label);
  return q ? `${q[1]}-${String((Number(q[2]) - 1) * 3 + 1).padStart(2, '0')}` : label;
}
