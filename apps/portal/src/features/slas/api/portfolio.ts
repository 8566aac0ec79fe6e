import { useQuery } from '@tanstack/react-query';

import type { PortfolioEntry } from '@bulwark/api-schema';

import { api } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

/** Every SLA of the organization from the attainment rollup. */
export function useSlaPortfolio() {
  return useQuery({
    queryKey: keys.portfolio,
    queryFn: ({ signal }) => api.get<PortfolioEntry[]>('/sla-portfolio', undefined, signal),
  });
}
