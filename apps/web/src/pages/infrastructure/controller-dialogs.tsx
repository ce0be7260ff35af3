// Create/edit a controller and rotate its credentials. Credential fields are write-only: never pre-filled, never shown.
import {
  controllerCreateInput,
  controllerRotateCredentialsInput,
  controllerUpdateInput,
  LIMIT_BOUNDS,
} from '@netplane/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Input } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { useToast } from '../../components/toasts';
import type { Outputs } from '../../lib/api-types';
import { readError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { check, errorAt, type FieldErrors } from '../../lib/zod-form';

type Provider = Outputs['providers']['list'][number];
type Controller = Outputs['controllers']['list'][number];
type Limits = { maxConcurrent: string; callsPerSecond: string; timeoutMs: string };

const isSecretField = (name: string) => /pass|secret|token|key/i.test(name);

/** The credential field names an adapter declares (from adapters.list). */
function useCredentialFields(adapterId: string | undefined, isEnabled: boolean) {
  const trpc = useTRPC();
  const adapters = useQuery(
    trpc.adapters.list.queryOptions(undefined, { enabled: isEnabled && Boolean(adapterId) }),
  );
  const manifest = adapters.data?.find((a) => a.id === adapterId)?.manifest;
  return { fields: manifest?.credentialFields ?? [], manifest };
}

function CredentialInputs({
  fields,
  values,
  onChange,
  errors,
}: {
  fields: string[];
  values: Record<string, string>;
  onChange: (v: Record<string, string>) => void;
  errors: FieldErrors;
}) {
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium">Credentials</legend>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Write-only: stored encrypted, never shown again. Leave nothing here you would not type into the
        controller.
      </p>
      {fields.map((f) => (
        <Input
          key={f}
          label={f}
          type={isSecretField(f) ? 'password' : 'text'}
          autoComplete={isSecretField(f) ? 'new-password' : 'off'}
          value={values[f] ?? ''}
          onChange={(e) => onChange({ ...values, [f]: e.target.value })}
          error={errors[`credentials.${f}`]}
        />
      ))}
    </fieldset>
  );
}

export function ControllerDialog({
  isOpen,
  onClose,
  provider,
  controller,
}: {
  isOpen: boolean;
  onClose: () => void;
  provider: Provider;
  controller?: Controller | undefined;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const { fields, manifest } = useCredentialFields(provider.adapterId, isOpen && !controller);
  const [name, setName] = useState('');
  const [endpoint, setEndpoint] = useState('');
  const [credentials, setCredentials] = useState<Record<string, string>>({});
  const [limits, setLimits] = useState<Limits>({ maxConcurrent: '', callsPerSecond: '', timeoutMs: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => {
    if (!isOpen) return;
    setName(controller?.name ?? '');
    setEndpoint(controller?.endpoint ?? '');
    setCredentials({});
    setErrors({});
    const l = controller?.limits;
    setLimits({
      maxConcurrent: l ? String(l.maxConcurrent) : '',
      callsPerSecond: l ? String(l.callsPerSecond) : '',
      timeoutMs: l ? String(l.timeoutMs) : '',
    });
  }, [isOpen, controller]);

  const done = (c: { name: string }) => {
    toast.success(`Controller ${c.name} saved`);
    void queryClient.invalidateQueries({ queryKey: trpc.controllers.list.queryKey() });
    onClose();
  };
  const create = useMutation(trpc.controllers.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.controllers.update.mutationOptions({ onSuccess: done }));
  const error = create.error ?? update.error;
  const server = error ? readError(error).fieldErrors : {};
  const fieldError = (p: string) => errorAt(errors, p) ?? errorAt(server, p);

  function limitsInput() {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(limits)) if (v.trim() !== '') out[k] = Number(v);
    return out;
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (controller) {
      const r = check(controllerUpdateInput, {
        id: controller.id,
        version: controller.version,
        name,
        endpoint,
        limits: limitsInput(),
      });
      setErrors(r.ok ? {} : r.errors);
      if (r.ok) update.mutate(r.data);
    } else {
      const r = check(controllerCreateInput, {
        providerId: provider.id,
        name,
        endpoint,
        credentials,
        limits: limitsInput(),
      });
      setErrors(r.ok ? {} : r.errors);
      if (r.ok) create.mutate(r.data);
    }
  }

  const limit = (key: keyof Limits, label: string) => (
    <Input
      label={label}
      type="number"
      inputMode="numeric"
      min={LIMIT_BOUNDS[key].min}
      max={LIMIT_BOUNDS[key].max}
      value={limits[key]}
      placeholder={manifest?.limits ? 'adapter default' : undefined}
      onChange={(e) => setLimits({ ...limits, [key]: e.target.value })}
      error={fieldError(`limits.${key}`)}
    />
  );

  return (
    <FormDialog
      isOpen={isOpen}
      onClose={onClose}
      size="lg"
      title={controller ? `Edit ${controller.name}` : `Add a controller to ${provider.name}`}
      formId="controller-form"
      submitLabel={controller ? 'Save' : 'Add controller'}
      isBusy={create.isPending || update.isPending}
      onSubmit={submit}
      error={error}
    >
      <div className="grid gap-4 md:grid-cols-2">
        <Input
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError('name')}
        />
        <Input
          label="Endpoint"
          value={endpoint}
          onChange={(e) => setEndpoint(e.target.value)}
          error={fieldError('endpoint')}
          hint={manifest?.endpointHint}
        />
      </div>
      <div className="grid gap-4 md:grid-cols-3">
        {limit('maxConcurrent', 'Max concurrent calls')}
        {limit('callsPerSecond', 'Calls per second')}
        {limit('timeoutMs', 'Timeout (ms)')}
      </div>
      {!controller && (
        <CredentialInputs
          fields={fields}
          values={credentials}
          onChange={setCredentials}
          errors={{ ...server, ...errors }}
        />
      )}
    </FormDialog>
  );
}

export function RotateCredentialsDialog({
  controller,
  onClose,
}: {
  controller: Controller | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const { fields } = useCredentialFields(controller?.adapterId, controller !== null);
  const [credentials, setCredentials] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const controllerId = controller?.id;
  // A fresh, empty form whenever another controller is chosen: nothing typed for one may go to another.
  useEffect(() => {
    if (controllerId !== undefined) {
      setCredentials({});
      setErrors({});
    }
  }, [controllerId]);
  const rotate = useMutation(
    trpc.controllers.rotateCredentials.mutationOptions({
      onSuccess: () => {
        toast.success(`Credentials of ${controller?.name ?? 'the controller'} replaced`);
        void queryClient.invalidateQueries({ queryKey: trpc.controllers.list.queryKey() });
        onClose();
      },
    }),
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!controller) return;
    const r = check(controllerRotateCredentialsInput, { id: controller.id, credentials });
    setErrors(r.ok ? {} : r.errors);
    if (r.ok) rotate.mutate(r.data);
  }
  return (
    <FormDialog
      isOpen={controller !== null}
      onClose={onClose}
      title={`Rotate the credentials of ${controller?.name ?? ''}`}
      description="The new values replace the stored ones; the old ones cannot be shown or restored."
      formId="rotate-form"
      submitLabel="Replace credentials"
      isBusy={rotate.isPending}
      onSubmit={submit}
      error={rotate.error}
    >
      <CredentialInputs fields={fields} values={credentials} onChange={setCredentials} errors={errors} />
    </FormDialog>
  );
}
