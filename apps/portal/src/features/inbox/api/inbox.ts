import { useQuery } from '@tanstack/react-query';

import type { InboxCount, InboxList, WaitingOn } from '@bulwark/api-schema';

import { api } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

export const INBOX_POLL_MS = 60_000;

/** What waits on one side (vendor contacts: always their own, `vendor`), newest first; refreshed after any change. */
export function useInbox(waitingOn: WaitingOn) {
  return useQuery({
    queryKey: keys.inboxList(waitingOn),
    queryFn: ({ signal }) => api.get<InboxList>('/inbox', { waitingOn }, signal),
    refetchInterval: INBOX_POLL_MS,
    staleTime: 5_000,
  });
}

/** The navigation badge: how many items wait on that side. */
export function useInboxCount(waitingOn: WaitingOn, enabled = true) {
  return useQuery({
    queryKey: keys.inboxCount(waitingOn),
    queryFn: ({ signal }) => api.get<InboxCount>('/inbox/count', { waitingOn }, signal),
    refetchInterval: INBOX_POLL_MS,
    staleTime: 5_000,
    enabled,
  });
}
