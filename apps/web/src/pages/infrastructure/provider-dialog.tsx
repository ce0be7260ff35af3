// Add a provider to a physical network: pick a loaded adapter and the services to enable (validated with the domain).
import { providerCreateInput, type Service } from '@netplane/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Input, Select } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { useToast } from '../../components/toasts';
import { useTRPC } from '../../lib/trpc';
import { check, type FieldErrors } from '../../lib/zod-form';

export function ProviderDialog({
  isOpen,
  onClose,
  physicalNetworkId,
}: {
  isOpen: boolean;
  onClose: () => void;
  physicalNetworkId: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const adapters = useQuery(trpc.adapters.list.queryOptions(undefined, { enabled: isOpen }));
  const loaded = (adapters.data ?? []).flatMap((a) =>
    a.manifest ? [{ id: a.id, manifest: a.manifest }] : [],
  );
  const [adapterId, setAdapterId] = useState('');
  const [name, setName] = useState('');
  const [services, setServices] = useState<Service[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const manifest = loaded.find((a) => a.id === adapterId)?.manifest;
  const offered = manifest ? (Object.keys(manifest.services) as Service[]) : [];

  useEffect(() => {
    if (isOpen) {
      setName('');
      setErrors({});
    }
  }, [isOpen]);
  useEffect(() => {
    if (!adapterId && loaded[0]) setAdapterId(loaded[0].id);
  }, [adapterId, loaded]);
  useEffect(() => {
    setServices(manifest ? (Object.keys(manifest.services) as Service[]) : []);
  }, [manifest]);

  const create = useMutation(
    trpc.providers.create.mutationOptions({
      onSuccess: (p) => {
        toast.success(`Provider ${p.name} added (state ${p.state}); add a controller, then enable it`);
        void queryClient.invalidateQueries({ queryKey: trpc.providers.list.queryKey() });
        onClose();
      },
    }),
  );

  function submit(e: FormEvent) {
    e.preventDefault();
    const r = check(providerCreateInput, {
      physicalNetworkId,
      adapterId,
      ...(name.trim() ? { name } : {}),
      enabledServices: services,
    });
    setErrors(r.ok ? {} : r.errors);
    if (r.ok) create.mutate(r.data);
  }

  return (
    <FormDialog
      isOpen={isOpen}
      onClose={onClose}
      title="Add provider"
      description="A provider offers services on this physical network through an adapter."
      formId="provider-form"
      submitLabel="Add provider"
      isBusy={create.isPending}
      isSubmitDisabled={!adapterId}
      onSubmit={submit}
      error={create.error}
    >
      <Select
        label="Adapter"
        value={adapterId}
        onChange={(e) => setAdapterId(e.target.value)}
        options={loaded.map((a) => ({
          value: a.id,
          label: `${a.manifest.displayName} (${a.id} ${a.manifest.version})`,
        }))}
        error={errors.adapterId}
        hint={
          adapters.isPending
            ? 'Loading adapters…'
            : loaded.length === 0
              ? 'No adapter is loaded.'
              : manifest?.description
        }
      />
      <Input
        label="Name (optional)"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
        hint="Defaults to the adapter's name."
      />
      {offered.length > 0 && (
        <fieldset>
          <legend className="text-sm font-medium">Enabled services</legend>
          {!manifest?.canEnableIndividualServices && (
            <p className="text-xs text-slate-500 dark:text-slate-400">
              This adapter enables its services together.
            </p>
          )}
          <div className="mt-1 grid grid-cols-2 gap-1 md:grid-cols-3">
            {offered.map((s) => (
              <label key={s} className="inline-flex items-center gap-1.5 text-sm">
                <input
                  type="checkbox"
                  checked={services.includes(s)}
                  disabled={!manifest?.canEnableIndividualServices}
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
    </FormDialog>
  );
}
