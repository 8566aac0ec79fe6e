import { useQuery } from '@tanstack/react-query';

import type { ConcentrationReport, DependencyMap, SinglePointOfFailure } from '@bulwark/api-schema';

import { api } from '../../../shared/api/client';
import { keys } from '../../../shared/api/keys';

export function useDependencyMap() {
  return useQuery({
    queryKey: keys.dependencyMap,
    queryFn: ({ signal }) => api.get<DependencyMap>('/analysis/dependency-map', undefined, signal),
  });
}

export function useSinglePointsOfFailure() {
  return useQuery({
    queryKey: keys.spofs,
    queryFn: ({ signal }) => api.get<SinglePointOfFailure[]>('/analysis/single-points-of-failure', undefined, signal),
  });
}

export function useConcentration() {
  return useQuery({
    queryKey: keys.concentration,
    queryFn: ({ signal }) => api.get<ConcentrationReport>('/analysis/concentration', undefined, signal),
  });
}
