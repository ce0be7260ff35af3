// Injects one scripted fault: kind, which operation and resource it hits, how many calls, and its own parameters.
import { useMutation } from '@tanstack/react-query';
import { Zap } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Button } from '../../components/button';
import { Input, Select } from '../../components/field';
import { FormError } from '../../components/states';
import { useToast } from '../../components/toasts';
import { readError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import {
  FAULT_KINDS,
  type FaultKind,
  type FaultSpec,
  SIM_OPERATIONS,
  SIM_RESOURCES,
  UNREALIZED_REASONS,
} from './fault-catalog';

type Form = {
  kind: FaultKind;
  operation: string;
  resource: string;
  count: string;
  owner: string;
  code: string;
  message: string;
  delayMs: string;
  reason: (typeof UNREALIZED_REASONS)[number];
};

function toSpec(f: Form): FaultSpec {
  const scope = {
    ...(f.operation ? { operation: f.operation as (typeof SIM_OPERATIONS)[number] } : {}),
    ...(f.resource ? { resource: f.resource as (typeof SIM_RESOURCES)[number] } : {}),
    ...(f.count.trim() ? { count: Number(f.count) } : {}),
  };
  switch (f.kind) {
    case 'foreignOwner':
      return { kind: 'foreignOwner', ...scope, ...(f.owner.trim() ? { owner: f.owner.trim() } : {}) };
    case 'vendorError':
      return { kind: 'vendorError', ...scope, code: f.code.trim(), message: f.message.trim() };
    case 'slowness':
      return { kind: 'slowness', ...scope, delayMs: Number(f.delayMs) };
    case 'unrealized':
      return { kind: 'unrealized', ...scope, reason: f.reason };
    default:
      return { kind: f.kind, ...scope };
  }
}

export function FaultInjector({
  controllerId,
  onInjected,
}: {
  controllerId: string;
  onInjected: () => void;
}) {
  const trpc = useTRPC();
  const toast = useToast();
  const [form, setForm] = useState<Form>({
    kind: 'timeout',
    operation: 'implement',
    resource: '',
    count: '1',
    owner: '',
    code: 'E4001',
    message: 'Switch rejected the request',
    delayMs: '2000',
    reason: 'NotCompiled',
  });
  const inject = useMutation(
    trpc.simulator.injectFault.mutationOptions({
      onSuccess: (f) => {
        toast.success(`${FAULT_KINDS[f.kind].label} injected`);
        onInjected();
      },
    }),
  );
  const fieldErrors = inject.error ? readError(inject.error).fieldErrors : {};
  const err = (name: string) => fieldErrors[`fault.${name}`];
  const set = (k: keyof Form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });

  function submit(e: FormEvent) {
    e.preventDefault();
    inject.mutate({ controllerId, fault: toSpec(form) });
  }

  return (
    <form
      onSubmit={submit}
      className="mt-4 space-y-3 border-t border-slate-200 pt-3 dark:border-slate-700"
      aria-label="Inject a fault"
      noValidate
    >
      <h3 className="text-sm font-semibold">Inject a fault</h3>
      <Select
        label="Fault"
        value={form.kind}
        onChange={set('kind')}
        options={Object.entries(FAULT_KINDS).map(([k, v]) => ({
          value: k,
          label: `${v.label} → ${v.diagnosis}`,
        }))}
        hint={FAULT_KINDS[form.kind].description}
      />
      <div className="grid gap-3 md:grid-cols-3">
        <Select
          label="Operation"
          value={form.operation}
          onChange={set('operation')}
          options={SIM_OPERATIONS}
          placeholder="any"
          error={err('operation')}
        />
        <Select
          label="Resource"
          value={form.resource}
          onChange={set('resource')}
          options={SIM_RESOURCES}
          placeholder="any"
          error={err('resource')}
        />
        <Input
          label="Next N calls"
          type="number"
          min={1}
          value={form.count}
          onChange={set('count')}
          hint="Empty: until cleared"
          error={err('count')}
        />
      </div>
      {form.kind === 'foreignOwner' && (
        <Input
          label="Foreign owner"
          value={form.owner}
          onChange={set('owner')}
          placeholder="e.g. legacy-switch-7"
          error={err('owner')}
        />
      )}
      {form.kind === 'vendorError' && (
        <div className="grid gap-3 md:grid-cols-2">
          <Input label="Vendor code" value={form.code} onChange={set('code')} error={err('code')} />
          <Input
            label="Vendor message"
            value={form.message}
            onChange={set('message')}
            error={err('message')}
          />
        </div>
      )}
      {form.kind === 'slowness' && (
        <Input
          label="Extra delay (ms)"
          type="number"
          min={1}
          value={form.delayMs}
          onChange={set('delayMs')}
          error={err('delayMs')}
        />
      )}
      {form.kind === 'unrealized' && (
        <Select
          label="Reason"
          value={form.reason}
          onChange={(e) =>
            setForm({ ...form, reason: e.target.value as (typeof UNREALIZED_REASONS)[number] })
          }
          options={UNREALIZED_REASONS}
          error={err('reason')}
        />
      )}
      {inject.error && Object.keys(fieldErrors).length === 0 && <FormError error={inject.error} />}
      <Button
        type="submit"
        variant="danger"
        isBusy={inject.isPending}
        icon={<Zap aria-hidden className="size-4" />}
      >
        Inject fault
      </Button>
    </form>
  );
}
