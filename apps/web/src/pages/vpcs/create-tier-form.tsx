// Adds a tier to a VPC: name, network offering, CIDR and (optionally) the physical network.
import { nameSchema } from '@netplane/domain';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Button } from '../../components/button';
import { Input, Select } from '../../components/field';
import { Card } from '../../components/page';
import { FormError } from '../../components/states';
import { useToast } from '../../components/toasts';
import { readError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { checkCidr } from './cidr';

export function CreateTierForm({
  vpcId,
  zoneId,
  onCreated,
}: {
  vpcId: string;
  zoneId: string;
  onCreated: () => void;
}) {
  const trpc = useTRPC();
  const toast = useToast();
  const [isOpen, setOpen] = useState(false);
  const offerings = useQuery(trpc.offerings.list.queryOptions({ kind: 'network' }, { enabled: isOpen }));
  const pns = useQuery(trpc.physicalNetworks.list.queryOptions({ zoneId }, { enabled: isOpen }));
  const [form, setForm] = useState({ name: '', offeringId: '', cidr: '10.0.1.0/24', physicalNetworkId: '' });
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const create = useMutation(
    trpc.tiers.create.mutationOptions({
      onSuccess: (t) => {
        toast.success(`Tier ${t.name} created; implement it to provision`);
        setForm((f) => ({ ...f, name: '' }));
        setOpen(false);
        onCreated();
      },
    }),
  );
  const server = create.error ? readError(create.error).fieldErrors : {};
  const offeringId = form.offeringId || offerings.data?.[0]?.id || '';

  if (!isOpen) {
    return (
      <Button onClick={() => setOpen(true)} icon={<Plus aria-hidden className="size-4" />}>
        Add tier
      </Button>
    );
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const name = nameSchema.safeParse(form.name);
    const next = {
      name: name.success ? undefined : (name.error.issues[0]?.message ?? 'Invalid name'),
      offeringId: offeringId ? undefined : 'Choose a network offering (create one under Offerings)',
      cidr: checkCidr(form.cidr),
    };
    setErrors(next);
    if (Object.values(next).some(Boolean)) return;
    create.mutate({
      vpcId,
      name: form.name.trim(),
      offeringId,
      cidr: form.cidr.trim(),
      ...(form.physicalNetworkId ? { physicalNetworkId: form.physicalNetworkId } : {}),
    });
  }

  return (
    <Card title="New tier">
      <form onSubmit={submit} noValidate className="space-y-4">
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-4">
          <Input
            label="Name"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            error={errors.name ?? server.name}
          />
          <Select
            label="Network offering"
            value={offeringId}
            onChange={(e) => setForm({ ...form, offeringId: e.target.value })}
            options={(offerings.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
            error={errors.offeringId ?? server.offeringId}
          />
          <Input
            label="CIDR"
            value={form.cidr}
            onChange={(e) => setForm({ ...form, cidr: e.target.value })}
            error={errors.cidr ?? server.cidr}
          />
          <Select
            label="Physical network"
            value={form.physicalNetworkId}
            onChange={(e) => setForm({ ...form, physicalNetworkId: e.target.value })}
            options={(pns.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
            placeholder="Chosen by negotiation"
          />
        </div>
        {create.error && <FormError error={create.error} />}
        <div className="flex gap-2">
          <Button type="submit" variant="primary" isBusy={create.isPending}>
            Create tier
          </Button>
          <Button onClick={() => setOpen(false)}>Cancel</Button>
        </div>
      </form>
    </Card>
  );
}
