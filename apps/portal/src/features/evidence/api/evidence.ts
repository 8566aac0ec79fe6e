import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import type { EvidenceKind, EvidenceStatus, EvidenceTargetType, EvidenceView, Page } from '@bulwark/api-schema';

import { api, ApiError, type QueryParams } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

export const evidenceKeys = {
  all: ['evidence'] as const,
  list: (params: object) => ['evidence', 'list', params] as const,
};

export interface EvidenceListParams extends QueryParams {
  vendorId?: string;
  kind?: EvidenceKind;
  status?: EvidenceStatus;
  expiringWithinDays?: number;
  targetType?: EvidenceTargetType;
  targetId?: string;
  page?: number;
  pageSize?: number;
}

export function useEvidenceList(params: EvidenceListParams, enabled = true) {
  return useQuery({
    queryKey: evidenceKeys.list(params),
    queryFn: ({ signal }) => api.get<Page<EvidenceView>>('/evidence', params, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Same-origin download URL: a plain `<a href download>` sends the session cookie. */
export function evidenceDownloadUrl(evidenceId: string, revisionId: string): string {
  return `/api/evidence/${encodeURIComponent(evidenceId)}/revisions/${encodeURIComponent(revisionId)}/download`;
}

export interface UploadInput {
  /** Form fields sent before the file, in this order (the API reads fields first, then the `file` part). */
  fields: Record<string, string | undefined>;
  file: File;
  /** 0–100 as the browser sends the body. */
  onProgress?: (percent: number) => void;
}

/**
 * A multipart upload through XMLHttpRequest, whose `upload.onprogress` reports how much of the body has
 * been sent (fetch cannot). Errors are the same `ApiError` as every other call.
 */
export function uploadWithProgress(path: string, { fields, file, onProgress }: UploadInput): Promise<EvidenceView> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') form.append(k, v);
  form.append('file', file, file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api${path}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.'));
    xhr.onload = () => {
      let body: unknown = undefined;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = xhr.responseText;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as EvidenceView);
      const err = (body as { error?: { code: string; message: string; fields?: { path: string; message: string }[]; errorId?: string } })
        ?.error;
      reject(
        err
          ? new ApiError(xhr.status, err.code, err.message, err.fields ?? [], err.errorId, body)
          : new ApiError(
              xhr.status,
              `http.${xhr.status}`,
              xhr.status === 413 ? 'The file is too large.' : `Upload failed (HTTP ${xhr.status}).`,
            ),
      );
    };
    xhr.send(form);
  });
}

function useRefresh() {
  const qc = useQueryClient();
  return () =>
    Promise.all([evidenceKeys.all, keys.allContractDocuments, keys.audit].map((queryKey) => qc.invalidateQueries({ queryKey }))).then(
      () => undefined,
    );
}

export function useUploadEvidence() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (input: UploadInput) => uploadWithProgress('/evidence', input), onSuccess: refresh });
}

export function useAddRevision(evidenceId: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (input: UploadInput) => uploadWithProgress(`/evidence/${encodeURIComponent(evidenceId)}/revisions`, input),
    onSuccess: refresh,
  });
}

export function useLinkEvidence(evidenceId: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: { targetType: EvidenceTargetType; targetId: string }) =>
      api.post<EvidenceView>(`/evidence/${encodeURIComponent(evidenceId)}/links`, body),
    onSuccess: refresh,
  });
}

export function useUnlinkEvidence(evidenceId: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (linkId: string) =>
      api.delete<EvidenceView>(`/evidence/${encodeURIComponent(evidenceId)}/links/${encodeURIComponent(linkId)}`),
    onSuccess: refresh,
  });
}

/** One evidence item (`GET /api/evidence/:id`), e.g. to name the evidence a finding or a comment refers to. */
export function useEvidenceItem(id: string | null | undefined) {
  return useQuery({
    queryKey: ['evidence', 'item', id ?? ''] as const,
    queryFn: ({ signal }) => api.get<EvidenceView>(`/evidence/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
    retry: false,
  });
}
