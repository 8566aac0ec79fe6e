import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { inviteContactSchema, type InvitationView, type Page, type RequestBody } from '@bulwark/api-schema';

import { api } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

/** A vendor's contact invitations (the vendor's Contacts tab). */
export function useInvitations(vendorId: string, enabled = true) {
  return useQuery({
    queryKey: keys.invitations(vendorId),
    // A paged list: the newest 200 of the vendor, more than a vendor ever has.
    queryFn: ({ signal }) => api.get<Page<InvitationView>>('/invitations', { vendorId, pageSize: 200, sort: '-createdAt' }, signal),
    select: (page: Page<InvitationView>) => page.items,
    enabled,
  });
}

/** Body of POST /api/invitations without the vendor, which the hook adds. */
export type InviteContactBody = Omit<RequestBody<typeof inviteContactSchema>, 'vendorId'>;

export function useInvite(vendorId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: InviteContactBody) => api.post<InvitationView>('/invitations', { vendorId, ...body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.invitations(vendorId) });
      void qc.invalidateQueries({ queryKey: keys.vendor(vendorId) });
    },
  });
}

export function useInvitationAction(vendorId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'resend' | 'revoke' }) => api.post<InvitationView>(`/invitations/${id}/${action}`),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.invitations(vendorId) });
      void qc.invalidateQueries({ queryKey: keys.vendor(vendorId) });
    },
  });
}
