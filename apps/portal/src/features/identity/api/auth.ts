import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  acceptInvitationSchema,
  changePasswordSchema,
  loginSchema,
  type InvitationPreview,
  type LoginResponse,
  type RequestBody,
  type SessionUser,
} from '@bulwark/api-schema';

import { api, isApiError } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

export type { InvitationPreview };

/** The signed-in user, or null when there is no session (401). */
export function useSessionQuery() {
  return useQuery({
    queryKey: keys.session,
    queryFn: async ({ signal }): Promise<SessionUser | null> => {
      try {
        return await api.get<SessionUser>('/auth/me', undefined, signal);
      } catch (e) {
        if (isApiError(e) && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 5 * 60_000,
    retry: 1,
  });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    meta: { skipAuthRedirect: true },
    mutationFn: (input: RequestBody<typeof loginSchema>) => api.post<LoginResponse>('/auth/login', input),
    onSuccess: (res) => {
      qc.clear();
      qc.setQueryData(keys.session, res.user);
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    meta: { skipAuthRedirect: true },
    mutationFn: async () => {
      try {
        await api.post<void>('/auth/logout');
      } catch (e) {
        // Already signed out is fine.
        if (!(isApiError(e) && e.status === 401)) throw e;
      }
    },
    onSettled: () => {
      qc.clear();
      qc.setQueryData(keys.session, null);
    },
  });
}

export function useChangePassword() {
  return useMutation({
    meta: { skipAuthRedirect: true },
    mutationFn: (input: RequestBody<typeof changePasswordSchema>) => api.post<void>('/auth/change-password', input),
  });
}

export function useInvitationPreview(token: string) {
  return useQuery({
    queryKey: keys.invitationByToken(token),
    queryFn: ({ signal }) => api.get<InvitationPreview>(`/invitations/by-token/${encodeURIComponent(token)}`, undefined, signal),
    retry: false,
    meta: { skipAuthRedirect: true },
  });
}

export function useAcceptInvitation() {
  const qc = useQueryClient();
  return useMutation({
    meta: { skipAuthRedirect: true },
    mutationFn: (input: RequestBody<typeof acceptInvitationSchema>) => api.post<LoginResponse>('/invitations/accept', input),
    onSuccess: (res) => {
      qc.clear();
      qc.setQueryData(keys.session, res.user);
    },
  });
}
