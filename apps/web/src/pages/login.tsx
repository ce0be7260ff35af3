// /login: username and password, with distinct messages for a wrong password, a lockout (and its wait) and expiry.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Clock, LogIn } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { AuthLayout } from '../app/auth-layout';
import { Button } from '../components/button';
import { Input } from '../components/field';
import { readError } from '../lib/errors';
import { rememberSession } from '../lib/session-store';
import { useTRPC } from '../lib/trpc';

/** Only same-site paths may be a post-login target, never an absolute URL. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const setup = useQuery(trpc.auth.setupStatus.queryOptions());
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: (session) => {
        rememberSession(session.csrfToken);
        queryClient.setQueryData(trpc.auth.me.queryKey(), {
          user: session.user,
          csrfToken: session.csrfToken,
        });
        void navigate(safeNext(params.get('next')), { replace: true });
      },
    }),
  );

  if (setup.data?.needsSetup) return <Navigate to="/setup" replace />;

  function submit(e: FormEvent) {
    e.preventDefault();
    login.mutate({ username: username.trim(), password });
  }

  const error = login.error ? readError(login.error) : null;
  const retryAfter = error?.appCode === 'RATE_LIMITED' ? Number(error.details?.retryAfterSeconds ?? 0) : 0;
  const isExpired = params.get('expired') === '1' && !login.isSuccess;

  return (
    <AuthLayout title="Log in" subtitle="Use the account your Netplane admin gave you.">
      {isExpired && !error && (
        <p
          role="status"
          className="mb-4 flex items-center gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
        >
          <Clock aria-hidden className="size-4" />
          Your session expired. Log in again to continue.
        </p>
      )}
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Input
          label="Username"
          name="username"
          autoComplete="username"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          error={error?.fieldErrors.username}
        />
        <Input
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={error?.fieldErrors.password}
        />
        {error && (
          <div
            role="alert"
            className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200"
          >
            {error.appCode === 'RATE_LIMITED' ? (
              <>
                <strong>Too many failed attempts.</strong> Wait{' '}
                {retryAfter > 0 ? `${retryAfter} seconds` : 'a while'} before trying again.
              </>
            ) : error.appCode === 'UNAUTHENTICATED' ? (
              <>
                <strong>Wrong username or password.</strong> Check both and try again.
              </>
            ) : (
              error.message
            )}
          </div>
        )}
        <Button
          type="submit"
          variant="primary"
          className="w-full"
          isBusy={login.isPending}
          disabled={!username || !password}
          icon={<LogIn aria-hidden className="size-4" />}
        >
          Log in
        </Button>
      </form>
    </AuthLayout>
  );
}
