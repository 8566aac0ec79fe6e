import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';

import {
  inviteUserSchema,
  updateUserSchema,
  type InvitationView,
  type Page,
  type RequestBody,
  type Role,
  type UserView,
} from '@bulwark/api-schema';

import { api, type QueryParams } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

export interface UserListParams extends QueryParams {
  q?: string;
  role?: Role;
  /** Vendor contacts of this vendor only. */
  vendorId?: string;
  /** Deactivated users are left out unless true. */
  includeInactive?: boolean;
  page?: number;
  pageSize?: number;
}

/** Every user of the organization (owner pickers), at most 500. */
export function useUsers(enabled = true) {
  return useQuery({
    queryKey: keys.users,
    queryFn: ({ signal }) => api.get<Page<UserView>>('/users', { pageSize: 500 }, signal),
    select: (page: Page<UserView>) => page.items,
    staleTime: 5 * 60_000,
    enabled,
  });
}

/** One page of the organization's users (GET /api/users). */
export function useUserList(params: UserListParams) {
  return useQuery({
    queryKey: keys.userList(params),
    queryFn: ({ signal }) => api.get<Page<UserView>>('/users', params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useUser(id: string | null | undefined) {
  return useQuery({
    queryKey: keys.user(id ?? ''),
    queryFn: ({ signal }) => api.get<UserView>(`/users/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

/**
 * A user changed: every user list (the admin's table, owner pickers), vendor pages (a contact's
 * portal access) and the audit log are stale.
 */
function invalidateUsers(qc: QueryClient): Promise<void> {
  return Promise.all([keys.users, keys.vendors, keys.audit].map((queryKey) => qc.invalidateQueries({ queryKey }))).then(() => undefined);
}

export type UserUpdate = RequestBody<typeof updateUserSchema>;
export type InviteStaffBody = RequestBody<typeof inviteUserSchema>;

/** PATCH /api/users/:id with a name, a role (staff only) and/or `active`. */
export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: UserUpdate & { id: string }) => api.patch<UserView>(`/users/${encodeURIComponent(id)}`, body),
    onSuccess: (u) => {
      qc.setQueryData(keys.user(u.id), u);
      void invalidateUsers(qc);
    },
  });
}

/** Invitations of staff (admin only). */
export function useStaffInvitations(enabled = true) {
  return useQuery({
    queryKey: keys.staffInvitations,
    // A paged list: the newest 200, more than any organization keeps open at once.
    queryFn: ({ signal }) => api.get<Page<InvitationView>>('/invitations', { kind: 'internal', pageSize: 200, sort: '-createdAt' }, signal),
    select: (page: Page<InvitationView>) => page.items,
    enabled,
  });
}

/** POST /api/users/invitations: an admin invites a member of staff with a role. */
export function useInviteStaff() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: InviteStaffBody) => api.post<InvitationView>('/users/invitations', body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.staffInvitations });
      void qc.invalidateQueries({ queryKey: keys.audit });
    },
  });
}

export function useStaffInvitationAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'resend' | 'revoke' }) =>
      api.post<InvitationView>(`/invitations/${encodeURIComponent(id)}/${action}`),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.staffInvitations });
      void qc.invalidateQueries({ queryKey: keys.audit });
    },
  });
}
