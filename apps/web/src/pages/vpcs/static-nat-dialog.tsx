// Enable static NAT: one Reserved NIC of the VPC (on a tier whose offering has StaticNat) and a public IPv4 address,
// checked as you type with the same zod schema the API uses.
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Input, Select } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { useToast } from '../../components/toasts';
import { readError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { checkPublicIp } from './rule-checks';
import type { Nic, Tier } from './rule-parts';

/** Server refusals that belong to one field rather than to the whole form. */
const FIELD_OF_REASON: Record<string, 'publicIp' | 'nicId'> = {
  PUBLIC_IP_IN_USE: 'publicIp',
  PUBLIC_IP_IN_VPC: 'publicIp',
  NIC_HAS_STATIC_NAT: 'nicId',
};

type Props = {
  isOpen: boolean;
  onClose: () => void;
  vpcCidr: string;
  /** The tiers that offer StaticNat, with their NICs that may take a public IP. */
  candidates: { tier: Tier; nics: Nic[] }[];
  onDone: () => void;
};

export function EnableStaticNatDialog({ isOpen, onClose, vpcCidr, candidates, onDone }: Props) {
  const trpc = useTRPC();
  const toast = useToast();
  const [nicId, setNicId] = useState('');
  const [publicIp, setPublicIp] = useState('');
  const [isTouched, setTouched] = useState(false);
  useEffect(() => {
    if (!isOpen) return;
    setNicId('');
    setPublicIp('');
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
  const ipError = publicIp || isTouched ? checkPublicIp(publicIp, vpcCidr) : undefined;
  const nicError = isTouched && !nicId ? 'Choose the NIC that gets the public IP' : undefined;

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!nicId || checkPublicIp(publicIp, vpcCidr)) return;
    enable.mutate({ nicId, publicIp: publicIp.trim() });
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
      <Input
        label="Public IP"
        value={publicIp}
        inputMode="decimal"
        autoComplete="off"
        placeholder="203.0.113.10"
        onChange={(e) => setPublicIp(e.target.value)}
        error={ipError ?? (serverField === 'publicIp' ? server?.message : undefined)}
      />
    </FormDialog>
  );
}
