import type {
  ContactView,
  InvitationView,
  Page,
  UserView,
  VendorDetail,
  VendorProfile,
  VendorSummary,
  Tier,
} from '@bulwark/api-schema';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type QueryParams } from '../../../shared/api/client';
import { invalidateInventory, keys } from '../../../shared/api/keys';

export interface VendorListParams extends QueryParams {
  search?: string;
  tier?: string;
  lifecycle?: string;
  kind?: string;
  ownerId?: string;
  sort?: string;
  page?: number;
  pageSize?: number;
}

export function useVendors(params: VendorListParams) {
  return useQuery({
    queryKey: keys.vendorList(params),
    queryFn: ({ signal }) => api.get<Page<VendorSummary>>('/vendors', params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useVendor(id: string | null | undefined) {
  return useQuery({
    queryKey: keys.vendor(id ?? ''),
    queryFn: ({ signal }) => api.get<VendorDetail>(`/vendors/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

/** A vendor contact's view of their own vendor (GET /api/vendors/:id answers a profile without the internal assessment). */
export function useVendorProfile(id: string | null | undefined) {
  return useQuery({
    queryKey: [...keys.vendor(id ?? ''), 'profile'],
    queryFn: ({ signal }) => api.get<VendorProfile>(`/vendors/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: keys.users,
    queryFn: ({ signal }) => api.get<Page<UserView>>('/users', { pageSize: 500 }, signal),
    select: (page: Page<UserView>) => page.items,
    staleTime: 5 * 60_000,
    enabled,
  });
}

/** Body of POST /api/vendors (already validated with createVendorSchema). */
export type VendorWrite = Record<string, unknown>;

export function useCreateVendor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: VendorWrite) => api.post<VendorDetail>('/vendors', body),
    onSuccess: (v) => {
      qc.setQueryData(keys.vendor(v.id), v);
      void invalidateInventory(qc);
    },
  });
}

export function useUpdateVendor(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: VendorWrite) => api.patch<VendorDetail>(`/vendors/${id}`, body),
    onSuccess: (v) => {
      qc.setQueryData(keys.vendor(id), v);
      void invalidateInventory(qc);
    },
  });
}

export function useSetTierOverride(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { tier: Tier; reason: string }) => api.put<VendorDetail>(`/vendors/${id}/tier-override`, body),
    onSuccess: (v) => {
      qc.setQueryData(keys.vendor(id), v);
      void invalidateInventory(qc);
    },
  });
}

export function useClearTierOverride(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<VendorDetail | undefined>(`/vendors/${id}/tier-override`),
    onSuccess: (v) => {
      if (v) qc.setQueryData(keys.vendor(id), v);
      void invalidateInventory(qc);
    },
  });
}

export interface ContactWrite {
  name: string;
  email: string;
  title?: string | null;
  phone?: string | null;
  isPrimary?: boolean;
}

export function useCreateContact(vendorId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ContactWrite) => api.post<ContactView>(`/vendors/${vendorId}/contacts`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.vendor(vendorId) }),
  });
}

export function useUpdateContact(vendorId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: Partial<ContactWrite> & { id: string }) => api.patch<ContactView>(`/vendors/${vendorId}/contacts/${id}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.vendor(vendorId) }),
  });
}

export function useDeleteContact(vendorId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (contactId: string) => api.delete(`/vendors/${vendorId}/contacts/${contactId}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.vendor(vendorId) }),
  });
}

export function useInvitations(vendorId: string, enabled = true) {
  return useQuery({
    queryKey: keys.invitations(vendorId),
    // A paged list: the newest 200 of the vendor, more than a vendor ever has.
    queryFn: ({ signal }) => api.get<Page<InvitationView>>('/invitations', { vendorId, pageSize: 200, sort: '-createdAt' }, signal),
    select: (page: Page<InvitationView>) => page.items,
    enabled,
  });
}

export function useInvite(vendorId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; name: string }) => api.post<InvitationView>('/invitations', { vendorId, ...body }),
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
