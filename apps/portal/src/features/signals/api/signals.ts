import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useMemo, useRef } from 'react';

import {
  can,
  createSourceSchema,
  testSourceSchema,
  updateSourceSchema,
  type DegradedEntry,
  type Page,
  type PluginInfo,
  type RequestBody,
  type SignalChangeView,
  type SignalDetailView,
  type SignalSourceView,
  type SignalView,
  type TestSourceResult,
  type VendorSignalSummary,
  type VendorStatus,
} from '@bulwark/api-schema';

import { useCurrentUser } from '../../../app/session';
import { api, isApiError, request, type QueryParams } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';
import { scoreModelIndex, type ScoreModels } from '../lib/signals';

/** Right after "Poll now" (and briefly while a source is `pending`) the outcome is fetched every 2 s. */
export const FAST_REFRESH_MS = 2_000;
/** Live status is refreshed every minute in the background. */
export const LIVE_REFRESH_MS = 60_000;

/** A polled source waiting for its first poll. (Push sources stay pending until data arrives; polling does not help.) */
export function hasPendingSource(sources: readonly SignalSourceView[] | undefined): boolean {
  return !!sources?.some((s) => s.status === 'pending' && !s.webhookUrl);
}

/**
 * Refetch interval for queries that carry sources: every 2 s while watched (after "Poll now") or
 * for the first 30 s a source is pending, every 10 s up to 3 min, then the normal minute.
 */
function usePendingAwareInterval(watch: (() => boolean) | undefined) {
  const pendingSince = useRef<number | null>(null);
  return (sources: readonly SignalSourceView[] | undefined): number => {
    if (watch?.()) return FAST_REFRESH_MS;
    if (!hasPendingSource(sources)) {
      pendingSince.current = null;
      return LIVE_REFRESH_MS;
    }
    pendingSince.current ??= Date.now();
    const age = Date.now() - pendingSince.current;
    return age < 30_000 ? FAST_REFRESH_MS : age < 180_000 ? 10_000 : LIVE_REFRESH_MS;
  };
}

export function usePlugins(enabled = true) {
  return useQuery({
    queryKey: keys.plugins,
    queryFn: ({ signal }) => api.get<PluginInfo[]>('/plugins', undefined, signal),
    staleTime: 10 * 60_000,
    enabled,
  });
}

/**
 * The score models the plugins declare (labels, zones). Listing plugins is for internal roles: a
 * vendor contact gets none, so scores show their raw model key and no zones.
 */
export function useScoreModels(): ScoreModels {
  const { role } = useCurrentUser();
  const plugins = usePlugins(can(role, 'plugin.read'));
  return useMemo(() => scoreModelIndex(plugins.data), [plugins.data]);
}

export interface WatchOptions {
  enabled?: boolean;
  /** Extra reason to refresh quickly (e.g. a poll was just queued). Read on every refetch decision. */
  watch?: () => boolean;
}

export function useSignalSources(vendorId: string, opts: WatchOptions = {}) {
  const interval = usePendingAwareInterval(opts.watch);
  return useQuery({
    queryKey: keys.signalSources(vendorId),
    queryFn: ({ signal }) => api.get<SignalSourceView[]>('/signal-sources', { vendorId }, signal),
    enabled: opts.enabled ?? true,
    refetchInterval: (q) => interval(q.state.data),
  });
}

export function useVendorSignals(vendorId: string | null | undefined, opts: WatchOptions = {}) {
  const interval = usePendingAwareInterval(opts.watch);
  return useQuery({
    queryKey: keys.vendorSignals(vendorId ?? ''),
    queryFn: ({ signal }) => api.get<VendorSignalSummary>(`/vendors/${encodeURIComponent(vendorId ?? '')}/signals`, undefined, signal),
    enabled: !!vendorId && (opts.enabled ?? true),
    refetchInterval: (q) => interval(q.state.data?.sources),
  });
}

/**
 * The vendor's open signals after the summary's first page: the next pages from `after` (the
 * summary's `nextCursor`), fetched one at a time on demand. A refreshed summary with another cursor
 * starts over.
 */
export function useMoreOpenSignals(vendorId: string, after: string | null, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: [...keys.vendorSignals(vendorId), 'more', after ?? ''],
    queryFn: ({ pageParam, signal }) =>
      api.get<VendorSignalSummary>(`/vendors/${encodeURIComponent(vendorId)}/signals`, { cursor: pageParam }, signal),
    initialPageParam: after ?? '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: enabled && !!after,
  });
}

/** How many of a summary's open signals are not operational (on every page). */
export function openIssues(summary: Pick<VendorSignalSummary, 'openTotal' | 'openByLevel'>): number {
  return summary.openTotal - (summary.openByLevel.find((l) => l.level === 'operational')?.count ?? 0);
}

export interface SignalListParams extends QueryParams {
  vendorId?: string;
  sourceId?: string;
  level?: string;
  open?: 'true' | 'false';
  kind?: 'health' | 'financial';
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
}

export function useSignals(params: SignalListParams, opts: { enabled?: boolean; refetchInterval?: number | false } = {}) {
  return useQuery({
    queryKey: keys.signalList(params),
    queryFn: ({ signal }) => api.get<Page<SignalView>>('/signals', params, signal),
    placeholderData: keepPreviousData,
    enabled: opts.enabled ?? true,
    refetchInterval: opts.refetchInterval ?? false,
  });
}

