// /setup: the first admin is created here with the one-time token the server printed at its first start.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ShieldCheck } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { AuthLayout } from '../app/auth-layout';
import { Button } from '../components/button';
import { Input } from '../components/field';
import { LoadingRows } from '../components/states';
import { checkPassword, checkUsername } from '../lib/account-rules';
import { readError } from '../lib/errors';
import { rememberSession } from '../lib/session-store';
import { useTRPC } from '../lib/trpc';

type Errors = Partial<Record<'token' | 'username' | 'password' | 'confirm', string>>;

// The same rules as the server's setup input; the server checks again and its field errors are shown too.
function validate(token: string, username: string, password: string, confirm: string): Errors {
  const errors: Errors = {};
  if (!token.trim()) errors.token = 'Paste the setup token from the server console';
  const badUsername = checkUsername(username);
  if (badUsername) errors.username = badUsername;
  const badPassword = checkPassword(password);
  if (badPassword) errors.password = badPassword;
  if (confirm !== password) errors.confirm = 'The two passwords differ';
  return errors;
}

export function SetupPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [form, setForm] = useState({ token: '', username: 'admin', password: '', confirm: '' });
  const [shown, setShown] = useState<Errors>({});
  const status = useQuery(trpc.auth.setupStatus.queryOptions());
  const setup = useMutation(
    trpc.auth.setup.mutationOptions({
      onSuccess: (session) => {
        rememberSession(session.csrfToken);
        queryClient.setQueryData(trpc.auth.setupStatus.queryKey(), { needsSetup: false });
        queryClient.setQueryData(trpc.auth.me.queryKey(), {
          user: session.user,
          csrfToken: session.csrfToken,
        });
        void navigate('/', { replace: true });
      },
    }),
  );

  if (status.isPending) {
    return (
      <AuthLayout title="Set up Netplane">
        <LoadingRows rows={4} />
      </AuthLayout>
    );
  }
  if (status.data && !status.data.needsSetup && !setup.isSuccess) return <Navigate to="/login" replace />;

  function submit(e: FormEvent) {
    e.preventDefault();
    const errors = validate(form.token, form.username, form.password, form.confirm);
    setShown(errors);
    if (Object.keys(errors).length > 0) return;
    setup.mutate({ token: form.token.trim(), username: form.username.trim(), password: form.password });
  }

  const server = setup.error ? readError(setup.error) : null;
  const field = (name: keyof Errors) => shown[name] ?? server?.fieldErrors[name];
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }));

  return (
    <AuthLayout
      title="Set up Netplane"
      subtitle="Create the first admin account. The setup token was printed on the server console at its first start."
    >
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Input
          label="Setup token"
          name="token"
          autoComplete="off"
          spellCheck={false}
          value={form.token}
          onChange={set('token')}
          error={field('token')}
        />
        <Input
          label="Admin username"
          name="username"
          autoComplete="username"
          value={form.username}
          onChange={set('username')}
          error={field('username')}
        />
        <Input
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          value={form.password}
          onChange={set('password')}
          error={field('password')}
          hint="At least 8 characters."
        />
        <Input
          label="Confirm password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          value={form.confirm}
          onChange={set('confirm')}
          error={field('confirm')}
        />
        {server && Object.keys(server.fieldErrors).length === 0 && (
          <p
            role="alert"
            className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200"
          >
            {server.message}
          </p>
        )}
        <Button
          type="submit"
          variant="primary"
          className="w-full"
          isBusy={setup.isPending}
          icon={<ShieldCheck aria-hidden className="size-4" />}
        >
          Create admin and continue
        </Button>
      </form>
    </AuthLayout>
  );
}
