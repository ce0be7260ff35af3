// The API tokens page's dialogs: create (name, a role up to one's own, expiry), and the one-time display of the new
// token with a copy button. The token lives only in this component's state until the dialog is closed.
import { API_TOKEN_DEFAULT_DAYS, type Role, rolesUpTo } from '@netplane/domain';
import { useMutation } from '@tanstack/react-query';
import { AlertTriangle, Copy } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import { Button } from '../components/button';
import { Dialog } from '../components/dialog';
import { Input, Select } from '../components/field';
import { FormDialog } from '../components/form-dialog';
import { FormError } from '../components/states';
import { readError } from '../lib/errors';
import { useTRPC } from '../lib/trpc';

const EXPIRY_OPTIONS = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: String(API_TOKEN_DEFAULT_DAYS), label: `${API_TOKEN_DEFAULT_DAYS} days` },
  { value: '365', label: '1 year (the longest)' },
];

export function CreateTokenDialog({
  isOpen,
  ownRole,
  onClose,
  onCreated,
}: {
  isOpen: boolean;
  ownRole: Role;
  onClose: () => void;
  onCreated: (token: string, name: string) => void;
}) {
  const trpc = useTRPC();
  const blank = { name: '', role: 'viewer' as Role, days: String(API_TOKEN_DEFAULT_DAYS) };
  const [form, setForm] = useState(blank);
  const [nameError, setNameError] = useState<string | undefined>();
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: (r) => {
        setForm(blank);
        onCreated(r.token, r.item.name);
      },
    }),
  );
  const server = create.error ? readError(create.error).fieldErrors : {};

  function submit(e: FormEvent) {
    e.preventDefault();
    const name = form.name.trim();
    const problem =
      name.length === 0 ? 'Give the token a name' : name.length > 64 ? 'At most 64 characters' : undefined;
    setNameError(problem);
    if (problem) return;
    create.mutate({ name, role: form.role, expiresInDays: Number(form.days) });
  }

  return (
    <FormDialog
      isOpen={isOpen}
      onClose={onClose}
      title="New API token"
      description="A script sends it as Authorization: Bearer <token>. It acts as you, with the role you pick here."
      formId="create-token"
      submitLabel="Create token"
      isBusy={create.isPending}
      onSubmit={submit}
    >
      <Input
        label="Name"
        autoComplete="off"
        value={form.name}
        onChange={(e) => setForm({ ...form, name: e.target.value })}
        error={nameError ?? server.name}
        hint="What uses it, e.g. ci-deploy"
      />
      <Select
        label="Role"
        value={form.role}
        onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
        options={rolesUpTo(ownRole)}
        error={server.role}
        hint={`At most your own role (${ownRole}).`}
      />
      <Select
        label="Expires after"
        value={form.days}
        onChange={(e) => setForm({ ...form, days: e.target.value })}
        options={EXPIRY_OPTIONS}
      />
      {create.error && Object.keys(server).length === 0 && <FormError error={create.error} />}
    </FormDialog>
  );
}

export function NewTokenDialog({
  created,
  onClose,
}: {
  created: { token: string; name: string } | null;
  onClose: () => void;
}) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const fieldId = useId();
  const close = () => {
    setCopied(null);
    onClose();
  };
  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }
  return (
    <Dialog
      isOpen={created !== null}
      onClose={close}
      title={`Token ${created?.name ?? ''} created`}
      footer={
        <Button variant="primary" onClick={close}>
          I have stored it
        </Button>
      }
    >
      <div className="space-y-3 text-sm">
        <p
          role="alert"
          className="flex gap-2 rounded-md bg-amber-50 px-3 py-2 text-amber-900 dark:bg-amber-950/60 dark:text-amber-200"
        >
          <AlertTriangle aria-hidden className="mt-0.5 size-4 shrink-0" />
          Copy it now: this is the only time it is shown. Netplane keeps only a hash of it.
        </p>
        <label htmlFor={fieldId} className="block font-medium">
          Your new token
        </label>
        <div className="flex gap-2">
          <input
            id={fieldId}
            readOnly
            value={created?.token ?? ''}
            onFocus={(e) => e.currentTarget.select()}
            className="w-full rounded-md border border-slate-300 bg-slate-50 px-2 py-1.5 font-mono text-xs dark:border-slate-600 dark:bg-slate-950"
          />
          <Button onClick={copy} icon={<Copy aria-hidden className="size-4" />}>
            Copy
          </Button>
        </div>
        <p aria-live="polite" className="text-xs text-slate-600 dark:text-slate-300">
          {copied === 'yes'
            ? 'Copied to the clipboard.'
            : copied === 'failed'
              ? 'Copying failed: select the text and copy it.'
              : ''}
        </p>
      </div>
    </Dialog>
  );
}