/** One signal (GET /api/signals/:id), for the detail drawer. */
export function useSignal(id: string | null) {
  return useQuery({
    queryKey: keys.signal(id ?? ''),
    queryFn: ({ signal }) => api.get<SignalDetailView>(`/signals/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

/** The signal's recorded states, oldest first. */
export function useSignalHistory(id: string | null) {
  return useQuery({
    queryKey: keys.signalHistory(id ?? ''),
    queryFn: ({ signal }) => api.get<SignalChangeView[]>(`/signals/${encodeURIComponent(id ?? '')}/history`, undefined, signal),
    enabled: !!id,
  });
}

/** Same-origin download of the raw body: a plain `<a href download>` sends the session cookie. */
export function signalRawUrl(id: string): string {
  return `/api/signals/${encodeURIComponent(id)}/raw`;
}

export function useDegraded() {
  return useQuery({
    queryKey: keys.degraded,
    queryFn: ({ signal }) => api.get<DegradedEntry[]>('/signals/degraded', undefined, signal),
    refetchInterval: LIVE_REFRESH_MS,
    refetchIntervalInBackground: false,
  });
}

/** Every vendor's status (level, monitoring, unwatched critical dependencies), refreshed with Live status. */
export function useVendorStatuses(enabled = true) {
  return useQuery({
    queryKey: keys.vendorStatuses,
    queryFn: ({ signal }) => api.get<VendorStatus[]>('/signals/status', undefined, signal),
    refetchInterval: LIVE_REFRESH_MS,
    refetchIntervalInBackground: false,
    enabled,
  });
}

function refreshSignals(qc: QueryClient): Promise<void> {
  return Promise.all([qc.invalidateQueries({ queryKey: keys.signals }), qc.invalidateQueries({ queryKey: keys.audit })]).then(
    () => undefined,
  );
}

/** Body of POST /api/signal-sources (validated with createSourceSchema). */
export type SourceCreate = RequestBody<typeof createSourceSchema>;

/** Body of PATCH /api/signal-sources/:id: secret fields left out keep their stored value, `null` clears one. */
export type SourceUpdate = RequestBody<typeof updateSourceSchema>;

/** Body of POST /api/signal-sources/test. */
export type TestSourceBody = RequestBody<typeof testSourceSchema>;

export function useCreateSource() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SourceCreate) => api.post<SignalSourceView>('/signal-sources', body),
    onSuccess: () => refreshSignals(qc),
  });
}

export function useUpdateSource() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: SourceUpdate }) => api.patch<SignalSourceView>(`/signal-sources/${id}`, body),
    onSuccess: () => refreshSignals(qc),
  });
}

export function useDeleteSource() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/signal-sources/${id}`),
    onSuccess: () => refreshSignals(qc),
  });
}

/** Queues a poll; the outcome shows on the source a moment later (the caller refetches). */
export function usePollSource() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<{ queued: boolean }>(`/signal-sources/${id}/poll`),
    onSuccess: () => {
      // The worker needs a moment: look again shortly, then the queries keep polling while watched.
      setTimeout(() => void refreshSignals(qc), 1_500);
    },
  });
}

/** Runs a plugin once with a config and returns what would be ingested; nothing is stored. */
export function useTestSource() {
  return useMutation({
    mutationFn: (body: TestSourceBody) => api.post<TestSourceResult>('/signal-sources/test', body),
  });
}

export interface UploadRowError {
  row: number;
  message: string;
}

export type UploadResult = { ok: true; received: number; changed: number } | { ok: false; message: string; errors: UploadRowError[] };

function rowErrors(payload: unknown): UploadRowError[] | null {
  const details = (payload as { error?: { details?: unknown } } | undefined)?.error?.details;
  const errors = (details as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return null;
  return errors
    .filter((e): e is { row: unknown; message: unknown } => typeof e === 'object' && e !== null)
    .map((e) => ({ row: Number(e.row) || 0, message: String(e.message ?? '') }));
}

/** CSV upload for a push source. Bad rows come back as HTTP 422 with `error.details.errors`; those are returned, not thrown. */
export async function uploadSourceCsv(id: string, csv: string): Promise<UploadResult> {
  try {
    const res = await request<{ received: number; changed: number }>('POST', `/signal-sources/${id}/upload`, {
      rawBody: csv,
      contentType: 'text/csv',
    });
    return { ok: true, received: res?.received ?? 0, changed: res?.changed ?? 0 };
  } catch (e) {
    if (isApiError(e) && e.status === 422) {
      const errors =
        rowErrors(e.payload) ??
        e.fields.map((f) => {
          const m = /^(?:row\s*)?(\d+)/i.exec(f.path);
          return { row: m ? Number(m[1]) : 0, message: f.message };
        });
      return { ok: false, message: e.message, errors };
    }
    throw e;
  }
}

export function useUploadSource() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, csv }: { id: string; csv: string }) => uploadSourceCsv(id, csv),
    onSuccess: (res) => {
      if (res.ok) void refreshSignals(qc);
    },
  });
}
