import { useQuery } from '@tanstack/react-query';

import type { CommitmentRow } from '@bulwark/api-schema';

import { api } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

/** Required vs contractual vs measured RTO/RPO per dependency. */
export function useCommitmentChain() {
  return useQuery({
    queryKey: keys.commitmentChain,
    queryFn: ({ signal }) => api.get<CommitmentRow[]>('/commitment-chain', undefined, signal),
  });
}
