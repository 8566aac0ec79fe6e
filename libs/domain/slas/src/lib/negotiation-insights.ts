import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { In, type EntityManager } from 'typeorm';

import type { NegotiationAchieved, NegotiationContext, SlaTerms } from '@bulwark/api-schema';

import { MAX_WINDOWS } from './attainment.js';
import { AttainmentService } from './attainment.service.js';
import type { Negotiation } from './negotiation.entities.js';
import { inForce, sortVersions } from './sla-versions.js';
import { SlaVersion } from './sla.entities.js';
import { windowPlan } from './window-plan.js';

const SPREAD_TERMS = [
  'availabilityTarget',
  'rtoMinutes',
  'rpoMinutes',
  'maintenanceNoticeHours',
  'dataLossLimitMinutes',
  'creditCapPercent',
] as const;

/** What the parties see beside the terms they negotiate: the spread of other vendors' terms, and what the vendor achieved under the version being replaced. */
@Injectable()
export class NegotiationInsights {
  constructor(private readonly attainment: AttainmentService) {}

  /**
   * Spread of each numeric term over other vendors' SLAs covering services of the same kind, taking each
   * SLA's version in force today (in its time zone): not this vendor's own SLAs, not terms agreed for later.
   */
  async contexts(m: EntityManager, negotiations: Negotiation[]): Promise<Map<string, NegotiationContext>> {
    const organizationId = negotiations[0]!.organizationId;
    const versions: {
      sla_id: string;
      vendor_id: string;
      effectiveFrom: string;
      version: number;
      terms: SlaTerms;
      scope: { serviceIds: string[] };
    }[] = await m.query(
      `SELECT s.id AS sla_id, s.vendor_id, to_char(v.effective_from, 'YYYY-MM-DD') AS "effectiveFrom", v.version, v.terms, v.scope
         FROM slas s JOIN sla_versions v ON v.sla_id = s.id
        WHERE s.organization_id = $1
        ORDER BY s.id, v.effective_from, v.version`,
      [organizationId],
    );
    const bySla = new Map<string, typeof versions>();
    for (const v of versions) bySla.set(v.sla_id, [...(bySla.get(v.sla_id) ?? []), v]);
    const current = [...bySla.values()].map((vs) => inForce(vs, new Date()).current).filter((v): v is (typeof versions)[number] => !!v);
    const serviceIds = new Set([...current.flatMap((v) => v.scope.serviceIds), ...negotiations.flatMap((n) => n.scope.serviceIds)]);
    const services: { id: string; kind: string }[] = await m.query(`SELECT id, kind FROM services WHERE id = ANY($1::uuid[])`, [
      [...serviceIds],
    ]);
    const kindOf = new Map(services.map((x) => [x.id, x.kind]));
    const out = new Map<string, NegotiationContext>();
    for (const n of negotiations) {
      const kinds = [...new Set(n.scope.serviceIds.map((id) => kindOf.get(id)).filter((k): k is string => !!k))].sort();
      const wanted = new Set(kinds);
      const others = current.filter((v) => v.vendor_id !== n.vendorId && v.scope.serviceIds.some((id) => wanted.has(kindOf.get(id) ?? '')));
      const spread: NegotiationContext['spread'] = {};
      for (const key of SPREAD_TERMS) {
        const values = others
          .map((o) => o.terms[key])
          .filter((v): v is number => typeof v === 'number')
          .sort((a, b) => a - b);
        if (values.length)
          spread[key] = {
            n: values.length,
            min: values[0]!,
            median:
              values.length % 2 ? values[(values.length - 1) / 2]! : (values[values.length / 2 - 1]! + values[values.length / 2]!) / 2,
            max: values[values.length - 1]!,
          };
      }
      out.set(n.id, { spread, serviceKinds: kinds });
    }
    return out;
  }

