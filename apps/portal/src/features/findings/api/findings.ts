import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';

import {
  createFindingSchema,
  findingTransitionSchema,
  riskAcceptanceSchema,
  type FindingDetail,
  type FindingView,
  type Page,
  type RequestBody,
} from '@bulwark/api-schema';

import { api, type QueryParams } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

/** Query keys of the findings feature. */
export const findingKeys = {
  all: ['findings'] as const,
  list: (params: object) => ['findings', 'list', params] as const,
  detail: (id: string) => ['findings', 'detail', id] as const,
};

export interface FindingListParams extends QueryParams {
  vendorId?: string;
  status?: string;
  severity?: string;
  overdue?: string;
  search?: string;
  page?: number;
  pageSize?: number;
}

function refresh(qc: QueryClient, f?: FindingDetail): Promise<void> {
  if (f) qc.setQueryData(findingKeys.detail(f.id), f);
  return Promise.all([findingKeys.all, keys.audit, keys.notifications].map((queryKey) => qc.invalidateQueries({ queryKey }))).then(
    () => undefined,
  );
}

export function useFindings(params: FindingListParams) {
  return useQuery({
    queryKey: findingKeys.list(params),
    queryFn: ({ signal }) => api.get<Page<FindingView>>('/findings', params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useFinding(id: string) {
  return useQuery({
    queryKey: findingKeys.detail(id),
    queryFn: ({ signal }) => api.get<FindingDetail>(`/findings/${encodeURIComponent(id)}`, undefined, signal),
    enabled: !!id,
  });
}

export type RaiseFindingBody = RequestBody<typeof createFindingSchema>;
export type FindingTransitionBody = RequestBody<typeof findingTransitionSchema>;
export type RiskAcceptanceBody = RequestBody<typeof riskAcceptanceSchema>;

export function useRaiseFinding() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RaiseFindingBody) => api.post<FindingDetail>('/findings', body),
    onSuccess: (f) => refresh(qc, f),
  });
}

export function useTransitionFinding(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: FindingTransitionBody) => api.post<FindingDetail>(`/findings/${id}/transitions`, body),
    onSuccess: (f) => refresh(qc, f),
    // A conflict (someone else moved it) shows the current state.
    onError: () => refresh(qc),
  });
}

export function useRequestRiskAcceptance(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RiskAcceptanceBody) => api.post<FindingDetail>(`/findings/${id}/risk-acceptances`, body),
    onSuccess: (f) => refresh(qc, f),
  });
}

export function useApproveRiskAcceptance(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (acceptanceId: string) => api.post<FindingDetail>(`/findings/${id}/risk-acceptances/${acceptanceId}/approve`, {}),
    onSuccess: (f) => refresh(qc, f),
  });
}
