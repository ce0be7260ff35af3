// The create-user and reset-password dialogs of the users page.
import { ROLES, type Role } from '@netplane/domain';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Input, Select } from '../components/field';
import { FormDialog } from '../components/form-dialog';
import { FormError } from '../components/states';
import { useToast } from '../components/toasts';
import { checkPassword, checkUsername } from '../lib/account-rules';
import { readError } from '../lib/errors';
import { useTRPC } from '../lib/trpc';

export function CreateUserDialog({
  isOpen,
  onClose,
  onCreated,
}: {
  isOpen: boolean;
  onClose: () => void;
  onCreated: () => void;
}) {
  const trpc = useTRPC();
  const toast = useToast();
  const [form, setForm] = useState({ username: '', password: '', role: 'viewer' as Role });
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: (u) => {
        toast.success(`User ${u.username} created`);
        setForm({ username: '', password: '', role: 'viewer' });
        onCreated();
        onClose();
      },
    }),
  );
  const server = create.error ? readError(create.error).fieldErrors : {};

  function submit(e: FormEvent) {
    e.preventDefault();
    const next = { username: checkUsername(form.username), password: checkPassword(form.password) };
    setErrors(next);
    if (next.username || next.password) return;
    create.mutate({ username: form.username.trim(), password: form.password, role: form.role });
  }

  return (
    <FormDialog
      isOpen={isOpen}
      onClose={onClose}
      title="New user"
      formId="create-user"
      submitLabel="Create user"
      isBusy={create.isPending}
      onSubmit={submit}
    >
      <Input
        label="Username"
        autoComplete="off"
        value={form.username}
        onChange={(e) => setForm({ ...form, username: e.target.value })}
        error={errors.username ?? server.username}
      />
      <Input
        label="Initial password"
        type="password"
        autoComplete="new-password"
        value={form.password}
        onChange={(e) => setForm({ ...form, password: e.target.value })}
        error={errors.password ?? server.password}
        hint="At least 8 characters. Tell it to the user out of band."
      />
      <Select
        label="Role"
        value={form.role}
        onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
        options={ROLES}
      />
      {create.error && Object.keys(server).length === 0 && <FormError error={create.error} />}
    </FormDialog>
  );
}

export function ResetPasswordDialog({
  user,
  onClose,
}: {
  user: { id: string; username: string } | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const toast = useToast();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const reset = useMutation(
    trpc.users.resetPassword.mutationOptions({
      onSuccess: () => {
        toast.success(`Password of ${user?.username ?? 'the user'} reset`);
        setPassword('');
        onClose();
      },
    }),
  );

  function submit(e: FormEvent) {
    e.preventDefault();
    const problem = checkPassword(password);
    setError(problem);
    if (problem || !user) return;
    reset.mutate({ id: user.id, password });
  }

  return (
    <FormDialog
      isOpen={user !== null}
      onClose={onClose}
      title={`Reset the password of ${user?.username ?? ''}`}
      description="Their open sessions end; they log in with the new password."
      formId="reset-password"
      submitLabel="Reset password"
      isBusy={reset.isPending}
      onSubmit={submit}
      error={reset.error}
    >
      <Input
        label="New password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={error ?? (reset.error ? readError(reset.error).fieldErrors.password : undefined)}
      />
    </FormDialog>
  );
}
