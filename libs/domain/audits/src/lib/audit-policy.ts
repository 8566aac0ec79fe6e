import type { Actor } from '@bulwark/platform';

export type ActorSide = 'vendor' | 'internal' | 'system';

export function sideOf(actor: Actor): ActorSide {
  return actor.role === 'system' ? 'system' : actor.role === 'vendor_contact' ? 'vendor' : 'internal';
}

/** Today's calendar date (`YYYY-MM-DD`, UTC): the day item due dates and overdue are judged on (as findings do). */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Audit states in which the vendor answers requested items. */
export const ITEMS_OPEN_STATUSES = ['acknowledged', 'scheduled', 'fieldwork'] as const;

/** An item is overdue past its due date until it is accepted. */
export function itemOverdue(i: { status: string; dueDate: string }, today: string): boolean {
  return i.status !== 'accepted' && i.dueDate < today;
}
