import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  createServiceSchema,
  subcontractorLinkSchema,
  updateServiceSchema,
  type Page,
  type RequestBody,
  type ServiceView,
  type SubcontractorLinkView,
} from '@bulwark/api-schema';

import { api, type QueryParams } from '../../../shared/api/client';
import { invalidateInventory, keys } from '../../../shared/api/keys';

export interface ServiceListParams extends QueryParams {
  vendorId?: string;
  kind?: string;
  search?: string;
  page?: number;
  pageSize?: number;
}

export function useServices(params: ServiceListParams) {
  return useQuery({
    queryKey: keys.serviceList(params),
    queryFn: ({ signal }) => api.get<Page<ServiceView>>('/services', params, signal),
    placeholderData: keepPreviousData,
  });
}

/** Every service of the organisation (for pickers), fetched page by page at the API's maximum page size. */
export function useAllServices(enabled = true) {
  return useQuery({
    queryKey: keys.allServices,
    enabled,
    staleTime: 60_000,
    queryFn: async ({ signal }) => {
      const pageSize = 200;
      const items: ServiceView[] = [];
      for (let page = 1; page <= 50; page++) {
        const res = await api.get<Page<ServiceView>>('/services', { page, pageSize }, signal);
        items.push(...res.items);
        if (res.items.length < pageSize || items.length >= res.total) break;
      }
      return items;
    },
  });
}

/** Body of POST /api/services. */
export type ServiceCreate = RequestBody<typeof createServiceSchema>;
/** Body of PATCH /api/services/:id. */
export type ServiceUpdate = RequestBody<typeof updateServiceSchema>;
export type SubcontractorLinkBody = RequestBody<typeof subcontractorLinkSchema>;

export function useCreateService() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ServiceCreate) => api.post<ServiceView>('/services', body),
    onSuccess: () => invalidateInventory(qc),
  });
}

export function useUpdateService() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ServiceUpdate }) => api.patch<ServiceView>(`/services/${id}`, body),
    onSuccess: () => invalidateInventory(qc),
  });
}

export function useDeleteService() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/services/${id}`),
    onSuccess: () => invalidateInventory(qc),
  });
}

export function useCreateSubcontractorLink() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SubcontractorLinkBody) => api.post<SubcontractorLinkView>('/subcontractor-links', body),
    onSuccess: () => invalidateInventory(qc),
  });
}

export function useDeleteSubcontractorLink() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/subcontractor-links/${id}`),
    onSuccess: () => invalidateInventory(qc),
  });
}
