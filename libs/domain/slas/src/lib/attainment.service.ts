import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type { AttainmentEntry, CreditBasis, Input, vendorReportSchema, WindowIncidents } from '@bulwark/api-schema';
import { AuditLogService, findScoped, Invalid, NotFound, RequestContext } from '@bulwark/platform';
import { outageIntervals, type OutageInterval } from '@bulwark/signals';

import { attainment, contributions, downtimeIn, MAX_WINDOWS, windowCount, type SignalInterval } from './attainment.js';
import { sortVersions } from './sla-versions.js';
import { Sla, SlaVendorReport, SlaVersion, type SlaScope } from './sla.entities.js';
import { inScope, labelToMonth, rulesOf, windowPlan } from './window-plan.js';

/**
 * The attainment adaptor: an SLA's windows measured by the pure engine (`attainment.ts`) from the outage
 * intervals the signals recorded (`outageIntervals` of `@bulwark/signals`), with the credit due and the
 * vendor's own figure beside it.
 */
@Injectable()
export class AttainmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
  ) {}

  /** The vendor's own figure for a window; both figures are shown and a difference is flagged. */
  async fileVendorReport(id: string, input: Input<typeof vendorReportSchema>): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const sla = await findScoped(m, Sla, id, 'sla');
      const actor = RequestContext.actor();
      await m.query(
        `INSERT INTO sla_vendor_reports (organization_id, sla_id, vendor_id, window_label, availability, note, reported_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (sla_id, window_label) DO UPDATE SET availability = excluded.availability, note = excluded.note, reported_by = excluded.reported_by, reported_at = now()`,
        [sla.organizationId, sla.id, sla.vendorId, input.window, input.availability, input.note ?? null, actor.userId],
      );
      await this.audit.append(m, {
        action: 'sla.vendor_report_filed',
        entityType: 'sla',
        entityId: sla.id,
        diff: { window: input.window, availability: input.availability },
      });
    });
  }

  /**
   * Attainment per window from the signals; `m` to read inside the caller's transaction (the recompute's).
   * With `only`, just the windows with those labels are computed (the others are not read at all).
   */
  async attainment(
    id: string,
    from: string,
    to: string,
    now = Date.now(),
    m: EntityManager = this.dataSource.manager,
    only?: ReadonlySet<string>,
  ): Promise<AttainmentEntry[]> {
    if (from > to)
      throw new Invalid('query.invalid', '`to` must not be before `from`', [{ path: 'query.to', message: 'must not be before from' }]);
    const sla = await findScoped(m, Sla, id, 'sla');
    const versions = sortVersions(await m.getRepository(SlaVersion).find({ where: { slaId: sla.id } }));
    const kind = versions[versions.length - 1]!.terms.window;
    if (windowCount(from, to, kind) > MAX_WINDOWS) {
      throw new Invalid('query.too_many_windows', `At most ${MAX_WINDOWS} windows per request`, [
        {
          path: 'query.to',
          message: `the range spans ${windowCount(from, to, kind)} ${kind === 'month' ? 'months' : 'quarters'}; at most ${MAX_WINDOWS}`,
        },
      ]);
    }
    const fees = await this.fees(
      m,
      sla.contractId,
      versions.flatMap((v) => v.scope.serviceIds),
    );
    const reports = await m.getRepository(SlaVendorReport).find({ where: { slaId: sla.id } });
    const out: AttainmentEntry[] = [];
    for (const w of windowPlan(versions, from, to, now)) {
      if (only && !only.has(w.label)) continue;
      const { version, measuredFrom, slaStart } = w;
      const rules = rulesOf(version.terms);
      const intervals = (await this.intervals(m, sla.organizationId, version.scope, measuredFrom, Math.min(w.end, now))).map(
        (x) => x.interval,
      );
      const [r] = attainment(intervals, rules, labelToMonth(w.label), labelToMonth(w.label), now, slaStart);
      if (!r) continue;
      const reported = reports.find((x) => x.windowLabel === w.label)?.availability ?? null;
      // The fees of the services the SLA covers for the period, prorated when the SLA covers only part of it.
      const share = r.partial ? (w.end - measuredFrom) / (w.end - w.start) : 1;
      const creditBasis = creditBasisOf(fees, version.scope.serviceIds, version.terms.window === 'month' ? 12 : 4, share);
      out.push({
        ...r,
        vendorReported: reported,
        discrepancy: reported !== null && Math.abs(reported - r.availability) >= 0.01,
        creditAmount: creditBasis.base === null ? null : Math.round(creditBasis.base * r.creditPercent) / 100,
        creditBasis,
        version: version.version,
      });
    }
    return out;
  }

  /**
   * The outage intervals that make up a window's downtime (`window` a label of the SLA's windows), each with its
   * weight under the terms the window is judged by and the downtime it counted: the drill-down from a window or a
   * breach to its signals.
   */
  async incidents(id: string, window: string, now = Date.now()): Promise<WindowIncidents> {
    const m = this.dataSource.manager;
    const sla = await findScoped(m, Sla, id, 'sla');
    const versions = sortVersions(await m.getRepository(SlaVersion).find({ where: { slaId: sla.id } }));
    const month = labelToMonth(window);
    const w = windowPlan(versions, month, month, now).find((x) => x.label === window);
    if (!w) throw new NotFound('window', window);
    const rules = rulesOf(w.version.terms);
    const end = Math.min(w.end, now);
    const rows = await this.intervals(m, sla.organizationId, w.version.scope, w.measuredFrom, end);
    const intervals = rows.map((x) => x.interval);
    const counted = contributions(intervals, w.measuredFrom, end, rules, now);
    const total = downtimeIn(intervals, w.measuredFrom, end, rules, now);
    const names: { id: string; name: string }[] = rows.length
      ? await m.query(`SELECT id, name FROM services WHERE id = ANY($1::uuid[])`, [[...new Set(rows.map((x) => x.row.serviceId))]])
      : [];
    const minutes = (ms: number) => Math.round(ms / 600) / 100;
    const incidents = rows
      .map(({ row }, i) => ({
        signalId: row.signalId,
        title: row.title,
        serviceId: row.serviceId,
        serviceName: names.find((n) => n.id === row.serviceId)?.name ?? '',
        component: row.component,
        region: row.region,
        level: row.level,
        start: row.start.toISOString(),
        end: row.end?.toISOString() ?? null,
        minutes: minutes(counted[i]!.overlapMs),
        weight: counted[i]!.weight,
        excluded: counted[i]!.excluded,
        countedMinutes: minutes(counted[i]!.countedMs),
      }))
      .filter((x) => x.minutes > 0)
      .sort((a, b) => a.start.localeCompare(b.start) || a.signalId.localeCompare(b.signalId));
    return {
      window: w.label,
      start: new Date(w.measuredFrom).toISOString(),
      end: new Date(w.end).toISOString(),
      open: w.end > now,
      downtimeMinutes: minutes(total.downtimeMs),
      excludedMinutes: minutes(total.excludedMs),
      incidents,
    };
  }

  /** The fee per year of each service (null when the contract records none, or does not cover it). */
  private async fees(m: EntityManager, contractId: string, serviceIds: string[]): Promise<ServiceFee[]> {
    const rows: { id: string; name: string; annual_fee: string | null }[] = await m.query(
      `SELECT s.id, s.name, cs.annual_fee FROM services s LEFT JOIN contract_services cs ON cs.service_id = s.id AND cs.contract_id = $1
        WHERE s.id = ANY($2::uuid[])`,
      [contractId, [...new Set(serviceIds)]],
    );
    return rows.map((r) => ({ serviceId: r.id, name: r.name, annualFee: r.annual_fee === null ? null : Number(r.annual_fee) }));
  }

  /** The outage intervals of the scope's services (read by signals), narrowed to its components and regions. */
  private async intervals(
    m: EntityManager,
    organizationId: string,
    scope: SlaScope,
    from: number,
    to: number,
  ): Promise<{ row: OutageInterval; interval: SignalInterval }[]> {
    const rows = await outageIntervals(m, organizationId, scope.serviceIds, from, to);
    return rows
      .filter((r) => inScope(r.component, scope.components) && inScope(r.region, scope.regions, 'global'))
      .map((r) => ({ row: r, interval: toInterval(r) }));
  }
}

