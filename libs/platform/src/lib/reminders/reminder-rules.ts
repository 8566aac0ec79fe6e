import { DateTime } from 'luxon';

/**
 * One step of a reminder schedule, relative to a due date: `offsetDays` before it (negative), on it
 * (0) or after it (positive: overdue, usually escalated to more people).
 */
export interface ReminderRule {
  /** Stable id stored in the ledger, e.g. `due-30d`, `on-due`, `overdue+7d`. */
  id: string;
  offsetDays: number;
  /** Whether this step goes to the subject's escalation recipients as well. */
  escalate?: boolean;
}

/** The usual schedule: 30, 7 and 1 days before, on the day, and overdue at +1 and +7 days (escalated). */
export const STANDARD_RULES: readonly ReminderRule[] = [
  { id: 'due-30d', offsetDays: -30 },
  { id: 'due-7d', offsetDays: -7 },
  { id: 'due-1d', offsetDays: -1 },
  { id: 'on-due', offsetDays: 0 },
  { id: 'overdue+1d', offsetDays: 1, escalate: true },
  { id: 'overdue+7d', offsetDays: 7, escalate: true },
];

/** The calendar date (`YYYY-MM-DD`, UTC) a rule fires for a due date. */
export function fireDate(dueDate: string, rule: ReminderRule): string {
  return DateTime.fromISO(dueDate, { zone: 'UTC' }).plus({ days: rule.offsetDays }).toISODate()!;
}

/**
 * What a sweep on `today` does for one due date: the latest rule whose day has come is `due` (sent
 * unless the ledger already has it); the earlier ones whose day also passed are `superseded` (a missed
 * sweep or an item created late: recorded as skipped, never sent in a burst). Rules whose day is still
 * ahead are left for a later sweep.
 */
export function rulesAt(
  rules: readonly ReminderRule[],
  dueDate: string,
  today: string,
): { due: ReminderRule | null; superseded: ReminderRule[] } {
  const passed = [...rules].filter((r) => fireDate(dueDate, r) <= today).sort((a, b) => a.offsetDays - b.offsetDays);
  const due = passed.pop() ?? null;
  return { due, superseded: passed };
}

/** The widest span around today in which a due date can still have a rule to fire (for the subjects' queries). */
export function dueWindow(rules: readonly ReminderRule[], today: string, graceDays: number): { from: string; to: string } {
  const offsets = rules.map((r) => r.offsetDays);
  const t = DateTime.fromISO(today, { zone: 'UTC' });
  return {
    from: t.minus({ days: Math.max(0, ...offsets) + graceDays }).toISODate()!,
    to: t.minus({ days: Math.min(0, ...offsets) }).toISODate()!,
  };
}

/** Whole days from `today` to `dueDate` (both `YYYY-MM-DD`, UTC): negative once it has passed. */
export function daysUntil(dueDate: string, today: string): number {
  return DateTime.fromISO(dueDate, { zone: 'UTC' }).diff(DateTime.fromISO(today, { zone: 'UTC' }), 'days').days;
}

/** A reminder's "when", worded from today: `today`, `tomorrow`, `in 5 days` (a passed date reads `today`). */
export function whenWording(dueDate: string, today: string): string {
  const days = daysUntil(dueDate, today);
  return days <= 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`;
}

/** A due item's state, worded from today: `due in 5 days`, `due tomorrow`, `due today`, `3 days overdue`. */
export function dueWording(dueDate: string, today: string): string {
  const days = daysUntil(dueDate, today);
  if (days < 0) return `${-days} day${days === -1 ? '' : 's'} overdue`;
  return days === 0 ? 'due today' : days === 1 ? 'due tomorrow' : `due in ${days} days`;
}
