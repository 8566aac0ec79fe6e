import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  threadCommentSchema,
  type RequestBody,
  type ThreadAudience,
  type ThreadCommentView,
  type ThreadPerson,
  type ThreadView,
} from '@bulwark/api-schema';

import { api } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

export const threadKeys = {
  all: ['threads'] as const,
  thread: (targetType: string, targetId: string) => ['threads', targetType, targetId] as const,
  people: (targetType: string, targetId: string, audience: ThreadAudience) =>
    ['threads', targetType, targetId, 'people', audience] as const,
};

const path = (targetType: string, targetId: string) => `/threads/${encodeURIComponent(targetType)}/${encodeURIComponent(targetId)}`;

export function useThread(targetType: string, targetId: string) {
  return useQuery({
    queryKey: threadKeys.thread(targetType, targetId),
    queryFn: ({ signal }) => api.get<ThreadView>(path(targetType, targetId), undefined, signal),
  });
}

/** Whom a comment of `audience` may mention (the people who can read it). */
export function useThreadPeople(targetType: string, targetId: string, audience: ThreadAudience, enabled: boolean) {
  return useQuery({
    queryKey: threadKeys.people(targetType, targetId, audience),
    queryFn: ({ signal }) => api.get<ThreadPerson[]>(`${path(targetType, targetId)}/people`, { audience }, signal),
    enabled,
    staleTime: 60_000,
  });
}

export type ThreadCommentBody = RequestBody<typeof threadCommentSchema>;

/** Posts a comment; the thread, the audit log and (through `onPosted`) the target's own views refresh. */
export function usePostComment(targetType: string, targetId: string, onPosted?: () => Promise<unknown> | void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ThreadCommentBody) => api.post<ThreadCommentView>(path(targetType, targetId), body),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: threadKeys.thread(targetType, targetId) }),
        qc.invalidateQueries({ queryKey: keys.audit }),
        onPosted?.(),
      ]),
  });
}
