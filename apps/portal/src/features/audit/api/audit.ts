import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';

import type { AuditEntryView, AuditVerifyResult, Page } from '@bulwark/api-schema';

import { api, type QueryParams } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

export interface AuditFilters extends QueryParams {
  entityType?: string;
  action?: string;
  actorId?: string;
  from?: string;
  to?: string;
  /** Leaves out `auth.*` entries (sign-ins). */
  hideSignIns?: 'true';
}

/** `sort`: seq, at, action, entityType or actorEmail, `-` for descending (default `-seq`, the newest first). */
export function useAuditLog(params: AuditFilters & { page: number; pageSize: number; sort?: string }) {
  return useQuery({
    queryKey: keys.auditList(params),
    queryFn: ({ signal }) => api.get<Page<AuditEntryView>>('/audit-log', params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useVerifyAuditChain() {
  return useMutation({
    mutationFn: () => api.get<AuditVerifyResult>('/audit-log/verify'),
  });
}
