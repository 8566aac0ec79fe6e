import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';

import type {
  CampaignDetail,
  CampaignFilter,
  CampaignPreview,
  CampaignSummary,
  cancelCampaignSchema,
  createCampaignSchema,
  Page,
  RequestBody,
} from '@bulwark/api-schema';

import { api, type QueryParams } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

/** Query keys of questionnaire campaigns. */
export const campaignKeys = {
  all: ['questionnaire-campaigns'] as const,
  list: (params: object) => ['questionnaire-campaigns', 'list', params] as const,
  detail: (id: string) => ['questionnaire-campaigns', 'detail', id] as const,
  preview: (versionId: string, filter: CampaignFilter) => ['questionnaire-campaigns', 'preview', versionId, filter] as const,
};

export interface CampaignListParams extends QueryParams {
  status?: string;
  search?: string;
  page?: number;
  pageSize?: number;
}

const path = (id: string) => `/questionnaire-campaigns/${encodeURIComponent(id)}`;

function refresh(qc: QueryClient, c?: CampaignDetail): Promise<void> {
  if (c) qc.setQueryData(campaignKeys.detail(c.id), c);
  return Promise.all(
    [['questionnaire-campaigns', 'list'], ['questionnaire-requests', 'list'], ['inbox'], keys.audit].map((queryKey) =>
      qc.invalidateQueries({ queryKey }),
    ),
  ).then(() => undefined);
}

export function useCampaigns(params: CampaignListParams) {
  return useQuery({
    queryKey: campaignKeys.list(params),
    queryFn: ({ signal }) => api.get<Page<CampaignSummary>>('/questionnaire-campaigns', params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCampaign(id: string) {
  return useQuery({
    queryKey: campaignKeys.detail(id),
    queryFn: ({ signal }) => api.get<CampaignDetail>(path(id), undefined, signal),
    enabled: !!id,
  });
}

/** Who a filter targets now (re-asked whenever the version or the filter changes; nothing is sent). */
export function useCampaignPreview(templateVersionId: string, filter: CampaignFilter, inviteContacts = true) {
  return useQuery({
    queryKey: [...campaignKeys.preview(templateVersionId, filter), inviteContacts],
    queryFn: () => api.post<CampaignPreview>('/questionnaire-campaigns/preview', { templateVersionId, filter, inviteContacts }),
    enabled: !!templateVersionId,
    placeholderData: keepPreviousData,
  });
}

export function useCreateCampaign() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RequestBody<typeof createCampaignSchema>) => api.post<CampaignDetail>('/questionnaire-campaigns', body),
    onSuccess: (c) => refresh(qc, c),
  });
}

export function useCampaignAction(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, ...body }: { action: 'pause' | 'resume' | 'cancel' } & Partial<RequestBody<typeof cancelCampaignSchema>>) =>
      api.post<CampaignDetail>(`${path(id)}/${action}`, body),
    onSuccess: (c) => refresh(qc, c),
  });
}
