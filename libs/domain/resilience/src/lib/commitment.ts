import type { CommitmentRow, Criticality } from '@bulwark/api-schema';
import { inForce, todayIn } from '@bulwark/slas';

/** The commitment chain's pure core: which SLAs are in force, and how each dependency's requirement is judged against them. */

export interface VersionTerms {
  rtoMinutes: number | null;
  rpoMinutes: number | null;
  timeZone?: string;
}
export interface VersionRow {
  sla_id: string;
  name: string;
  contract_title: string;
  contract_status: string;
  expiry_date: string | null;
  version: number;
  effective_from: string;
  terms: VersionTerms;
  scope: { serviceIds: string[] };
}
export interface SlaInForce {
  slaId: string;
  name: string;
  contractTitle: string;
  contractInForce: boolean;
  contractProblem: string;
  /** The version effective today, if any. */
  current: VersionRow | null;
  /** The next version to take effect, if any. */
  next: VersionRow | null;
}

/** Groups versions (ordered by SLA, effective date, version) into each SLA's current and next version (`inForce` of `@bulwark/slas`). */
export function slasInForce(versions: VersionRow[], now: Date): SlaInForce[] {
  const bySla = new Map<string, VersionRow[]>();
  for (const v of versions) bySla.set(v.sla_id, [...(bySla.get(v.sla_id) ?? []), v]);
  return [...bySla.values()].map((vs) => {
    const first = vs[0]!;
    const { current, next } = inForce(
      vs.map((v) => ({ ...v, effectiveFrom: v.effective_from })),
      now,
    );
    const today = todayIn(vs[vs.length - 1]!.terms.timeZone, now);
    const expired = first.expiry_date !== null && first.expiry_date < today;
    const contractProblem =
      first.contract_status === 'draft'
        ? 'is still a draft'
        : first.contract_status === 'terminated'
          ? 'was terminated'
          : first.contract_status === 'expired' || expired
            ? `expired${first.expiry_date ? ` on ${first.expiry_date}` : ''}`
            : '';
    return {
      slaId: first.sla_id,
      name: first.name,
      contractTitle: first.contract_title,
      contractInForce: contractProblem === '',
      contractProblem,
      current,
      next,
    };
  });
}

/** The strictest RTO/RPO over the given terms, and what falls short of the dependency's requirement. */
export function judge(d: { rto: number; rpo: number }, terms: VersionTerms[]): { rto: number | null; rpo: number | null; gaps: string[] } {
  const rtos = terms.map((t) => t.rtoMinutes).filter((x): x is number => x !== null && x !== undefined);
  const rpos = terms.map((t) => t.rpoMinutes).filter((x): x is number => x !== null && x !== undefined);
  const rto = rtos.length ? Math.min(...rtos) : null;
  const rpo = rpos.length ? Math.min(...rpos) : null;
  const gaps: string[] = [];
  if (!terms.length) gaps.push('no SLA covers this service');
  else {
    if (rto === null) gaps.push('the SLA sets no RTO');
    else if (rto > d.rto) gaps.push(`contractual RTO ${rto} min exceeds the required ${d.rto} min`);
    if (rpo === null) gaps.push('the SLA sets no RPO');
    else if (rpo > d.rpo) gaps.push(`contractual RPO ${rpo} min exceeds the required ${d.rpo} min`);
  }
  return { rto, rpo, gaps };
}

/** RTO/RPO last measured in a passed or failed joint DR test of the dependency's service. */
export interface Measured {
  rtoMinutes: number | null;
  rpoMinutes: number | null;
}

/**
 * The verdict of DOMAIN.md: a contract that falls short is a `contract_gap` whatever was tested; a contract
 * that covers the requirement but was never tested is `untested` (a promise, not evidence); a test whose
 * measured RTO or RPO exceeds the requirement is a `test_gap`; only a measured recovery within the
 * requirement is `covered`.
 */
