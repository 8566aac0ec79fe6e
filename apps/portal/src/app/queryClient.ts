import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';

import { isApiError } from '../shared/api/client';
import { keys } from '../shared/api/keys';

/**
 * One QueryClient for the app. A 401 from any call (other than the ones that expect it, like
 * login) means the session is gone: clearing the cached session makes the route guard send the
 * user to /login.
 */
export function createQueryClient(): QueryClient {
  const onAuthError = (error: unknown, meta: Record<string, unknown> | undefined) => {
    if (isApiError(error) && error.status === 401 && !meta?.['skipAuthRedirect']) {
      queryClient.setQueryData(keys.session, null);
    }
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (query.queryKey[0] === keys.session[0]) return;
        onAuthError(error, query.meta);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _vars, _ctx, mutation) => onAuthError(error, mutation.meta),
      // Any change may move work from one side to the other: the inbox and its badges are read again.
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.inbox }),
    }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        retry: (failureCount, error) => {
          if (isApiError(error) && error.status > 0 && error.status < 500) return false;
          return failureCount < 2;
        },
      },
      mutations: { retry: false },
    },
  });
  return queryClient;
}
