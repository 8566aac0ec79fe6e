import { DateTime } from 'luxon';

import {
  AUDIT_COUNTED_STATUSES,
  type AuditMode,
  type AuditStatus,
  type ContractClauses,
  type ContractStatus,
  type Entitlement,
  type EntitlementClause,
  type EntitlementReason,
} from '@bulwark/api-schema';

/**
 * Right-to-audit entitlement as a pure function: from the vendor's contracts and audits, what a proposed audit
 * may do. No database, no clock: the caller passes the issue instant and the organization's time zone, so every
 * rule is testable on fixed instants (ADR 0018).
 */

export type RightToAudit = NonNullable<ContractClauses['rightToAudit']>;

/** A contract of the vendor, as much of it as the entitlement reads. */
export interface ContractForEntitlement {
  id: string;
  title: string;
  reference: string | null;
  status: ContractStatus;
  effectiveDate: string;
  expiryDate: string | null;
  rightToAudit: RightToAudit | null;
}

/** Another audit of the vendor, which may count against the allowance. */
export interface PriorAudit {
  id: string;
  title: string;
  contractId: string | null;
  status: AuditStatus;
  /** The first day of its current window. */
  start: string;
  /** Requested on behalf of a regulator: not counted against the customer's allowance when the clause grants regulator access. */
  regulator: boolean;
}

export interface EntitlementRequest {
  mode: AuditMode;
  /** First day of the proposed window, `YYYY-MM-DD`. */
  proposedStart: string;
  regulator: boolean;
  /** When the request is (or was) issued: the notice runs from this instant's date in `timeZone`. */
  issuedAt: Date;
  /** The organization's IANA time zone. */
  timeZone: string;
  /** A chosen contract; otherwise the contract in force whose clause applies. */
  contractId?: string;
  /** The audit being checked again: never counted against itself. */
  auditId?: string;
  /** The organization's public holidays (`YYYY-MM-DD` dates with names): a business-day notice skips them. */
  holidays?: readonly Holiday[];
}

/** A public holiday of the organization's calendar. */
export interface Holiday {
  date: string;
  name: string;
}

/** The calendar date of an instant in a zone (an instant late in the evening in New York is still that day there). */
export function issueDateIn(instant: Date, timeZone: string): string {
  const d = DateTime.fromJSDate(instant, { zone: timeZone });
  if (!d.isValid) throw new Error(`Unknown time zone ${timeZone}`);
  return d.toISODate()!;
}

const isWeekend = (d: DateTime) => d.weekday === 6 || d.weekday === 7;

/**
 * The earliest permitted start: the issue date plus the notice. Calendar days count every day; business days
 * skip Saturdays, Sundays and the organization's holidays (the day the notice ends is then itself a business
 * day; a holiday on a weekend is skipped once, as a weekend). Dates are calendar dates in the organization's
 * zone, so a daylight-saving change in between moves nothing.
 */
export function noticeEnd(
  issueDate: string,
  noticeDays: number,
  basis: 'calendar' | 'business',
  holidays: readonly Holiday[] = [],
): { earliest: string; skipped: Holiday[] } {
  let d = DateTime.fromISO(issueDate, { zone: 'UTC' });
  if (basis === 'calendar') return { earliest: d.plus({ days: noticeDays }).toISODate()!, skipped: [] };
  const byDate = new Map(holidays.map((h) => [h.date, h]));
  const skipped: Holiday[] = [];
  for (let left = noticeDays; left > 0;) {
    d = d.plus({ days: 1 });
    if (isWeekend(d)) continue;
    const holiday = byDate.get(d.toISODate()!);
    if (holiday) skipped.push({ date: holiday.date, name: holiday.name });
    else left--;
  }
  return { earliest: d.toISODate()!, skipped };
}

/** The earliest permitted start (see `noticeEnd`). */
export function earliestStart(
  issueDate: string,
  noticeDays: number,
  basis: 'calendar' | 'business',
  holidays: readonly Holiday[] = [],
): string {
  return noticeEnd(issueDate, noticeDays, basis, holidays).earliest;
}

