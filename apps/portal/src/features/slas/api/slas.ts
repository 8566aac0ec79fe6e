import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  createSlaSchema,
  newSlaVersionSchema,
  vendorReportSchema,
  type AttainmentEntry,
  type RequestBody,
  type SlaView,
  type WindowIncidents,
} from '@bulwark/api-schema';

import { api, type QueryParams } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';
import { refreshAgreements } from '../../agreements/api/contracts';

export interface SlaListParams extends QueryParams {
  vendorId?: string;
  contractId?: string;
}

export function useSlas(params: SlaListParams, enabled = true) {
  return useQuery({
    queryKey: keys.slaList(params),
    queryFn: ({ signal }) => api.get<SlaView[]>('/slas', params, signal),
    enabled,
  });
}

export function useSla(id: string | null | undefined) {
  return useQuery({
    queryKey: keys.sla(id ?? ''),
    queryFn: ({ signal }) => api.get<SlaView>(`/slas/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

/** Body of POST /api/slas. */
export type SlaCreate = RequestBody<typeof createSlaSchema>;
/** Body of POST /api/slas/:id/versions. */
export type SlaVersionCreate = RequestBody<typeof newSlaVersionSchema>;

export function useCreateSla() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SlaCreate) => api.post<SlaView>('/slas', body),
    onSuccess: (s) => {
      qc.setQueryData(keys.sla(s.id), s);
      return refreshAgreements(qc);
    },
  });
}

export function useAddSlaVersion(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SlaVersionCreate) => api.post<SlaView>(`/slas/${id}/versions`, body),
    onSuccess: () => refreshAgreements(qc),
  });
}

/** One entry per SLA window between two months (inclusive, `YYYY-MM`). */
export function useAttainment(id: string, from: string, to: string, enabled = true) {
  return useQuery({
    queryKey: keys.attainment(id, from, to),
    queryFn: ({ signal }) => api.get<AttainmentEntry[]>(`/slas/${encodeURIComponent(id)}/attainment`, { from, to }, signal),
    placeholderData: keepPreviousData,
    enabled: enabled && !!id && !!from && !!to,
  });
}

export type VendorReportWrite = RequestBody<typeof vendorReportSchema>;

export function useFileVendorReport(slaId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: VendorReportWrite) => api.post<void>(`/slas/${slaId}/vendor-reports`, body),
    onSuccess: () => refreshAgreements(qc),
  });
}

/** The outage intervals of one window of an SLA, with their weights and counted downtime (`GET /api/slas/:id/incidents`). */
export function useWindowIncidents(slaId: string, window: string | null) {
  return useQuery({
    queryKey: ['slas', 'incidents', slaId, window ?? ''],
    queryFn: ({ signal }) => api.get<WindowIncidents>(`/slas/${encodeURIComponent(slaId)}/incidents`, { window: window ?? '' }, signal),
    enabled: !!window,
  });
}
