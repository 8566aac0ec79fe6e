import type { DependencyView, Page, SystemView } from '@bulwark/api-schema';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
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

export function useSystems(params: SystemListParams) {
  return useQuery({
    queryKey: keys.systemList(params),
    queryFn: ({ signal }) => api.get<Page<SystemView>>('/systems', params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useSystem(id: string | undefined) {
  return useQuery({
    queryKey: keys.system(id ?? ''),
    queryFn: ({ signal }) => api.get<SystemDetail>(`/systems/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

export type SystemWrite = Record<string, unknown>;

export function useCreateSystem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SystemWrite) => api.post<SystemView>('/systems', body),
    onSuccess: () => invalidateInventory(qc),
  });
}

export function useUpdateSystem(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SystemWrite) => api.patch<SystemView>(`/systems/${id}`, body),
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

export type DependencyWrite = Record<string, unknown>;

export function useCreateDependency() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DependencyWrite) => api.post<DependencyView>('/dependencies', body),
    onSuccess: () => invalidateInventory(qc),
  });
}

export function useUpdateDependency() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: DependencyWrite }) => api.patch<DependencyView>(`/dependencies/${id}`, body),
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
