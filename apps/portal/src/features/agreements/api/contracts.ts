import type { AttainmentEntry, ContractView, Page, SlaView, VendorSummary } from '@bulwark/api-schema';
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, type QueryParams } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

export interface ContractListParams extends QueryParams {
  vendorId?: string;
  status?: string;
  expiringWithinDays?: number;
  page?: number;
  pageSize?: number;
}

/** Contracts and SLAs are cross-linked (SLA counts, contract titles) and audited: refresh all of it after any write. */
function refreshAgreements(qc: QueryClient): Promise<void> {
  return Promise.all([keys.contracts, keys.slas, keys.audit].map((queryKey) => qc.invalidateQueries({ queryKey }))).then(() => undefined);
}

export function useContracts(params: ContractListParams, enabled = true) {
  return useQuery({
    queryKey: keys.contractList(params),
    queryFn: ({ signal }) => api.get<Page<ContractView>>('/contracts', params, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useContract(id: string | null | undefined) {
  return useQuery({
    queryKey: keys.contract(id ?? ''),
    queryFn: ({ signal }) => api.get<ContractView>(`/contracts/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

export type ContractWrite = Record<string, unknown>;

export function useCreateContract() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractWrite) => api.post<ContractView>('/contracts', body),
    onSuccess: (c) => {
      qc.setQueryData(keys.contract(c.id), c);
      return refreshAgreements(qc);
    },
  });
}

export function useUpdateContract(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractWrite) => api.patch<ContractView>(`/contracts/${id}`, body),
    onSuccess: (c) => {
      qc.setQueryData(keys.contract(c.id), c);
      return refreshAgreements(qc);
    },
  });
}

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

export type SlaWrite = Record<string, unknown>;

export function useCreateSla() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SlaWrite) => api.post<SlaView>('/slas', body),
    onSuccess: (s) => {
      qc.setQueryData(keys.sla(s.id), s);
      return refreshAgreements(qc);
    },
  });
}

export function useAddSlaVersion(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SlaWrite) => api.post<SlaView>(`/slas/${id}/versions`, body),
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

export interface VendorReportWrite {
  window: string;
  availability: number;
  note?: string | null;
}

export function useFileVendorReport(slaId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: VendorReportWrite) => api.post<void>(`/slas/${slaId}/vendor-reports`, body),
    onSuccess: () => refreshAgreements(qc),
  });
}

/** Every vendor of the organisation (for pickers and filters), page by page at the API's maximum page size. */
export function useAllVendors(enabled = true) {
  return useQuery({
    queryKey: keys.allVendors,
    enabled,
    staleTime: 60_000,
    queryFn: async ({ signal }) => {
      const pageSize = 200;
      const items: VendorSummary[] = [];
      for (let page = 1; page <= 50; page++) {
        const res = await api.get<Page<VendorSummary>>('/vendors', { page, pageSize, sort: 'name' }, signal);
        items.push(...res.items);
        if (res.items.length < pageSize || items.length >= res.total) break;
      }
      return items;
    },
  });
}