interface ServiceFee {
  serviceId: string;
  name: string;
  annualFee: number | null;
}

const cents = (n: number) => Math.round(n * 100) / 100;

/** The credit base of a window: the fees of the services in scope for it (`periods` a year: 12 or 4), prorated by `share`. */
export function creditBasisOf(fees: ServiceFee[], serviceIds: string[], periods: number, share: number): CreditBasis {
  const services = [...new Set(serviceIds)].map((id) => {
    const f = fees.find((x) => x.serviceId === id);
    const annualFee = f?.annualFee ?? null;
    return { serviceId: id, name: f?.name ?? '', annualFee, periodFee: annualFee === null ? null : cents((annualFee / periods) * share) };
  });
  const known = services.every((x) => x.periodFee !== null);
  return { base: known ? cents(services.reduce((sum, x) => sum + x.periodFee!, 0)) : null, share, services };
}

function toInterval(r: OutageInterval): SignalInterval {
  return r.level === 'maintenance'
    ? // A component under maintenance says nothing about when it was announced: unannounced, unless an announced maintenance signal covers it.
      {
        level: 'maintenance' as const,
        start: r.start.getTime(),
        end: r.end?.getTime() ?? null,
        announcedAt: r.announcedAt?.getTime() ?? null,
      }
    : { level: r.level, start: r.start.getTime(), end: r.end?.getTime() ?? null };
}
