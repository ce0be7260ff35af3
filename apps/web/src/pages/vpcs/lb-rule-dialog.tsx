// New load balancer on a tier: name, VIP (one of the VPC's acquired addresses and a port), members' private port,
// protocol and algorithm as the tier's provider supports them, and the members. Fields are checked as you type with
// the API's zod schemas; the address select offers only addresses this VIP may take (no static NAT, port free).
import { type RuleAddress, ruleNameSchema } from '@netplane/domain';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Input, Select } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { useToast } from '../../components/toasts';
import { readError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { LbFanout } from './lb-fanout';
import { MemberPicker } from './lb-members';
import { type AddressChoice, checkPort, lbChoices } from './rule-checks';
import type { Nic, PublicOptions, Tier } from './rule-parts';
import { AcquireAddressButton } from './vpc-addresses';

type LbOption = NonNullable<PublicOptions['lb']>;
type Form = {
  tierId: string;
  name: string;
  publicIpId: string;
  publicPort: string;
  privatePort: string;
  protocol: string;
  algorithm: string;
  nicIds: string[];
};
type Errors = Partial<Record<keyof Form, string>>;

const FIELD_OF_REASON: Record<string, keyof Form> = {
  PUBLIC_IP_IN_USE: 'publicIpId',
  PUBLIC_IP_IN_VPC: 'publicIpId',
  PUBLIC_IP_NOT_ACQUIRED: 'publicIpId',
  PUBLIC_IP_OTHER_VPC: 'publicIpId',
  NAME_TAKEN: 'name',
  CAPABILITY_MISSING: 'algorithm',
};

const ALGORITHM_WORDS: Record<string, string> = {
  roundrobin: 'Round robin',
  leastconn: 'Least connections',
  source: 'Source IP hash (sticky)',
};

function validate(f: Form, choices: readonly AddressChoice[]): Errors {
  const name = ruleNameSchema.safeParse(f.name);
  return {
    tierId: f.tierId ? undefined : 'Choose a tier',
    name: name.success ? undefined : (name.error.issues[0]?.message ?? 'Invalid name'),
    publicIpId: choices.some((c) => c.value === f.publicIpId)
      ? undefined
      : 'Choose a public address free on this port and protocol',
    publicPort: checkPort(f.publicPort),
    privatePort: checkPort(f.privatePort),
    protocol: f.protocol ? undefined : 'Choose a protocol',
    algorithm: f.algorithm ? undefined : 'Choose an algorithm',
  };
}

type Props = {
  isOpen: boolean;
  onClose: () => void;
  vpcId: string;
  /** The VPC's acquired addresses with the rules on each (publicServices.options). */
  addresses: readonly RuleAddress[];
  /** The tiers whose offering has Lb, with their provider's options and Reserved NICs. */
  tiers: { tier: Tier; lb: LbOption; nics: Nic[] }[];
  onDone: () => void;
};

const EMPTY: Form = {
  tierId: '',
  name: '',
  publicIpId: '',
  publicPort: '80',
  privatePort: '8080',
  protocol: '',
  algorithm: '',
  nicIds: [],
};

export function CreateLbDialog({ isOpen, onClose, vpcId, addresses, tiers, onDone }: Props) {
  const trpc = useTRPC();
  const toast = useToast();
  const [form, setForm] = useState<Form>(EMPTY);
  const [touched, setTouched] = useState<Set<keyof Form>>(new Set());
  const first = tiers[0];
  const firstTier = first?.tier.id ?? '';
  const firstProtocol = first?.lb.protocols[0] ?? '';
  const firstAlgorithm = first?.lb.algorithms[0] ?? '';
  // Fresh on every opening (strings as dependencies: a refetch of the same tiers does not wipe what was typed).
  useEffect(() => {
    if (!isOpen) return;
    setTouched(new Set());
    setForm({ ...EMPTY, tierId: firstTier, protocol: firstProtocol, algorithm: firstAlgorithm });
  }, [isOpen, firstTier, firstProtocol, firstAlgorithm]);
  const create = useMutation(
    trpc.lbRules.create.mutationOptions({
      onSuccess: (r) => {
        toast.success(`Load balancer ${r.rule.name} is being applied`);
        onDone();
        onClose();
      },
    }),
  );
  const chosen = tiers.find((t) => t.tier.id === form.tierId);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setTouched((t) => new Set(t).add(key));
  };
  const chooseTier = (tierId: string) => {
    const t = tiers.find((x) => x.tier.id === tierId);
    setForm((f) => ({
      ...f,
      tierId,
      nicIds: [],
      protocol: t?.lb.protocols.includes(f.protocol as never) ? f.protocol : (t?.lb.protocols[0] ?? ''),
      algorithm: t?.lb.algorithms.includes(f.algorithm as never) ? f.algorithm : (t?.lb.algorithms[0] ?? ''),
    }));
  };
  const choices = lbChoices(addresses, Number(form.publicPort), form.protocol);
  const errors = validate(form, choices);
  const shown = (key: keyof Form) => (touched.has(key) || form[key] !== EMPTY[key] ? errors[key] : undefined);
  const server = create.error ? readError(create.error) : undefined;
  const serverField = server ? FIELD_OF_REASON[String(server.details?.reason ?? '')] : undefined;
  const fieldError = (key: keyof Form) =>
    shown(key) ?? (serverField === key ? server?.message : undefined) ?? server?.fieldErrors[key];

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(new Set(Object.keys(form) as (keyof Form)[]));
    if (Object.values(errors).some(Boolean)) return;
    create.mutate({
      tierId: form.tierId,
      name: form.name.trim(),
      publicIpId: form.publicIpId,
      publicPort: Number(form.publicPort),
      privatePort: Number(form.privatePort),
      protocol: form.protocol as 'tcp' | 'udp',
      algorithm: form.algorithm as 'roundrobin' | 'leastconn' | 'source',
      nicIds: form.nicIds,
    });
  }

  const members = (chosen?.nics ?? []).filter((n) => form.nicIds.includes(n.id));
  return (
    <FormDialog
      isOpen={isOpen}
      onClose={onClose}
      size="lg"
      title="New load balancer"
      description="Spreads connections to a public IP and port over NICs of one tier."
      submitLabel="Create load balancer"
      isBusy={create.isPending}
      onSubmit={submit}
      error={
        server && !serverField && Object.keys(server.fieldErrors).length === 0 ? create.error : undefined
      }
    >
      <div className="grid gap-4 md:grid-cols-2">
        <Select
          label="Tier"
          value={form.tierId}
          onChange={(e) => chooseTier(e.target.value)}
          options={tiers.map((t) => ({ value: t.tier.id, label: `${t.tier.name} (${t.lb.providerName})` }))}
          error={fieldError('tierId')}
        />
        <Input
          label="Name"
          value={form.name}
          autoComplete="off"
          placeholder="web-lb"
          onChange={(e) => set('name', e.target.value)}
          error={fieldError('name')}
          hint="Lower-case letters, digits and dashes; 63 at most."
        />
        <div className="space-y-2">
          <Select
            label="Public IP"
            value={form.publicIpId}
            onChange={(e) => set('publicIpId', e.target.value)}
            options={choices}
            placeholder={choices.length ? 'Choose an address of the VPC' : 'No free address of the VPC'}
            error={fieldError('publicIpId')}
          />
          {choices.length === 0 && (
            <AcquireAddressButton vpcId={vpcId} onAcquired={(ip) => set('publicIpId', ip.id)} />
          )}
        </div>
        <div className="grid grid-cols-2 gap-4">
          <Input
            label="Public port"
            type="number"
            min={1}
            max={65535}
            value={form.publicPort}
            onChange={(e) => set('publicPort', e.target.value)}
            error={fieldError('publicPort')}
          />
          <Input
            label="Private port"
            type="number"
            min={1}
            max={65535}
            value={form.privatePort}
            onChange={(e) => set('privatePort', e.target.value)}
            error={fieldError('privatePort')}
          />
        </div>
        <Select
          label="Protocol"
          value={form.protocol}
          onChange={(e) => set('protocol', e.target.value)}
          options={(chosen?.lb.protocols ?? []).map((p) => ({ value: p, label: p.toUpperCase() }))}
          error={fieldError('protocol')}
        />
        <Select
          label="Algorithm"
          value={form.algorithm}
          onChange={(e) => set('algorithm', e.target.value)}
          options={(chosen?.lb.algorithms ?? []).map((a) => ({ value: a, label: ALGORITHM_WORDS[a] ?? a }))}
          error={fieldError('algorithm')}
          hint={chosen ? `What ${chosen.lb.providerName} supports on this tier.` : undefined}
        />
      </div>
      <MemberPicker
        nics={chosen?.nics ?? []}
        selected={form.nicIds}
        onChange={(ids) => set('nicIds', ids)}
        error={server?.fieldErrors.nicIds}
      />
      {members.length > 0 && (
        <LbFanout
          vip={`${addresses.find((a) => a.id === form.publicIpId)?.address ?? '?'}:${form.publicPort || '?'}`}
          protocol={form.protocol}
          members={members}
          privatePort={form.privatePort || '?'}
        />
      )}
    </FormDialog>
  );
}
