import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  contactSchema,
  createVendorSchema,
  tierOverrideSchema,
  updateContactSchema,
  updateVendorSchema,
  type ContactView,
  type Page,
  type RequestBody,
  type VendorDetail,
  type VendorProfile,
  type VendorSummary,
} from '@bulwark/api-schema';

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

/** Every vendor of the organisation (for pickers and filters), page by page at the API's maximum page size. */
export function useAllVendors(enabled = true) {
  return useQuery({
    queryKey: keys.allVendors,
    enabled,
    staleTime: 60_000,
    queryFn: async ({ signal }) => {
      const pageSize = 200;
      const items: VendorSummary[] = [];
      for (let page = 1; page <= 50; page++) {
        const res = await api.get<Page<VendorSummary>>('/vendors', { page, pageSize, sort: 'name' }, signal);
        items.push(...res.items);
        if (res.items.length < pageSize || items.length >= res.total) break;
      }
      return items;
    },
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

/** Body of POST /api/vendors (already validated with createVendorSchema). */
export type VendorCreate = RequestBody<typeof createVendorSchema>;
/** Body of PATCH /api/vendors/:id. */
export type VendorUpdate = RequestBody<typeof updateVendorSchema>;

export function useCreateVendor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: VendorCreate) => api.post<VendorDetail>('/vendors', body),
    onSuccess: (v) => {
      qc.setQueryData(keys.vendor(v.id), v);
      void invalidateInventory(qc);
    },
  });
}

export function useUpdateVendor(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: VendorUpdate) => api.patch<VendorDetail>(`/vendors/${id}`, body),
    onSuccess: (v) => {
      qc.setQueryData(keys.vendor(id), v);
      void invalidateInventory(qc);
    },
  });
}

export type TierOverrideBody = RequestBody<typeof tierOverrideSchema>;

export function useSetTierOverride(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TierOverrideBody) => api.put<VendorDetail>(`/vendors/${id}/tier-override`, body),
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

export type ContactWrite = RequestBody<typeof contactSchema>;
export type ContactUpdate = RequestBody<typeof updateContactSchema>;

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
    mutationFn: ({ id, ...body }: ContactUpdate & { id: string }) => api.patch<ContactView>(`/vendors/${vendorId}/contacts/${id}`, body),
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
