import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';

import {
  auditItemDecisionSchema,
  auditItemResponseSchema,
  auditTransitionSchema,
  createAuditSchema,
  newAuditItemSchema,
  windowDecisionSchema,
  type AuditDetail,
  type AuditView,
  type Entitlement,
  type Page,
  type RequestBody,
} from '@bulwark/api-schema';

import { api, type QueryParams } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

/** Query keys of the audits feature (right-to-audit requests; `keys.audit` is the audit LOG). */
export const auditKeys = {
  all: ['audits'] as const,
  list: (params: object) => ['audits', 'list', params] as const,
  detail: (id: string) => ['audits', 'detail', id] as const,
  entitlement: (params: object) => ['audits', 'entitlement', params] as const,
};

export interface AuditListParams extends QueryParams {
  vendorId?: string;
  contractId?: string;
  status?: string;
  page?: number;
  pageSize?: number;
}

export interface EntitlementParams extends QueryParams {
  vendorId: string;
  contractId?: string;
  mode: string;
  proposedStart: string;
  regulator?: string;
}

function refresh(qc: QueryClient, a?: AuditDetail): Promise<void> {
  if (a) qc.setQueryData(auditKeys.detail(a.id), a);
  return Promise.all(
    [auditKeys.all, keys.inbox, keys.audit, keys.notifications].map((queryKey) => qc.invalidateQueries({ queryKey })),
  ).then(() => undefined);
}

export function useAudits(params: AuditListParams, enabled = true) {
  return useQuery({
    queryKey: auditKeys.list(params),
    queryFn: ({ signal }) => api.get<Page<AuditView>>('/audits', params, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useAudit(id: string) {
  return useQuery({
    queryKey: auditKeys.detail(id),
    queryFn: ({ signal }) => api.get<AuditDetail>(`/audits/${encodeURIComponent(id)}`, undefined, signal),
    enabled: !!id,
  });
}

/** The entitlement a proposed audit has, asked again whenever the vendor, mode, start or auditor changes. */
export function useEntitlement(params: EntitlementParams | null) {
  return useQuery({
    queryKey: auditKeys.entitlement(params ?? {}),
    queryFn: ({ signal }) => api.get<Entitlement>('/audits/entitlement', params!, signal),
    enabled: !!params,
    placeholderData: keepPreviousData,
  });
}

export type CreateAuditBody = RequestBody<typeof createAuditSchema>;
export type AuditTransitionBody = RequestBody<typeof auditTransitionSchema>;
export type WindowDecisionBody = RequestBody<typeof windowDecisionSchema>;
export type AuditItemResponseBody = RequestBody<typeof auditItemResponseSchema>;
export type AuditItemDecisionBody = RequestBody<typeof auditItemDecisionSchema>;
export type NewAuditItemBody = RequestBody<typeof newAuditItemSchema>;

export function useCreateAudit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateAuditBody) => api.post<AuditDetail>('/audits', body),
    onSuccess: (a) => refresh(qc, a),
  });
}

export function useTransitionAudit(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AuditTransitionBody) => api.post<AuditDetail>(`/audits/${id}/transitions`, body),
    onSuccess: (a) => refresh(qc, a),
    onError: () => refresh(qc),
  });
}

export function useDecideWindow(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: WindowDecisionBody) => api.post<AuditDetail>(`/audits/${id}/window-decision`, body),
    onSuccess: (a) => refresh(qc, a),
    onError: () => refresh(qc),
  });
}

export function useRespondItem(auditId: string, itemId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AuditItemResponseBody) => api.post<AuditDetail>(`/audits/${auditId}/items/${itemId}/responses`, body),
    onSuccess: (a) => refresh(qc, a),
  });
}

export function useDecideItem(auditId: string, itemId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AuditItemDecisionBody) => api.post<AuditDetail>(`/audits/${auditId}/items/${itemId}/decision`, body),
    onSuccess: (a) => refresh(qc, a),
  });
}

export function useAddItem(auditId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NewAuditItemBody) => api.post<AuditDetail>(`/audits/${auditId}/items`, body),
    onSuccess: (a) => refresh(qc, a),
  });
}
