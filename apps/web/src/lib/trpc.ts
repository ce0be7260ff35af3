// The typed tRPC client of the console: batched HTTP with the session cookie and the CSRF header; subscriptions
// (jobs.watch) over Server-Sent Events on the same origin, so the session cookie goes along.

import { REQUEST_LIMITS } from '@netplane/domain';
import type { AppRouter } from '@netplane/server/app-router';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { getSessionFacts } from './session-store';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function createApiClient() {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // EventSource reconnects by itself; the console falls back to polling while it is down.
        true: httpSubscriptionLink({ url: '/trpc' }),
        false: httpBatchLink({
          url: '/trpc',
          maxURLLength: 4000,
          // The server refuses bigger batches (REQUEST_LIMITS, docs/operations.md "Request limits").
          maxItems: REQUEST_LIMITS.maxBatchSize,
          headers() {
            const { csrfToken } = getSessionFacts();
            return csrfToken ? { 'x-csrf-token': csrfToken } : {};
          },
          fetch(url, options) {
            return fetch(url, { ...options, credentials: 'same-origin' });
          },
        }),
      }),
    ],
  });
}
