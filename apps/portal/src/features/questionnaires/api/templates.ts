import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';

import type {
  Page,
  TemplateDetail,
  TemplateDocument,
  TemplateDocumentInput,
  TemplateImportFormat,
  TemplateSummary,
} from '@bulwark/api-schema';

import { api, request, type QueryParams } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

/** Query keys of the questionnaires feature. */
export const templateKeys = {
  all: ['questionnaire-templates'] as const,
  list: (params: object) => ['questionnaire-templates', 'list', params] as const,
  detail: (id: string) => ['questionnaire-templates', 'detail', id] as const,
};

export interface TemplateListParams extends QueryParams {
  search?: string;
  status?: string;
  sort?: string;
  page?: number;
  pageSize?: number;
}

function refresh(qc: QueryClient, t?: TemplateDetail): Promise<void> {
  if (t) qc.setQueryData(templateKeys.detail(t.id), t);
  return Promise.all([templateKeys.all, keys.audit].map((queryKey) => qc.invalidateQueries({ queryKey }))).then(() => undefined);
}

export function useTemplates(params: TemplateListParams) {
  return useQuery({
    queryKey: templateKeys.list(params),
    queryFn: ({ signal }) => api.get<Page<TemplateSummary>>('/questionnaire-templates', params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useTemplate(id: string) {
  return useQuery({
    queryKey: templateKeys.detail(id),
    queryFn: ({ signal }) => api.get<TemplateDetail>(`/questionnaire-templates/${encodeURIComponent(id)}`, undefined, signal),
    enabled: !!id,
  });
}

/** Imports a file as sent: its text, with the format chosen (or found from the content) and its name. */
export function useImportTemplate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { text: string; format: TemplateImportFormat | ''; fileName: string }) =>
      request<TemplateDetail>('POST', '/questionnaire-templates/import', {
        rawBody: input.text,
        contentType: 'text/plain',
        query: { format: input.format || undefined, fileName: input.fileName || undefined },
      }),
    onSuccess: (t) => refresh(qc, t),
  });
}

export function usePublishTemplate(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { version: number; revision: number }) =>
      api.post<TemplateDetail>(`/questionnaire-templates/${id}/versions/${input.version}/publish`, { revision: input.revision }),
    onSuccess: (t) => refresh(qc, t),
    onError: () => refresh(qc),
  });
}

export function useNewTemplateDraft(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (fromVersion?: number) =>
      api.post<TemplateDetail>(`/questionnaire-templates/${id}/versions`, fromVersion ? { fromVersion } : {}),
    onSuccess: (t) => refresh(qc, t),
  });
}

export function useArchiveTemplate(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (archived: boolean) => api.post<TemplateDetail>(`/questionnaire-templates/${id}/${archived ? 'archive' : 'restore'}`, {}),
    onSuccess: (t) => refresh(qc, t),
  });
}

/** A new template: its first version, a draft, holds this document. */
export function useCreateTemplate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (doc: TemplateDocumentInput) => api.post<TemplateDetail>('/questionnaire-templates', doc),
    onSuccess: (t) => refresh(qc, t),
  });
}

/** Replaces a draft's whole document; `revision` is the one the builder loaded (a stale one is a 409). */
export function useSaveTemplateDraft(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { version: number; revision: number; content: TemplateDocument }) =>
      api.put<TemplateDetail>(`/questionnaire-templates/${id}/versions/${input.version}`, {
        revision: input.revision,
        content: input.content,
      }),
    onSuccess: (t) => refresh(qc, t),
  });
}
