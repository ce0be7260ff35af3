// Entry point: providers (TanStack Query, tRPC, toasts) around the router.
import './index.css';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { createAppRouter } from './app/routes';
import { ToastProvider } from './components/toasts';
import { createQueryClient } from './lib/query-client';
import { setSessionExpiredHandler } from './lib/session-store';
import { createApiClient, TRPCProvider } from './lib/trpc';

const queryClient = createQueryClient();
const apiClient = createApiClient();
const router = createAppRouter();

setSessionExpiredHandler(() => {
  queryClient.clear();
  const here = window.location.pathname + window.location.search;
  void router.navigate(`/login?expired=1&next=${encodeURIComponent(here)}`, { replace: true });
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={apiClient} queryClient={queryClient}>
        <ToastProvider>
          <RouterProvider router={router} />
        </ToastProvider>
      </TRPCProvider>
    </QueryClientProvider>
  </StrictMode>,
);
