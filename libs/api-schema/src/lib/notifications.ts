import { z } from 'zod';

import { count, entityId, timestamp } from './common.js';

/** One in-app notification of the signed-in user (`GET /api/notifications`). */
export const notificationViewSchema = z.object({
  id: entityId,
  title: z.string(),
  body: z.string(),
  /** A portal path (e.g. `/negotiations/<id>`), or null. */
  link: z.string().nullable(),
  createdAt: timestamp,
  readAt: timestamp.nullable(),
});
export type NotificationView = z.output<typeof notificationViewSchema>;

/** `GET /api/notifications`: the latest notifications and how many are unread. */
export const notificationListSchema = z.object({
  items: z.array(notificationViewSchema),
  unread: count,
});
export type NotificationList = z.output<typeof notificationListSchema>;
