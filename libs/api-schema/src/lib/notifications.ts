/** One in-app notification of the signed-in user (`GET /api/notifications`). */
export interface NotificationView {
  id: string;
  title: string;
  body: string;
  /** A portal path (e.g. `/negotiations/<id>`), or null. */
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

/** `GET /api/notifications`: the latest notifications and how many are unread. */
export interface NotificationList {
  items: NotificationView[];
  unread: number;
}