/** The rolling 12 months ending on `start`, both days included (an audit a year to the day before is outside). */
export function rollingWindow(start: string): { from: string; to: string } {
  const d = DateTime.fromISO(start, { zone: 'UTC' });
  return { from: d.minus({ months: 12 }).plus({ days: 1 }).toISODate()!, to: start };
}

/**
 * The busiest rolling 12 months containing `start`, counting `starts` (the other audits' first days): an
 * allowance of N audits per rolling 12 months is broken when ANY 12-month window containing the new audit would
 * hold more than N, so a request placed before an audit already booked later is judged against that later
 * audit's window too. The count only rises when a window's end reaches an audit, so the windows ending on the
 * proposed start and on each later audit less than a year after it are the only candidates. Ties: the earliest
 * window (the one ending on the proposed start when nothing later is busier).
 */
export function busiestWindow<T extends { start: string }>(start: string, others: readonly T[]): { from: string; to: string; within: T[] } {
  const ends = [start, ...new Set(others.map((a) => a.start).filter((s) => s > start))].sort();
  let best: { from: string; to: string; within: T[] } | null = null;
  for (const end of ends) {
    const w = rollingWindow(end);
    if (w.from > start) break; // this window (and every later one) no longer contains the proposed start
    const within = others.filter((a) => a.start >= w.from && a.start <= w.to);
    if (!best || within.length > best.within.length) best = { ...w, within };
  }
  return best!;
}

/** Whether a contract is in force from the issue date through the proposed start. */
export function inForce(c: ContractForEntitlement, issueDate: string, proposedStart: string): boolean {
  return c.status === 'active' && c.effectiveDate <= issueDate && (!c.expiryDate || c.expiryDate >= proposedStart);
}

const MODE_TEXT = { remote: 'remote only', on_site: 'on site only', either: 'remote or on site' } as const;

/** How the clause reads to people (the creation panel, the escalation). */
export function clauseText(c: ContractForEntitlement, r: RightToAudit): string {
  return [
    `Right to audit under "${c.title}"${c.reference ? ` (${c.reference})` : ''}.`,
    r.scope ? `Scope: ${r.scope}.` : 'Scope: not limited by the clause.',
    `Notice: ${r.noticeDays} ${r.noticeBasis} day${r.noticeDays === 1 ? '' : 's'}.`,
    `Audits per 12 months: ${r.auditsPer12Months}.`,
    `Mode: ${MODE_TEXT[r.mode]}.`,
    `Cost borne by: ${r.costBearer}.`,
    `Regulator access: ${r.regulatorAccess ? 'granted' : 'not granted'}.`,
  ].join(' ');
}

export function clauseView(c: ContractForEntitlement, r: RightToAudit): EntitlementClause {
  return {
    name: `Right to audit, ${c.title}${c.reference ? ` (${c.reference})` : ''}`,
    contractTitle: c.title,
    contractReference: c.reference,
    scope: r.scope,
    noticeDays: r.noticeDays,
    noticeBasis: r.noticeBasis,
    auditsPer12Months: r.auditsPer12Months,
    mode: r.mode,
    costBearer: r.costBearer,
    regulatorAccess: r.regulatorAccess,
    text: clauseText(c, r),
  };
}

/**
 * Which contract's clause applies: the chosen contract, or among the vendor's contracts in force with a
 * right-to-audit clause the one that took effect last (ties: the lowest id, so the answer never depends on order).
 */
export function applicableContract(
  contracts: readonly ContractForEntitlement[],
  issueDate: string,
  proposedStart: string,
  contractId?: string,
): ContractForEntitlement | null {
  if (contractId) return contracts.find((c) => c.id === contractId) ?? null;
  const candidates = contracts.filter((c) => c.rightToAudit && inForce(c, issueDate, proposedStart));
  candidates.sort((a, b) => (a.effectiveDate === b.effectiveDate ? (a.id < b.id ? -1 : 1) : a.effectiveDate > b.effectiveDate ? -1 : 1));
  return candidates[0] ?? null;
}

