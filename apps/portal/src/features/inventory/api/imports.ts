import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { ImportResult } from '@bulwark/api-schema';

import { isApiError, request } from '../../../shared/api/client';
import { invalidateInventory } from '../../../shared/api/keys';

export type ImportKind = 'vendors' | 'services';

function isImportResult(v: unknown): v is ImportResult {
  return typeof v === 'object' && v !== null && Array.isArray((v as { errors?: unknown }).errors) && 'ok' in v;
}

/**
 * Row errors come back as HTTP 422 in the standard error shape with the ImportResult in
 * `error.details`; those are returned, not thrown.
 */
export async function runImport(kind: ImportKind, csv: string, dryRun: boolean): Promise<ImportResult> {
  try {
    return await request<ImportResult>('POST', `/import/${kind}`, { query: { dryRun }, rawBody: csv, contentType: 'text/csv' });
  } catch (e) {
    if (isApiError(e) && e.status === 422) {
      if (isImportResult(e.payload)) return e.payload;
      const details = (e.payload as { error?: { details?: unknown } } | undefined)?.error?.details;
      if (isImportResult(details)) return details;
      if (e.fields.length) {
        return {
          ok: false,
          dryRun,
          created: 0,
          errors: e.fields.map((f) => {
            const m = /^(?:row\s*)?(\d+)\.?(.*)$/i.exec(f.path);
            return m ? { row: Number(m[1]), field: m[2] || '', message: f.message } : { row: 0, field: f.path, message: f.message };
          }),
        };
      }
    }
    throw e;
  }
}

export function useImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, csv, dryRun }: { kind: ImportKind; csv: string; dryRun: boolean }) => runImport(kind, csv, dryRun),
    onSuccess: (res) => {
      if (!res.dryRun && res.ok) void invalidateInventory(qc);
    },
  });
}
