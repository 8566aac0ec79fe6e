import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';

import { createContractSchema, updateContractSchema, type ContractView, type Page, type RequestBody } from '@bulwark/api-schema';

import { api, type QueryParams } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

export interface ContractListParams extends QueryParams {
  vendorId?: string;
  search?: string;
  status?: string;
  expiringWithinDays?: number;
  page?: number;
  pageSize?: number;
}

/** Contracts and SLAs are cross-linked (SLA counts, contract titles) and audited: refresh all of it after any write. */
export function refreshAgreements(qc: QueryClient): Promise<void> {
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

/** Body of POST /api/contracts. */
export type ContractCreate = RequestBody<typeof createContractSchema>;
/** Body of PATCH /api/contracts/:id. */
export type ContractUpdate = RequestBody<typeof updateContractSchema>;

export function useCreateContract() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractCreate) => api.post<ContractView>('/contracts', body),
    onSuccess: (c) => {
      qc.setQueryData(keys.contract(c.id), c);
      return refreshAgreements(qc);
    },
  });
}

export function useUpdateContract(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ContractUpdate) => api.patch<ContractView>(`/contracts/${id}`, body),
    onSuccess: (c) => {
      qc.setQueryData(keys.contract(c.id), c);
      return refreshAgreements(qc);
    },
  });
}