export function verdict(
  contractGaps: string[],
  required: { rto: number; rpo: number },
  measured: Measured | null,
): CommitmentRow['status'] {
  if (contractGaps.length) return 'contract_gap';
  if (!measured || (measured.rtoMinutes === null && measured.rpoMinutes === null)) return 'untested';
  const short =
    measured.rtoMinutes === null ||
    measured.rpoMinutes === null ||
    measured.rtoMinutes > required.rto ||
    measured.rpoMinutes > required.rpo;
  return short ? 'test_gap' : 'covered';
}

/** A dependency as the commitment chain judges it: what the internal system requires of the vendor's service. */
export interface DependencyRequirement {
  id: string;
  system_id: string;
  system_name: string;
  service_id: string;
  service_name: string;
  vendor_id: string;
  vendor_name: string;
  criticality: Criticality;
  rto: number;
  rpo: number;
}

/**
 * The commitment chain row of one dependency: required RTO/RPO vs the strictest contractual RTO/RPO of
 * the SLAs in force that cover its service, with the gaps and the changes already agreed for later.
 */
export function commitmentRow(d: DependencyRequirement, slas: SlaInForce[], measured: Measured | null = null): CommitmentRow {
  const covers = (v: VersionRow | null) => !!v && v.scope.serviceIds.includes(d.service_id);
  const covering = slas.filter((s) => s.contractInForce && covers(s.current)).map((s) => ({ sla: s, terms: s.current!.terms }));
  const judged = judge(
    d,
    covering.map((c) => c.terms),
  );
  // With no SLA in force, say why when there is a reason better than "none": a contract not in force, or an SLA not yet effective.
  const blocked = covering.length ? [] : slas.filter((s) => !s.contractInForce && covers(s.current));
  const later = covering.length ? [] : slas.filter((s) => s.contractInForce && !covers(s.current) && covers(s.next));
  const gaps = blocked.length
    ? blocked.map((s) => `the contract “${s.contractTitle}” ${s.contractProblem}`)
    : later.length
      ? later.map((s) => `the SLA “${s.name}” covering this service takes effect on ${s.next!.effective_from}`)
      : judged.gaps;
  // What the next versions change: judged as if they were in force, so a coming gap is seen in advance.
  const notices: string[] = [];
  for (const s of slas.filter((x) => x.contractInForce && covers(x.next))) {
    const future = judge(d, [s.next!.terms]);
    const now = covering.find((c) => c.sla.slaId === s.slaId);
    const changed = !now || now.terms.rtoMinutes !== s.next!.terms.rtoMinutes || now.terms.rpoMinutes !== s.next!.terms.rpoMinutes;
    if (!changed) continue;
    notices.push(
      future.gaps.length
        ? `from ${s.next!.effective_from}, “${s.name}” version ${s.next!.version}: ${future.gaps.join('; ')}`
        : `from ${s.next!.effective_from}, “${s.name}” version ${s.next!.version} covers the requirement (RTO ${s.next!.terms.rtoMinutes} min, RPO ${s.next!.terms.rpoMinutes} min)`,
    );
  }
  const best = covering.find((c) => c.terms.rtoMinutes === judged.rto)?.sla ?? covering[0]?.sla;
  return {
    dependencyId: d.id,
    systemId: d.system_id,
    systemName: d.system_name,
    serviceId: d.service_id,
    serviceName: d.service_name,
    vendorId: d.vendor_id,
    vendorName: d.vendor_name,
    criticality: d.criticality,
    requiredRtoMinutes: d.rto,
    requiredRpoMinutes: d.rpo,
    contractualRtoMinutes: judged.rto,
    contractualRpoMinutes: judged.rpo,
    slaId: best?.slaId ?? null,
    slaName: best?.name ?? null,
    measuredRtoMinutes: measured?.rtoMinutes ?? null,
    measuredRpoMinutes: measured?.rpoMinutes ?? null,
    // Until joint DR tests record measurements, a contract that covers the requirement is `untested`.
    status: verdict(gaps, d, measured),
    gaps,
    notices,
  };
}
