import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';

import type {
  cancelQuestionnaireRequestSchema,
  createQuestionnaireRequestSchema,
  Page,
  QuestionnaireRequestDetail,
  QuestionnaireRequestSummary,
  QuestionnaireScore,
  raiseAnswerFindingSchema,
  RequestBody,
  reviewQuestionnaireRequestSchema,
} from '@bulwark/api-schema';

import { api, type QueryParams } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

/** Query keys of questionnaire requests. */
export const requestKeys = {
  all: ['questionnaire-requests'] as const,
  list: (params: object) => ['questionnaire-requests', 'list', params] as const,
  detail: (id: string) => ['questionnaire-requests', 'detail', id] as const,
  scores: (vendorId: string) => ['questionnaire-requests', 'scores', vendorId] as const,
};

export interface RequestListParams extends QueryParams {
  vendorId?: string;
  status?: string;
  overdue?: string;
  search?: string;
  page?: number;
  pageSize?: number;
}

const path = (id: string) => `/questionnaire-requests/${encodeURIComponent(id)}`;

/** Puts the answer the API gave into the cache, and lets lists, the inbox and the audit log refetch. */
export function refreshRequest(qc: QueryClient, r?: QuestionnaireRequestDetail): Promise<void> {
  if (r) qc.setQueryData(requestKeys.detail(r.id), r);
  return Promise.all(
    [['questionnaire-requests', 'list'], ['questionnaire-requests', 'scores'], ['inbox'], keys.audit, keys.notifications].map((queryKey) =>
      qc.invalidateQueries({ queryKey }),
    ),
  ).then(() => undefined);
}

export function useRequests(params: RequestListParams, enabled = true) {
  return useQuery({
    queryKey: requestKeys.list(params),
    queryFn: ({ signal }) => api.get<Page<QuestionnaireRequestSummary>>('/questionnaire-requests', params, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useRequest(id: string) {
  return useQuery({
    queryKey: requestKeys.detail(id),
    queryFn: ({ signal }) => api.get<QuestionnaireRequestDetail>(path(id), undefined, signal),
    enabled: !!id,
  });
}

export function useScoreHistory(vendorId: string, enabled = true) {
  return useQuery({
    queryKey: requestKeys.scores(vendorId),
    queryFn: ({ signal }) =>
      api.get<{ items: QuestionnaireScore[] }>(`/vendors/${encodeURIComponent(vendorId)}/questionnaire-scores`, undefined, signal),
    enabled: !!vendorId && enabled,
  });
}

export function useSendRequest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RequestBody<typeof createQuestionnaireRequestSchema>) =>
      api.post<QuestionnaireRequestDetail>('/questionnaire-requests', body),
    onSuccess: (r) => refreshRequest(qc, r),
  });
}

export function useSubmitRequest(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<QuestionnaireRequestDetail>(`${path(id)}/submit`, {}),
    onSuccess: (r) => refreshRequest(qc, r),
  });
}

export function useReviewRequest(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RequestBody<typeof reviewQuestionnaireRequestSchema>) =>
      api.post<QuestionnaireRequestDetail>(`${path(id)}/review`, body),
    onSuccess: (r) => Promise.all([refreshRequest(qc, r), qc.invalidateQueries({ queryKey: ['threads'] })]),
  });
}

export function useRaiseAnswerFinding(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ questionKey, ...body }: RequestBody<typeof raiseAnswerFindingSchema> & { questionKey: string }) =>
      api.post<QuestionnaireRequestDetail>(`${path(id)}/answers/${encodeURIComponent(questionKey)}/finding`, body),
    onSuccess: (r) => Promise.all([refreshRequest(qc, r), qc.invalidateQueries({ queryKey: ['findings'] })]),
  });
}

export function useCancelRequest(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RequestBody<typeof cancelQuestionnaireRequestSchema>) =>
      api.post<QuestionnaireRequestDetail>(`${path(id)}/cancel`, body),
    onSuccess: (r) => refreshRequest(qc, r),
  });
}
