// Create or edit a physical network: isolation methods, labels, VLAN/VNI ranges and traffic types with their labels.
import {
  ISOLATION_METHODS,
  physicalNetworkCreateInput,
  physicalNetworkUpdateInput,
  TRAFFIC_TYPES,
} from '@netplane/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Input } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { useToast } from '../../components/toasts';
import type { Outputs } from '../../lib/api-types';
import { readError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { check, errorAt, type FieldErrors } from '../../lib/zod-form';
import { emptyPnForm, type PnForm, pnFormFrom, pnInputFrom } from './pn-form-model';

type PhysicalNetwork = Outputs['physicalNetworks']['list'][number];

export function PhysicalNetworkDialog({
  isOpen,
  onClose,
  zoneId,
  pn,
}: {
  isOpen: boolean;
  onClose: () => void;
  zoneId: string;
  pn?: PhysicalNetwork;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [form, setForm] = useState<PnForm>(emptyPnForm);
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => {
    if (isOpen) {
      setForm(pn ? pnFormFrom(pn) : emptyPnForm());
      setErrors({});
    }
  }, [isOpen, pn]);

  const done = (saved: { name: string }) => {
    toast.success(`Physical network ${saved.name} saved`);
    void queryClient.invalidateQueries({ queryKey: trpc.physicalNetworks.list.queryKey() });
    onClose();
  };
  const create = useMutation(trpc.physicalNetworks.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.physicalNetworks.update.mutationOptions({ onSuccess: done }));
  const error = create.error ?? update.error;
  const server = error ? readError(error).fieldErrors : {};
  const fieldError = (path: string) => errorAt(errors, path) ?? errorAt(server, path);

  function submit(e: FormEvent) {
    e.preventDefault();
    const { input, problems } = pnInputFrom(form);
    if (pn) {
      const r = check(physicalNetworkUpdateInput, { ...input, id: pn.id, version: pn.version });
      setErrors({ ...(r.ok ? {} : r.errors), ...problems });
      if (r.ok && Object.keys(problems).length === 0) update.mutate(r.data);
    } else {
      const r = check(physicalNetworkCreateInput, { ...input, zoneId });
      setErrors({ ...(r.ok ? {} : r.errors), ...problems });
      if (r.ok && Object.keys(problems).length === 0) create.mutate(r.data);
    }
  }

  const set = <K extends keyof PnForm>(key: K, value: PnForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  return (
    <FormDialog
      isOpen={isOpen}
      onClose={onClose}
      size="lg"
      title={pn ? `Edit ${pn.name}` : 'New physical network'}
      formId="pn-form"
      submitLabel={pn ? 'Save' : 'Create physical network'}
      isBusy={create.isPending || update.isPending}
      onSubmit={submit}
      error={error}
    >
      <Input
        label="Name"
        value={form.name}
        onChange={(e) => set('name', e.target.value)}
        error={fieldError('name')}
      />
      <fieldset>
        <legend className="text-sm font-medium">Isolation methods</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {ISOLATION_METHODS.map((m) => (
            <label key={m} className="inline-flex items-center gap-1.5 text-sm">
              <input
                type="checkbox"
                checked={form.isolationMethods.includes(m)}
                onChange={(e) =>
                  set(
                    'isolationMethods',
                    e.target.checked
                      ? [...form.isolationMethods, m]
                      : form.isolationMethods.filter((x) => x !== m),
                  )
                }
              />
              {m}
            </label>
          ))}
        </div>
        {fieldError('isolationMethods') && (
          <p className="mt-1 text-xs text-red-700 dark:text-red-400">{fieldError('isolationMethods')}</p>
        )}
      </fieldset>
      <Input
        label="Labels (tags)"
        value={form.tags}
        onChange={(e) => set('tags', e.target.value)}
        error={fieldError('tags')}
        hint="Comma separated, e.g. fast, ovn. Providers and offerings match them case-insensitively."
      />
      <div className="grid gap-4 md:grid-cols-2">
        <Input
          label="VLAN ranges"
          value={form.vlanRanges}
          onChange={(e) => set('vlanRanges', e.target.value)}
          error={fieldError('vlanRanges')}
          hint="e.g. 100-199, 300-349 (1-4094)"
        />
        <Input
          label="VNI ranges"
          value={form.vniRanges}
          onChange={(e) => set('vniRanges', e.target.value)}
          error={fieldError('vniRanges')}
          hint="e.g. 5000-5999 (VXLAN, GENEVE, GRE, STT)"
        />
        <Input
          label="MTU"
          inputMode="numeric"
          value={form.mtu}
          onChange={(e) => set('mtu', e.target.value)}
          error={fieldError('mtu')}
          hint="The links' MTU (1280-9216); overlay guests get less by DHCP (Geneve 58 bytes less)"
        />
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Traffic types and their labels per hypervisor</legend>
        {TRAFFIC_TYPES.map((t) => (
          <div key={t} className="grid items-start gap-2 md:grid-cols-[9rem_1fr]">
            <label className="inline-flex items-center gap-1.5 pt-1.5 text-sm">
              <input
                type="checkbox"
                checked={form.traffic[t].isOn}
                onChange={(e) =>
                  set('traffic', { ...form.traffic, [t]: { ...form.traffic[t], isOn: e.target.checked } })
                }
              />
              {t}
            </label>
            {form.traffic[t].isOn && (
              <Input
                label={`${t} labels`}
                value={form.traffic[t].labels}
                placeholder="KVM=cloudbr0, VMware=vSwitch1"
                onChange={(e) =>
                  set('traffic', { ...form.traffic, [t]: { ...form.traffic[t], labels: e.target.value } })
                }
                error={errors[`traffic.${t}`]}
              />
            )}
          </div>
        ))}
        {fieldError('trafficTypes') && (
          <p className="text-xs text-red-700 dark:text-red-400">{fieldError('trafficTypes')}</p>
        )}
      </fieldset>
    </FormDialog>
  );
}
