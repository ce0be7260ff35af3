// The typed tRPC client of the console: batched HTTP with the session cookie and the CSRF header.
import type { AppRouter } from '@netplane/api';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { getSessionFacts } from './session-store';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function createApiClient() {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: '/trpc',
        maxURLLength: 4000,
        headers() {
          const { csrfToken } = getSessionFacts();
          return csrfToken ? { 'x-csrf-token': csrfToken } : {};
        },
        fetch(url, options) {
          return fetch(url, { ...options, credentials: 'same-origin' });
        },
      }),
    ],
  });
}
