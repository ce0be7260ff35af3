// Edit a provider (admins): its name, which of the adapter's services it enables, and narrowing of their capabilities.
import {
  type CapabilityValue,
  narrowingProblems,
  providerUpdateInput,
  type Service,
  type ServiceCapabilities,
} from '@netplane/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Input } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { useToast } from '../../components/toasts';
import type { Outputs } from '../../lib/api-types';
import { useTRPC } from '../../lib/trpc';
import { check, type FieldErrors } from '../../lib/zod-form';
import { changedOverrides } from './provider-overrides';

type Provider = Outputs['providers']['list'][number];
type Caps = Record<string, CapabilityValue>;

export function ProviderEditDialog({
  provider,
  isOpen,
  onClose,
}: {
  provider: Provider;
  isOpen: boolean;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const adapters = useQuery(trpc.adapters.list.queryOptions(undefined, { enabled: isOpen }));
  const manifest = adapters.data?.find((a) => a.id === provider.adapterId)?.manifest ?? null;
  const offered: ServiceCapabilities = manifest?.services ?? {};
  const offeredServices = Object.keys(offered) as Service[];
  const [name, setName] = useState(provider.name);
  const [services, setServices] = useState<Service[]>(provider.enabledServices);
  const [caps, setCaps] = useState<ServiceCapabilities>({});
  const [errors, setErrors] = useState<FieldErrors>({});

  useEffect(() => {
    if (!isOpen) return;
    setName(provider.name);
    setServices(provider.enabledServices);
    setErrors({});
  }, [isOpen, provider]);
  // The effective values: the adapter's, with this provider's narrowing applied.
  useEffect(() => {
    if (!isOpen || !manifest) return;
    const next: ServiceCapabilities = {};
    for (const [s, base] of Object.entries(manifest.services) as [Service, Caps][]) {
      next[s] = { ...base, ...(provider.capabilityOverrides[s] ?? {}) };
    }
    setCaps(next);
  }, [isOpen, manifest, provider]);

  const update = useMutation(
    trpc.providers.update.mutationOptions({
      onSuccess: (p) => {
        toast.success(`Provider ${p.name} saved`);
        void queryClient.invalidateQueries({ queryKey: trpc.providers.list.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.capabilities.matrix.queryKey() });
        onClose();
      },
    }),
  );

  const setCap = (s: Service, k: string, v: CapabilityValue) =>
    setCaps((c) => ({ ...c, [s]: { ...(c[s] ?? {}), [k]: v } }));

  function submit(e: FormEvent) {
    e.preventDefault();
    const capabilityOverrides = changedOverrides(offered, caps, services);
    const r = check(providerUpdateInput, {
      id: provider.id,
      version: provider.version,
      name,
      enabledServices: services,
      capabilityOverrides,
    });
    const problems = narrowingProblems(offered, capabilityOverrides);
    if (!r.ok) setErrors(r.errors);
    else if (problems.length > 0) setErrors({ capabilityOverrides: problems.join('; ') });
    else {
      setErrors({});
      update.mutate(r.data);
    }
  }

  const locked = manifest !== null && !manifest.canEnableIndividualServices;
  return (
    <FormDialog
      isOpen={isOpen}
      onClose={onClose}
      title={`Edit provider ${provider.name}`}
      description="Enable the adapter's services here and narrow what they offer (never widen it)."
      formId={`provider-edit-${provider.id}`}
      submitLabel="Save provider"
      isBusy={update.isPending}
      isSubmitDisabled={!manifest}
      onSubmit={submit}
      error={update.error}
    >
      <Input label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
      {adapters.isPending ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">Loading the adapter's services…</p>
      ) : !manifest ? (
        <p className="text-sm text-red-700 dark:text-red-400">
          Adapter {provider.adapterId} is not loaded, so its services cannot be edited.
        </p>
      ) : (
        <fieldset>
          <legend className="text-sm font-medium">Enabled services</legend>
          {locked && (
            <p className="text-xs text-slate-600 dark:text-slate-300">
              This adapter enables its services together.
            </p>
          )}
          <div className="mt-1 grid grid-cols-2 gap-1 md:grid-cols-3">
            {offeredServices.map((s) => (
              <label key={s} className="inline-flex items-center gap-1.5 text-sm">
                <input
                  type="checkbox"
                  checked={services.includes(s)}
                  disabled={locked}
                  onChange={(e) =>
                    setServices(e.target.checked ? [...services, s] : services.filter((x) => x !== s))
                  }
                />
                {s}
              </label>
            ))}
          </div>
          {errors.enabledServices && (
            <p className="text-xs text-red-700 dark:text-red-400">{errors.enabledServices}</p>
          )}
        </fieldset>
      )}
      {manifest && (
        <CapabilityNarrowing
          services={services}
          offered={offered}
          caps={caps}
          onChange={setCap}
          error={errors.capabilityOverrides}
        />
      )}
    </FormDialog>
  );
}

function CapabilityNarrowing({
  services,
  offered,
  caps,
  onChange,
  error,
}: {
  services: Service[];
  offered: ServiceCapabilities;
  caps: ServiceCapabilities;
  onChange: (s: Service, k: string, v: CapabilityValue) => void;
  error: string | undefined;
}) {
  // Only lists and true flags can be narrowed; scalars are the adapter's and shown for reference.
  const rows = services.flatMap((s) =>
    Object.entries(offered[s] ?? {})
      .filter(([, v]) => Array.isArray(v) || v === true)
      .map(([k, v]) => ({ s, k, base: v, value: caps[s]?.[k] ?? v })),
  );
  if (rows.length === 0) return null;
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Capabilities (untick to narrow)</legend>
      {rows.map(({ s, k, base, value }) => (
        <div key={`${s}.${k}`} className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
          <span className="min-w-0 break-all font-mono text-xs text-slate-600 dark:text-slate-300">
            {s}.{k}
          </span>
          {Array.isArray(base) ? (
            base.map((item) => {
              const list = Array.isArray(value) ? value : [];
              return (
                <label key={item} className="inline-flex items-center gap-1">
                  <input
                    type="checkbox"
                    checked={list.includes(item)}
                    onChange={(e) =>
                      onChange(s, k, e.target.checked ? [...list, item] : list.filter((x) => x !== item))
                    }
                  />
                  {item}
                </label>
              );
            })
          ) : (
            <label className="inline-flex items-center gap-1">
              <input
                type="checkbox"
                checked={value === true}
                onChange={(e) => onChange(s, k, e.target.checked)}
              />
              offered
            </label>
          )}
        </div>
      ))}
      {error && <p className="text-xs text-red-700 dark:text-red-400">{error}</p>}
    </fieldset>
  );
}
