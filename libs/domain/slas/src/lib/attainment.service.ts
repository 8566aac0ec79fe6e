import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { Contract } from '@bulwark/agreements';
import type { AttainmentEntry, Input, vendorReportSchema } from '@bulwark/api-schema';
import { AuditLogService, findScoped, Invalid, RequestContext } from '@bulwark/platform';
import { outageIntervals } from '@bulwark/signals';

import { attainment, MAX_WINDOWS, windowCount, type SignalInterval } from './attainment.js';
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
            {
              level: 'maintenance' as const,
              start: r.start.getTime(),
              end: r.end?.getTime() ?? null,
              announcedAt: r.announcedAt?.getTime() ?? null,
            }
          : { level: r.level, start: r.start.getTime(), end: r.end?.getTime() ?? null },
      );
  }
}
