import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  createDependencySchema,
  createSystemSchema,
  updateDependencySchema,
  updateSystemSchema,
  type DependencyView,
  type Page,
  type RequestBody,
  type SystemView,
} from '@bulwark/api-schema';

import { api, type QueryParams } from '../../../shared/api/client';
import { invalidateInventory, keys } from '../../../shared/api/keys';

export type SystemDetail = SystemView & { dependencies: DependencyView[] };

export interface SystemListParams extends QueryParams {
  search?: string;
  riskClass?: string;
  criticality?: string;
  sort?: string;
  page?: number;
  pageSize?: number;
}

export function useSystems(params: SystemListParams, enabled = true) {
  return useQuery({
    queryKey: keys.systemList(params),
    queryFn: ({ signal }) => api.get<Page<SystemView>>('/systems', params, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useSystem(id: string | undefined) {
  return useQuery({
    queryKey: keys.system(id ?? ''),
    queryFn: ({ signal }) => api.get<SystemDetail>(`/systems/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

/** Body of POST /api/systems. */
export type SystemCreate = RequestBody<typeof createSystemSchema>;
/** Body of PATCH /api/systems/:id. */
export type SystemUpdate = RequestBody<typeof updateSystemSchema>;

export function useCreateSystem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SystemCreate) => api.post<SystemView>('/systems', body),
    onSuccess: () => invalidateInventory(qc),
  });
}

export function useUpdateSystem(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SystemUpdate) => api.patch<SystemView>(`/systems/${id}`, body),
    onSuccess: () => invalidateInventory(qc),
  });
}

export function useDeleteSystem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/systems/${id}`),
    onSuccess: (_r, id) => {
      qc.removeQueries({ queryKey: keys.system(id) });
      return invalidateInventory(qc);
    },
  });
}

/** Body of POST /api/dependencies. */
export type DependencyCreate = RequestBody<typeof createDependencySchema>;
/** Body of PATCH /api/dependencies/:id. */
export type DependencyUpdate = RequestBody<typeof updateDependencySchema>;

export function useCreateDependency() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DependencyCreate) => api.post<DependencyView>('/dependencies', body),
    onSuccess: () => invalidateInventory(qc),
  });
}

export function useUpdateDependency() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: DependencyUpdate }) => api.patch<DependencyView>(`/dependencies/${id}`, body),
    onSuccess: () => invalidateInventory(qc),
  });
}

export function useDeleteDependency() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/dependencies/${id}`),
    onSuccess: () => invalidateInventory(qc),
  });
}