  /**
   * What the vendor achieved under the previous version (the one this negotiation replaces: the SLA's latest
   * version, or the one before the version it produced), over that version's whole period: every closed
   * window measured under it (at most the last 240 windows), with the engine's figures.
   *
   * The closed windows the per-window rollup (`sla_attainment`, kept by the recompute) holds are read from
   * it: a row counts when it is closed and was judged under the same version from the same start as the
   * engine would judge the window now. Only the windows it lacks (older than its span, or not yet
   * recomputed since they closed or since a version changed) are computed from the signals.
   */
  async achieved(m: EntityManager, negotiations: Negotiation[]): Promise<Map<string, NegotiationAchieved>> {
    const out = new Map<string, NegotiationAchieved>();
    const slaIds = [...new Set(negotiations.map((n) => n.slaId).filter((id): id is string => !!id))];
    if (!slaIds.length) return out;
    const all = await m.getRepository(SlaVersion).find({ where: { slaId: In(slaIds) } });
    const rollup: { sla_id: string; window_label: string; window_start: Date; version: number; availability: string; breached: boolean }[] =
      await m.query(
        `SELECT sla_id, window_label, window_start, version, availability, breached FROM sla_attainment WHERE organization_id = $1 AND sla_id = ANY($2::uuid[]) AND NOT open`,
        [negotiations[0]!.organizationId, slaIds],
      );
    const rolled = new Map(rollup.map((r) => [`${r.sla_id}/${r.window_label}`, r]));
    const now = Date.now();
    for (const n of negotiations) {
      if (!n.slaId) continue;
      const versions = sortVersions(all.filter((v) => v.slaId === n.slaId));
      const previous =
        n.resultingVersion !== null ? versions.find((v) => v.version === n.resultingVersion! - 1) : versions[versions.length - 1];
      if (!previous) continue;
      const next = versions.find((v) => v.effectiveFrom > previous.effectiveFrom);
      const zone = previous.terms.timeZone;
      const end = next ? Math.min(now, DateTime.fromISO(next.effectiveFrom, { zone }).toMillis()) : now;
      const startMonth = DateTime.fromISO(previous.effectiveFrom, { zone }).startOf('month');
      const lastMonth = DateTime.fromMillis(end, { zone }).startOf('month');
      const firstMonth = DateTime.max(
        startMonth,
        lastMonth.minus({ months: (previous.terms.window === 'quarter' ? 3 : 1) * (MAX_WINDOWS - 1) }),
      );
      const plan =
        lastMonth < startMonth
          ? []
          : windowPlan(versions, firstMonth.toFormat('yyyy-MM'), lastMonth.toFormat('yyyy-MM'), now).filter(
              (w) => w.version.version === previous.version && !w.open,
            );
      const figures = new Map<string, { availability: number; breached: boolean }>();
      for (const w of plan) {
        const r = rolled.get(`${n.slaId}/${w.label}`);
        if (r && r.version === previous.version && r.window_start.getTime() === w.measuredFrom)
          figures.set(w.label, { availability: Number(r.availability), breached: r.breached });
      }
      const missing = plan.filter((w) => !figures.has(w.label));
      if (missing.length) {
        const month = (at: number) => DateTime.fromMillis(at, { zone: versions[versions.length - 1]!.terms.timeZone }).toFormat('yyyy-MM');
        const computed = await this.attainment.attainment(
          n.slaId,
          month(missing[0]!.start),
          month(missing[missing.length - 1]!.start),
          now,
          m,
          new Set(missing.map((w) => w.label)),
        );
        for (const w of computed)
          if (w.version === previous.version && !w.open) figures.set(w.window, { availability: w.availability, breached: w.breached });
      }
      const windows = plan.map((w) => figures.get(w.label)).filter((w): w is { availability: number; breached: boolean } => !!w);
      const values = windows.map((w) => w.availability);
      out.set(n.id, {
        version: previous.version,
        from: previous.effectiveFrom,
        to: next?.effectiveFrom ?? null,
        windows: windows.length,
        averageAvailability: values.length ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10_000) / 10_000 : null,
        worstAvailability: values.length ? Math.min(...values) : null,
        breaches: windows.filter((w) => w.breached).length,
      });
    }
    return out;
  }
}
