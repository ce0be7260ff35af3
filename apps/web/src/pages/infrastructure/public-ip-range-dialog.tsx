// Add a public IP range to a zone, validated with the domain's publicIpRangeCreateInput (the server repeats the
// checks and adds the zone-wide overlap check, whose message names the other range).
import { publicIpRangeCreateInput } from '@netplane/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Input } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { FormError } from '../../components/states';
import { useToast } from '../../components/toasts';
import { readError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { check, type FieldErrors } from '../../lib/zod-form';

export function PublicIpRangeDialog({
  isOpen,
  onClose,
  zoneId,
}: {
  isOpen: boolean;
  onClose: () => void;
  zoneId: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [cidr, setCidr] = useState('');
  const [gateway, setGateway] = useState('');
  const [vlan, setVlan] = useState('');
  const [startIp, setStartIp] = useState('');
  const [endIp, setEndIp] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => {
    if (isOpen) {
      for (const set of [setCidr, setGateway, setVlan, setStartIp, setEndIp]) set('');
      setErrors({});
    }
  }, [isOpen]);

  const create = useMutation(
    trpc.publicIpRanges.create.mutationOptions({
      onSuccess: (r) => {
        toast.success(`Public IP range ${r.cidr} added (${r.size} addresses)`);
        void queryClient.invalidateQueries({ queryKey: trpc.publicIpRanges.list.queryKey({ zoneId }) });
        onClose();
      },
    }),
  );
  const server = create.error ? readError(create.error).fieldErrors : {};

  function submit(e: FormEvent) {
    e.preventDefault();
    const r = check(publicIpRangeCreateInput, {
      zoneId,
      cidr: cidr.trim(),
      gateway: gateway.trim(),
      vlan: vlan.trim() === '' ? null : Number(vlan.trim()),
      ...(startIp.trim() !== '' && { startIp: startIp.trim() }),
      ...(endIp.trim() !== '' && { endIp: endIp.trim() }),
    });
    setErrors(r.ok ? {} : r.errors);
    if (r.ok) create.mutate(r.data);
  }

  return (
    <FormDialog
      isOpen={isOpen}
      onClose={onClose}
      title="New public IP range"
      formId="public-ip-range-form"
      submitLabel="Add range"
      isBusy={create.isPending}
      onSubmit={submit}
    >
      <Input
        label="CIDR"
        placeholder="203.0.113.0/24"
        value={cidr}
        onChange={(e) => setCidr(e.target.value)}
        error={errors.cidr ?? server.cidr}
      />
      <Input
        label="Gateway"
        placeholder="203.0.113.1"
        value={gateway}
        onChange={(e) => setGateway(e.target.value)}
        error={errors.gateway ?? server.gateway}
      />
      <Input
        label="VLAN id (empty for untagged)"
        inputMode="numeric"
        value={vlan}
        onChange={(e) => setVlan(e.target.value)}
        error={errors.vlan ?? server.vlan}
      />
      <Input
        label="First address (optional)"
        value={startIp}
        onChange={(e) => setStartIp(e.target.value)}
        error={errors.startIp ?? server.startIp}
      />
      <Input
        label="Last address (optional)"
        value={endIp}
        onChange={(e) => setEndIp(e.target.value)}
        error={errors.endIp ?? server.endIp}
      />
      {create.error && Object.keys(server).length === 0 && <FormError error={create.error} />}
    </FormDialog>
  );
}
