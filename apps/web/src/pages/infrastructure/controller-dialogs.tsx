// Create/edit a controller and rotate its credentials. Credential fields are write-only: never pre-filled, never shown.
import {
  controllerCreateInput,
  controllerRotateCredentialsInput,
  controllerUpdateInput,
  LIMIT_BOUNDS,
} from '@netplane/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { Input } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { SchemaFields } from '../../components/schema-fields';
import { useToast } from '../../components/toasts';
import type { Outputs } from '../../lib/api-types';
import { readError } from '../../lib/errors';
import { buildValue, fieldsOf, formValues, type SchemaField } from '../../lib/schema-form';
import { useTRPC } from '../../lib/trpc';
import { check, errorAt, type FieldErrors } from '../../lib/zod-form';

type Provider = Outputs['providers']['list'][number];
type Controller = Outputs['controllers']['list'][number];
type Limits = { maxConcurrent: string; callsPerSecond: string; timeoutMs: string };

/** The adapter's config and credential fields (from adapters.list): its schemas, or bare names for an older server. */
function useAdapterForms(adapterId: string | undefined, isEnabled: boolean) {
  const trpc = useTRPC();
  const adapters = useQuery(
    trpc.adapters.list.queryOptions(undefined, { enabled: isEnabled && Boolean(adapterId) }),
  );
  const manifest = adapters.data?.find((a) => a.id === adapterId)?.manifest;
  const fields = useMemo(() => {
    const fromSchema = fieldsOf(manifest?.credentialSchema);
    return fromSchema.length > 0 || !manifest
      ? fromSchema
      : fieldsOf({
          type: 'object',
          writeOnly: true,
          properties: Object.fromEntries(manifest.credentialFields.map((f) => [f, { type: 'string' }])),
        });
  }, [manifest]);
  const configFields = useMemo(() => fieldsOf(manifest?.configSchema), [manifest]);
  return { fields, configFields, manifest };
}

function CredentialInputs({
  fields,
  values,
  onChange,
  errors,
}: {
  fields: SchemaField[];
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
      <SchemaFields fields={fields} values={values} onChange={onChange} errors={errors} path="credentials" />
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
  const { fields, configFields, manifest } = useAdapterForms(provider.adapterId, isOpen);
  const [name, setName] = useState('');
  const [endpoint, setEndpoint] = useState('');
  const [credentials, setCredentials] = useState<Record<string, string>>({});
  const [config, setConfig] = useState<Record<string, string>>({});
  const [limits, setLimits] = useState<Limits>({ maxConcurrent: '', callsPerSecond: '', timeoutMs: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => {
    if (!isOpen) return;
    setName(controller?.name ?? '');
    setEndpoint(controller?.endpoint ?? '');
    setCredentials({});
    setConfig(formValues(configFields, controller?.config ?? {}));
    setErrors({});
    const l = controller?.limits;
    setLimits({
      maxConcurrent: l ? String(l.maxConcurrent) : '',
      callsPerSecond: l ? String(l.callsPerSecond) : '',
      timeoutMs: l ? String(l.timeoutMs) : '',
    });
  }, [isOpen, controller, configFields]);

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
    const cfg = buildValue(configFields, config, 'config');
    const formErrors = cfg.ok ? {} : cfg.errors;
    const configValue = cfg.ok ? cfg.value : {};
    if (controller) {
      const r = check(controllerUpdateInput, {
        id: controller.id,
        version: controller.version,
        name,
        endpoint,
        // An adapter without config fields keeps whatever config the controller holds.
        ...(configFields.length > 0 && { config: configValue }),
        limits: limitsInput(),
      });
      setErrors({ ...formErrors, ...(r.ok ? {} : r.errors) });
      if (r.ok && cfg.ok) update.mutate(r.data);
    } else {
      const creds = buildValue(fields, credentials, 'credentials');
      const r = check(controllerCreateInput, {
        providerId: provider.id,
        name,
        endpoint,
        config: configValue,
        credentials: creds.ok ? creds.value : {},
        limits: limitsInput(),
      });
      setErrors({ ...formErrors, ...(creds.ok ? {} : creds.errors), ...(r.ok ? {} : r.errors) });
      if (r.ok && cfg.ok && creds.ok) create.mutate(r.data);
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
      {configFields.length > 0 && (
        <fieldset className="space-y-3">
          <legend className="text-sm font-medium">Configuration</legend>
          <SchemaFields
            fields={configFields}
            values={config}
            onChange={setConfig}
            errors={{ ...server, ...errors }}
            path="config"
          />
        </fieldset>
      )}
      {controller && (
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Credentials: <span className="font-medium">set</span>
          {fields.length > 0 && ` (${fields.map((f) => f.name).join(', ')})`}. They are never shown; rotate
          them to replace them.
        </p>
      )}
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
  const { fields } = useAdapterForms(controller?.adapterId, controller !== null);
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
    const creds = buildValue(fields, credentials, 'credentials');
    const r = check(controllerRotateCredentialsInput, {
      id: controller.id,
      credentials: creds.ok ? creds.value : {},
    });
    setErrors({ ...(creds.ok ? {} : creds.errors), ...(r.ok ? {} : r.errors) });
    if (r.ok && creds.ok) rotate.mutate(r.data);
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
