import { DateTime } from 'luxon';

import { FINDING_DUE_DAYS, type FindingSeverity, type FindingStatus } from '@bulwark/api-schema';

/** The due date of a finding raised (or reopened) on `from`: `FINDING_DUE_DAYS` of its severity later. */
export function dueDateFor(severity: FindingSeverity, from = new Date()): string {
  return DateTime.fromJSDate(from, { zone: 'UTC' }).startOf('day').plus({ days: FINDING_DUE_DAYS[severity] }).toISODate()!;
}

/** A risk acceptance holds through its expiry date; the day after, the finding is open again. */
export function acceptanceExpired(riskAcceptedUntil: string | null, today: string): boolean {
  return riskAcceptedUntil !== null && riskAcceptedUntil < today;
}

/** The state as of `today`: an expired risk acceptance reads `open` even before the sweep has recorded it. */
export function effectiveStatus(f: { status: FindingStatus; riskAcceptedUntil: string | null }, today: string): FindingStatus {
  return f.status === 'risk_accepted' && acceptanceExpired(f.riskAcceptedUntil, today) ? 'open' : f.status;
}

/** Past its due date and neither closed nor (validly) risk-accepted. */
export function isOverdue(f: { status: FindingStatus; riskAcceptedUntil: string | null; dueDate: string }, today: string): boolean {
  const s = effectiveStatus(f, today);
  return f.dueDate < today && s !== 'closed' && s !== 'risk_accepted';
}

/** `effectiveStatus` in SQL over the alias `a` (`:today` bound to the date). */
export const effectiveStatusSql = (a: string) =>
  `(CASE WHEN ${a}.status = 'risk_accepted' AND ${a}.risk_accepted_until < :today::date THEN 'open' ELSE ${a}.status END)`;
