import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';

import type { NotificationList } from '@bulwark/api-schema';

import { api } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

export const NOTIFICATIONS_POLL_MS = 60_000;

/** The caller's own notifications (newest first, at most 100) and the unread count; polled every 60 s. */
export function useNotifications() {
  return useQuery({
    queryKey: keys.notifications,
    queryFn: ({ signal }) => api.get<NotificationList>('/notifications', undefined, signal),
    refetchInterval: NOTIFICATIONS_POLL_MS,
    staleTime: 10_000,
  });
}

/** Marks notifications read in the cache right away (the list and the badge), returning the previous data to roll back. */
function markReadLocally(qc: QueryClient, id: string | null): NotificationList | undefined {
  const previous = qc.getQueryData<NotificationList>(keys.notifications);
  if (previous) {
    const now = new Date().toISOString();
    const items = previous.items.map((n) => (n.readAt === null && (id === null || n.id === id) ? { ...n, readAt: now } : n));
    const changed = items.filter((n, i) => n !== previous.items[i]).length;
    qc.setQueryData<NotificationList>(keys.notifications, { items, unread: id === null ? 0 : Math.max(0, previous.unread - changed) });
  }
  return previous;
}

function useMarkRead<V>(path: (v: V) => string, target: (v: V) => string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: V) => api.post<void>(path(v)),
    onMutate: async (v: V) => {
      await qc.cancelQueries({ queryKey: keys.notifications });
      return { previous: markReadLocally(qc, target(v)) };
    },
    onError: (_e, _v, ctx) => {
      if (ctx?.previous) qc.setQueryData(keys.notifications, ctx.previous);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: keys.notifications }),
  });
}

export function useMarkNotificationRead() {
  return useMarkRead<string>(
    (id) => `/notifications/${encodeURIComponent(id)}/read`,
    (id) => id,
  );
}

export function useMarkAllNotificationsRead() {
  return useMarkRead<void>(
    () => '/notifications/read-all',
    () => null,
  );
}
