import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import type { ContractDocumentView } from '@bulwark/api-schema';

import { api, request } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';
import { evidenceKeys } from '../../evidence/api/evidence';

export function useContractDocuments(contractId: string) {
  return useQuery({
    queryKey: keys.contractDocuments(contractId),
    queryFn: ({ signal }) => api.get<ContractDocumentView[]>(`/contracts/${encodeURIComponent(contractId)}/documents`, undefined, signal),
    enabled: !!contractId,
  });
}

/** Same-origin download URL (the evidence vault's download, hash verified): a plain `<a href download>` sends the session cookie. */
export function documentDownloadUrl(contractId: string, documentId: string): string {
  return `/api/contracts/${encodeURIComponent(contractId)}/documents/${encodeURIComponent(documentId)}`;
}

/**
 * Uploads the file as the raw request body with its own content type; the name goes in `?name=`. The server
 * stores it through the evidence vault's intake as evidence of kind `contract` linked to the contract.
 */
export function useUploadContractDocument(contractId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (file: File) =>
      request<ContractDocumentView>('POST', `/contracts/${encodeURIComponent(contractId)}/documents`, {
        query: { name: file.name },
        rawBody: file,
        contentType: file.type || 'application/octet-stream',
      }),
    onSuccess: () =>
      Promise.all(
        [keys.contractDocuments(contractId), evidenceKeys.all, keys.audit].map((queryKey) => qc.invalidateQueries({ queryKey })),
      ).then(() => undefined),
  });
}
