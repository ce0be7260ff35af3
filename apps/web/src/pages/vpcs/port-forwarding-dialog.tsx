// Add a port forward: an address the VPC has acquired (or acquire one here), a Reserved NIC on a tier whose
// offering has PortForwarding, the protocol its provider forwards, and the public and private port ranges, checked
// as you type with the domain's rules (pf-form.ts); a refusal of the server that names a field shows under it.
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Button } from '../../components/button';
import { Input, Select } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { useToast } from '../../components/toasts';
import { readError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import {
  checkPfForm,
  EMPTY_PF_FORM,
  FIELD_OF_REASON,
  type PfField,
  type PfForm,
  portsLabel,
} from './pf-form';
import type { Nic, PublicIp, Tier } from './rule-parts';

type Props = {
  isOpen: boolean;
  onClose: () => void;
  vpcId: string;
  addresses: readonly PublicIp[];
  /** The tiers that offer PortForwarding, with their Reserved NICs and the protocols their provider forwards. */
  candidates: { tier: Tier; nics: Nic[]; protocols: readonly ('tcp' | 'udp')[] }[];
  onAcquired: () => void;
  onDone: () => void;
};

export function PortForwardingDialog({
  isOpen,
  onClose,
  vpcId,
  addresses,
  candidates,
  onAcquired,
  onDone,
}: Props) {
  const trpc = useTRPC();
  const toast = useToast();
  const [form, setForm] = useState<PfForm>(EMPTY_PF_FORM);
  const [isTouched, setTouched] = useState(false);
  useEffect(() => {
    if (!isOpen) return;
    setForm(EMPTY_PF_FORM);
    setTouched(false);
  }, [isOpen]);
  const create = useMutation(
    trpc.portForwarding.create.mutationOptions({
      onSuccess: (r) => {
        const { rule } = r;
        toast.success(
          `Forwarding ${rule.publicIp}:${portsLabel(rule.publicPortStart, rule.publicPortEnd)}/${rule.protocol} → ${rule.privateIp} is being applied`,
        );
        onDone();
        onClose();
      },
    }),
  );
  const acquire = useMutation(
    trpc.publicIps.acquire.mutationOptions({
      onSuccess: (ip) => {
        toast.success(`Acquired ${ip.address}`);
        setForm((f) => ({ ...f, publicIpId: ip.id }));
        onAcquired();
      },
      onError: (e) => toast.error(e),
    }),
  );
  const set = (k: PfField) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const checked = checkPfForm(form);
  const server = create.error ? readError(create.error) : undefined;
  const serverField = server ? FIELD_OF_REASON[String(server.details?.reason ?? '')] : undefined;
  const errorOf = (k: PfField) => {
    const own = checked.errors?.[k];
    const isShown = isTouched || (k !== 'publicIpId' && k !== 'nicId' && form[k] !== '');
    if (own && isShown) return own;
    return serverField === k ? server?.message : undefined;
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (checked.input) create.mutate(checked.input);
  }

  const nicOptions = candidates.flatMap(({ tier, nics }) =>
    nics.map((n) => ({ value: n.id, label: `${n.vmName} · ${n.ip} (tier ${tier.name})` })),
  );
  const chosen = candidates.find((c) => c.nics.some((n) => n.id === form.nicId));
  const protocols = chosen?.protocols ?? (['tcp', 'udp'] as const);
  const ipOptions = addresses.map((a) => ({
    value: a.id,
    label: `${a.address}${a.purpose === 'SourceNat' ? ' (source NAT)' : ''}`,
  }));
  return (
    <FormDialog
      isOpen={isOpen}
      onClose={onClose}
      title="Add port forwarding"
      description="Forwards a range of ports of a public IP to the same number of ports of one NIC."
      submitLabel="Add port forwarding"
      isBusy={create.isPending}
      onSubmit={submit}
      error={server && !serverField ? create.error : undefined}
    >
      <Select
        label="Public IP"
        value={form.publicIpId}
        onChange={set('publicIpId')}
        options={ipOptions}
        placeholder={ipOptions.length ? 'Choose an acquired address' : 'This VPC has no acquired public IP'}
        error={errorOf('publicIpId')}
        hint={
          <span>
            Addresses this VPC holds.{' '}
            <Button
              size="sm"
              variant="ghost"
              onClick={() => acquire.mutate({ vpcId })}
              isBusy={acquire.isPending}
            >
              Acquire a new public IP
            </Button>
          </span>
        }
      />
      <Select
        label="NIC"
        value={form.nicId}
        onChange={set('nicId')}
        options={nicOptions}
        placeholder={
          nicOptions.length ? 'Choose a Reserved NIC' : 'No Reserved NIC on a tier with PortForwarding'
        }
        error={errorOf('nicId')}
      />
      <Select
        label="Protocol"
        value={form.protocol}
        onChange={set('protocol')}
        options={protocols.map((p) => ({ value: p, label: p.toUpperCase() }))}
        error={errorOf('protocol')}
      />
      <div className="grid grid-cols-2 gap-3">
        <Input
          label="Public start port"
          inputMode="numeric"
          value={form.publicPortStart}
          onChange={set('publicPortStart')}
          error={errorOf('publicPortStart')}
          placeholder="2222"
        />
        <Input
          label="Public end port"
          inputMode="numeric"
          value={form.publicPortEnd}
          onChange={set('publicPortEnd')}
          error={errorOf('publicPortEnd')}
          placeholder="same as start"
        />
        <Input
          label="Private start port"
          inputMode="numeric"
          value={form.privatePortStart}
          onChange={set('privatePortStart')}
          error={errorOf('privatePortStart')}
          placeholder="22"
        />
        <Input
          label="Private end port"
          inputMode="numeric"
          value={form.privatePortEnd}
          onChange={set('privatePortEnd')}
          error={errorOf('privatePortEnd')}
          placeholder="same as start"
        />
      </div>
    </FormDialog>
  );
}
