// Enable static NAT: one Reserved NIC of the VPC (on a tier whose offering has StaticNat) and one of the VPC's acquired
// public addresses that no rule uses yet (never its source-NAT address); "Acquire a new address" when none is free.

import type { RuleAddress } from '@netplane/domain';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Select } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { useToast } from '../../components/toasts';
import { readError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { staticNatChoices } from './rule-checks';
import type { Nic, Tier } from './rule-parts';
import { AcquireAddressButton } from './vpc-addresses';

/** Server refusals that belong to one field rather than to the whole form. */
const FIELD_OF_REASON: Record<string, 'publicIpId' | 'nicId'> = {
  PUBLIC_IP_IN_USE: 'publicIpId',
  PUBLIC_IP_IN_VPC: 'publicIpId',
  PUBLIC_IP_NOT_ACQUIRED: 'publicIpId',
  PUBLIC_IP_OTHER_VPC: 'publicIpId',
  PUBLIC_IP_SOURCE_NAT: 'publicIpId',
  NIC_HAS_STATIC_NAT: 'nicId',
};

type Props = {
  isOpen: boolean;
  onClose: () => void;
  vpcId: string;
  /** The VPC's acquired addresses with the rules on each (publicServices.options). */
  addresses: readonly RuleAddress[];
  /** The tiers that offer StaticNat, with their NICs that may take a public IP. */
  candidates: { tier: Tier; nics: Nic[] }[];
  onDone: () => void;
};

export function EnableStaticNatDialog({ isOpen, onClose, vpcId, addresses, candidates, onDone }: Props) {
  const trpc = useTRPC();
  const toast = useToast();
  const [nicId, setNicId] = useState('');
  const [publicIpId, setPublicIpId] = useState('');
  const [isTouched, setTouched] = useState(false);
  useEffect(() => {
    if (!isOpen) return;
    setNicId('');
    setPublicIpId('');
    setTouched(false);
  }, [isOpen]);
  const enable = useMutation(
    trpc.staticNat.enable.mutationOptions({
      onSuccess: (r) => {
        toast.success(`Static NAT ${r.rule.publicIp} → ${r.rule.privateIp} is being applied`);
        onDone();
        onClose();
      },
    }),
  );
  const server = enable.error ? readError(enable.error) : undefined;
  const serverField = server ? FIELD_OF_REASON[String(server.details?.reason ?? '')] : undefined;
  const choices = staticNatChoices(addresses);
  const ipError = isTouched && !publicIpId ? 'Choose the public address' : undefined;
  const nicError = isTouched && !nicId ? 'Choose the NIC that gets the public IP' : undefined;

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!nicId || !publicIpId) return;
    enable.mutate({ nicId, publicIpId });
  }

  const options = candidates.flatMap(({ tier, nics }) =>
    nics.map((n) => ({ value: n.id, label: `${n.vmName} · ${n.ip} (tier ${tier.name})` })),
  );
  return (
    <FormDialog
      isOpen={isOpen}
      onClose={onClose}
      title="Enable static NAT"
      description="Maps one public IP to one NIC, both ways (inbound DNAT and outbound SNAT)."
      submitLabel="Enable static NAT"
      isBusy={enable.isPending}
      onSubmit={submit}
      error={server && !serverField ? enable.error : undefined}
    >
      <Select
        label="NIC"
        value={nicId}
        onChange={(e) => setNicId(e.target.value)}
        options={options}
        placeholder={options.length ? 'Choose a Reserved NIC' : 'No Reserved NIC without a static NAT'}
        error={nicError ?? (serverField === 'nicId' ? server?.message : undefined)}
        hint="Only Reserved NICs on tiers whose offering has StaticNat, and without a public IP yet."
      />
      <Select
        label="Public IP"
        value={publicIpId}
        onChange={(e) => setPublicIpId(e.target.value)}
        options={choices}
        placeholder={choices.length ? 'Choose an address of the VPC' : 'No free address of the VPC'}
        error={ipError ?? (serverField === 'publicIpId' ? server?.message : undefined)}
        hint="Addresses the VPC acquired that no rule uses; never its source-NAT address."
      />
      {choices.length === 0 && (
        <AcquireAddressButton vpcId={vpcId} onAcquired={(ip) => setPublicIpId(ip.id)} />
      )}
    </FormDialog>
  );
}
