/** Audit states in which the vendor answers requested items. */
export const ITEMS_OPEN_STATUSES = ['acknowledged', 'scheduled', 'fieldwork'] as const;

/** An item is overdue past its due date until it is accepted. */
export function itemOverdue(i: { status: string; dueDate: string }, today: string): boolean {
  return i.status !== 'accepted' && i.dueDate < today;
}
