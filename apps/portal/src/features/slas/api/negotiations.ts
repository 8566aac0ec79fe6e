import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';

import { createNegotiationSchema, proposeRoundSchema, respondSchema, type NegotiationView, type RequestBody } from '@bulwark/api-schema';

import { api, type QueryParams } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

export interface NegotiationListParams extends QueryParams {
  vendorId?: string;
  search?: string;
}

/** A signed-off negotiation creates an SLA or a version: refresh those too. */
function refreshNegotiations(qc: QueryClient, n?: NegotiationView): Promise<void> {
  if (n) qc.setQueryData(keys.negotiation(n.id), n);
  return Promise.all([keys.negotiations, keys.slas, keys.contracts, keys.audit].map((queryKey) => qc.invalidateQueries({ queryKey }))).then(
    () => undefined,
  );
}

export function useNegotiations(params: NegotiationListParams = {}, enabled = true) {
  return useQuery({
    queryKey: keys.negotiationList(params),
    queryFn: ({ signal }) => api.get<NegotiationView[]>('/negotiations', params, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useNegotiation(id: string | null | undefined) {
  return useQuery({
    queryKey: keys.negotiation(id ?? ''),
    queryFn: ({ signal }) => api.get<NegotiationView>(`/negotiations/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
    // The other side acts in their own session: pick up their moves without a reload.
    refetchInterval: 15_000,
  });
}

/** Body of POST /api/negotiations. */
export type NegotiationCreate = RequestBody<typeof createNegotiationSchema>;

export function useCreateNegotiation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NegotiationCreate) => api.post<NegotiationView>('/negotiations', body),
    onSuccess: (n) => refreshNegotiations(qc, n),
  });
}

export type RespondBody = RequestBody<typeof respondSchema>;

export function useRespondToNegotiation(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RespondBody) => api.post<NegotiationView>(`/negotiations/${id}/responses`, body),
    onSuccess: (n) => refreshNegotiations(qc, n),
  });
}

export type ProposeRoundBody = RequestBody<typeof proposeRoundSchema>;

export function useProposeRound(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ProposeRoundBody) => api.post<NegotiationView>(`/negotiations/${id}/rounds`, body),
    onSuccess: (n) => refreshNegotiations(qc, n),
  });
}

export function useSignOffNegotiation(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<NegotiationView>(`/negotiations/${id}/sign-off`),
    onSuccess: (n) => refreshNegotiations(qc, n),
  });
}

export function useCancelNegotiation(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<NegotiationView>(`/negotiations/${id}/cancel`),
    onSuccess: (n) => refreshNegotiations(qc, n),
  });
}
