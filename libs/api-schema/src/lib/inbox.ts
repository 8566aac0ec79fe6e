import { z } from 'zod';

import { count, entityId, isoDate, timestamp } from './common.js';

/** Whose move it is: the vendor's (its contacts act next) or ours (the organization's staff act next). */
export const WAITING_ON = ['vendor', 'us'] as const;
export type WaitingOn = (typeof WAITING_ON)[number];

/** The most items one inbox answer holds (and one source is asked for). */
export const INBOX_MAX_LIMIT = 200;

/**
 * `GET /api/inbox`: internal users choose the side (`us` by default); vendor contacts always get what
 * waits on their vendor (`waitingOn=us` is refused for them).
 */
export const inboxQuery = z.strictObject({
  waitingOn: z.enum(WAITING_ON).optional(),
  /** The newest items first, at most this many (the answer's `total` counts them all). */
  limit: z.coerce.number().int().min(1).max(INBOX_MAX_LIMIT).default(100),
});

/** `GET /api/inbox/count`: the navigation badge. */
export const inboxCountQuery = z.strictObject({ waitingOn: z.enum(WAITING_ON).optional() });

/** One open piece of work waiting on someone, whatever its kind. */
export const inboxItemSchema = z.object({
  /** The kind of work: `negotiation`, `breach`, `renewal_notice` (and the kinds areas register later). */
  kind: z.string(),
  /** The record's id (the negotiation, the breach, the contract…). */
  id: entityId,
  title: z.string(),
  vendorId: entityId,
  vendorName: z.string(),
  /** The record's own state (`proposed`, `countered`, `agreed`, `open`, `disputed`, `notice_due`…). */
  state: z.string(),
  /** When the work is due, when it has a date; overdue when before today. */
  dueDate: isoDate.nullable(),
  /** When the item last moved: the inbox is ordered by it, newest first. */
  updatedAt: timestamp,
  /** Portal path of the record, for the signed-in user's side of the portal. */
  link: z.string(),
  waitingOn: z.enum(WAITING_ON),
});
export type InboxItem = z.output<typeof inboxItemSchema>;

export const inboxListSchema = z.object({
  waitingOn: z.enum(WAITING_ON),
  /** The newest `limit` items, newest first. */
  items: z.array(inboxItemSchema),
  /** Every open item on this side, also those beyond `limit`. */
  total: count,
  limit: z.number().int().min(1),
});
export type InboxList = z.output<typeof inboxListSchema>;

export const inboxCountSchema = z.object({ waitingOn: z.enum(WAITING_ON), count });
export type InboxCount = z.output<typeof inboxCountSchema>;
