// One QueryClient for the console: short staleness, no retry storms on 4xx, and session-expiry detection.
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isTRPCClientError } from '@trpc/client';
import { reportUnauthorized } from './session-store';

const NO_RETRY_STATUSES = new Set([400, 401, 403, 404, 409, 412, 429]);

function watchForExpiry(error: unknown): void {
  if (isTRPCClientError(error) && error.data?.code === 'UNAUTHORIZED') reportUnauthorized();
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: watchForExpiry }),
    mutationCache: new MutationCache({ onError: watchForExpiry }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        gcTime: 5 * 60_000,
        refetchOnWindowFocus: false,
        retry(failureCount, error) {
          // A 4xx will not get better by asking again; network blips and 5xx get two more tries.
          if (isTRPCClientError(error) && NO_RETRY_STATUSES.has(error.data?.httpStatus ?? 0)) return false;
          return failureCount < 2;
        },
      },
      mutations: { retry: false },
    },
  });
}