/** The entitlement a proposed audit has under the vendor's contracts; `allowed` is false when any rule is broken. */
export function computeEntitlement(
  req: EntitlementRequest,
  contracts: readonly ContractForEntitlement[],
  audits: readonly PriorAudit[],
): Entitlement {
  const issueDate = issueDateIn(req.issuedAt, req.timeZone);
  let window = rollingWindow(req.proposedStart);
  const reasons: EntitlementReason[] = [];
  const contract = applicableContract(contracts, issueDate, req.proposedStart, req.contractId);
  const clause = contract?.rightToAudit ?? null;
  const base = { timeZone: req.timeZone, issueDate, windowFrom: window.from, windowTo: window.to, holidaysSkipped: [] as Holiday[] };
  if (!contract || !clause) {
    reasons.push({
      field: 'contractId',
      rule: 'no_clause',
      message: contract
        ? `The contract "${contract.title}" has no right-to-audit clause: the audit would be outside the contractual entitlement`
        : 'No contract in force with this vendor has a right-to-audit clause: the audit would be outside the contractual entitlement',
    });
    return {
      ...base,
      contractId: contract?.id ?? null,
      clause: null,
      earliestStart: null,
      modeAllowed: false,
      costBearer: null,
      auditsInWindow: 0,
      countedAudits: [],
      allowance: null,
      allowed: false,
      reasons,
    };
  }
  if (!inForce(contract, issueDate, req.proposedStart))
    reasons.push({
      field: 'contractId',
      rule: 'contract_not_in_force',
      message: `The contract "${contract.title}" is not in force from ${issueDate} through ${req.proposedStart}`,
    });
  const modeAllowed = clause.mode === 'either' || clause.mode === req.mode;
  if (!modeAllowed)
    reasons.push({
      field: 'mode',
      rule: 'mode_not_allowed',
      message: `The clause allows ${MODE_TEXT[clause.mode]} audits, not ${req.mode.replace('_', '-')}`,
    });
  if (req.regulator && !clause.regulatorAccess)
    reasons.push({ field: 'auditorKind', rule: 'regulator_access', message: 'The clause grants no access to regulators' });
  const { earliest, skipped } = noticeEnd(issueDate, clause.noticeDays, clause.noticeBasis, req.holidays);
  if (req.proposedStart < earliest)
    reasons.push({
      field: 'proposedStart',
      rule: 'notice_period',
      message: `The clause requires ${clause.noticeDays} ${clause.noticeBasis} days' notice: issued on ${issueDate}, the audit may start on ${earliest} at the earliest${skipped.length ? ` (holidays skipped: ${skipped.map((h) => `${h.date} ${h.name}`).join(', ')})` : ''}`,
    });
  const countable = audits.filter(
    (a) =>
      a.id !== req.auditId &&
      a.contractId === contract.id &&
      AUDIT_COUNTED_STATUSES.includes(a.status) &&
      !(a.regulator && clause.regulatorAccess),
  );
  const busiest = busiestWindow(req.proposedStart, countable);
  window = { from: busiest.from, to: busiest.to };
  const counted = busiest.within.sort((a, b) => (a.start === b.start ? (a.id < b.id ? -1 : 1) : a.start < b.start ? -1 : 1));
  // A regulator with access is not bound by the customer's allowance (DORA Art. 28: unrestricted access).
  const limited = !(req.regulator && clause.regulatorAccess);
  if (limited && counted.length >= clause.auditsPer12Months)
    reasons.push({
      field: 'proposedStart',
      rule: 'allowance_exceeded',
      message: `The clause allows ${clause.auditsPer12Months} audit${clause.auditsPer12Months === 1 ? '' : 's'} per 12 months; ${counted.length} already start between ${window.from} and ${window.to}, which would also hold this one`,
    });
  return {
    ...base,
    windowFrom: window.from,
    windowTo: window.to,
    holidaysSkipped: skipped,
    contractId: contract.id,
    clause: clauseView(contract, clause),
    earliestStart: earliest,
    modeAllowed,
    costBearer: clause.costBearer,
    auditsInWindow: counted.length,
    countedAudits: counted.map((a) => ({ id: a.id, title: a.title, status: a.status, start: a.start })),
    allowance: limited ? clause.auditsPer12Months : null,
    allowed: reasons.length === 0,
    reasons,
  };
}
