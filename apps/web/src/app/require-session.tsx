// The gate in front of every console page: sends to /setup on a fresh install, to /login without a session.
import { useQuery } from '@tanstack/react-query';
import { isTRPCClientError } from '@trpc/client';
import { Navigate, useLocation } from 'react-router';
import { ErrorState, Skeleton } from '../components/states';
import { rememberSession } from '../lib/session-store';
import { useTRPC } from '../lib/trpc';
import { SessionContext } from './session';
import { Shell } from './shell';

export function RequireSession() {
  const trpc = useTRPC();
  const location = useLocation();
  const setup = useQuery(trpc.auth.setupStatus.queryOptions(undefined, { staleTime: 60_000 }));
  const me = useQuery(
    trpc.auth.me.queryOptions(undefined, { staleTime: 60_000, enabled: setup.data?.needsSetup === false }),
  );

  if (setup.isPending || (setup.data?.needsSetup === false && me.isPending)) return <FullPageLoading />;
  if (setup.error) return <FullPageError error={setup.error} onRetry={() => void setup.refetch()} />;
  if (setup.data?.needsSetup) return <Navigate to="/setup" replace />;
  if (me.error) {
    if (isTRPCClientError(me.error) && me.error.data?.code === 'UNAUTHORIZED') {
      const next = location.pathname + location.search;
      return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
    }
    return <FullPageError error={me.error} onRetry={() => void me.refetch()} />;
  }
  if (!me.data) return <FullPageLoading />;
  // Idempotent: the link reads the token for the x-csrf-token header of every mutation.
  rememberSession(me.data.csrfToken);
  return (
    <SessionContext.Provider value={me.data}>
      <Shell />
    </SessionContext.Provider>
  );
}

function FullPageLoading() {
  return (
    <div role="status" className="flex min-h-screen">
      <span className="sr-only">Loading the console…</span>
      <div className="hidden w-60 border-r border-slate-200 p-4 lg:block dark:border-slate-800">
        <Skeleton className="mb-6 h-7 w-32" />
        {Array.from({ length: 8 }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
          <Skeleton key={i} className="mb-2 h-6 w-full" />
        ))}
      </div>
      <div className="flex-1 p-8">
        <Skeleton className="mb-4 h-7 w-64" />
        <Skeleton className="h-40 w-full" />
      </div>
    </div>
  );
}

function FullPageError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <main className="mx-auto max-w-xl p-8">
      <ErrorState error={error} onRetry={onRetry} title="The console cannot reach the server" />
    </main>
  );
}
