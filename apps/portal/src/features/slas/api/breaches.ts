import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';

import { breachResolutionSchema, type BreachView, type Page, type RequestBody } from '@bulwark/api-schema';

import { api, type QueryParams } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';
import { threadKeys } from '../../threads/api/threads';

export interface BreachListParams extends QueryParams {
  vendorId?: string;
  slaId?: string;
  status?: string;
  /** Text search: vendor, SLA, contract or covered service names. */
  search?: string;
  page?: number;
  pageSize?: number;
}

function refreshBreaches(qc: QueryClient, b?: BreachView): Promise<void> {
  if (b) qc.setQueryData(keys.breach(b.id), b);
  // A decided breach closes its thread.
  return Promise.all([keys.breaches, keys.audit, threadKeys.all].map((queryKey) => qc.invalidateQueries({ queryKey }))).then(
    () => undefined,
  );
}

export function useBreaches(params: BreachListParams, enabled = true) {
  return useQuery({
    queryKey: keys.breachList(params),
    queryFn: ({ signal }) => api.get<Page<BreachView>>('/breaches', params, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useBreach(id: string | null | undefined) {
  return useQuery({
    queryKey: keys.breach(id ?? ''),
    queryFn: ({ signal }) => api.get<BreachView>(`/breaches/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

export type BreachResolutionBody = RequestBody<typeof breachResolutionSchema>;

export function useResolveBreach(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: BreachResolutionBody) => api.post<BreachView>(`/breaches/${id}/resolve`, body),
    onSuccess: (b) => refreshBreaches(qc, b),
  });
}
