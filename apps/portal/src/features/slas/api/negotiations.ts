import type { BreachView, CommitmentRow, NegotiationView, Page, PortfolioEntry, TermAnswer } from '@bulwark/api-schema';
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, type QueryParams } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

// ---- negotiations ----

export interface NegotiationListParams extends QueryParams {
  vendorId?: string;
}

/** A signed-off negotiation creates an SLA or a version: refresh those too. */
function refreshNegotiations(qc: QueryClient, n?: NegotiationView): Promise<void> {
  if (n) qc.setQueryData(keys.negotiation(n.id), n);
  return Promise.all([keys.negotiations, keys.slas, keys.contracts, keys.audit].map((queryKey) => qc.invalidateQueries({ queryKey }))).then(() => undefined);
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

export function useCreateNegotiation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<NegotiationView>('/negotiations', body),
    onSuccess: (n) => refreshNegotiations(qc, n),
  });
}

export interface RespondBody {
  round: number;
  answers: Record<string, TermAnswer>;
}

export function useRespondToNegotiation(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RespondBody) => api.post<NegotiationView>(`/negotiations/${id}/responses`, body),
    onSuccess: (n) => refreshNegotiations(qc, n),
  });
}

export function useProposeRound(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { terms: Record<string, unknown> }) => api.post<NegotiationView>(`/negotiations/${id}/rounds`, body),
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

// ---- breaches, portfolio, commitment chain ----

export interface BreachListParams extends QueryParams {
  vendorId?: string;
  slaId?: string;
  status?: string;
  page?: number;
  pageSize?: number;
}

function refreshBreaches(qc: QueryClient, b?: BreachView): Promise<void> {
  if (b) qc.setQueryData(keys.breach(b.id), b);
  return Promise.all([keys.breaches, keys.audit].map((queryKey) => qc.invalidateQueries({ queryKey }))).then(() => undefined);
}

export function useBreaches(params: BreachListParams, enabled = true) {
  return useQuery({
    queryKey: keys.breachList(params),
    queryFn: ({ signal }) => api.get<Page<BreachView>>('/breaches', params, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useBreach(id: string | null | undefined) {
  return useQuery({
    queryKey: keys.breach(id ?? ''),
    queryFn: ({ signal }) => api.get<BreachView>(`/breaches/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

export function useCommentOnBreach(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { body: string; evidenceLinks: string[] }) => api.post<BreachView>(`/breaches/${id}/comments`, body),
    onSuccess: (b) => refreshBreaches(qc, b),
  });
}

export function useResolveBreach(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { decision: string; note: string }) => api.post<BreachView>(`/breaches/${id}/resolve`, body),
    onSuccess: (b) => refreshBreaches(qc, b),
  });
}

export function useSlaPortfolio() {
  return useQuery({
    queryKey: keys.portfolio,
    queryFn: ({ signal }) => api.get<PortfolioEntry[]>('/sla-portfolio', undefined, signal),
  });
}

export function useCommitmentChain() {
  return useQuery({
    queryKey: keys.commitmentChain,
    queryFn: ({ signal }) => api.get<CommitmentRow[]>('/commitment-chain', undefined, signal),
  });
}
