// Create a VPC: name, zone, VPC offering and CIDR.
import { nameSchema } from '@netplane/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { Input, Select } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { useToast } from '../../components/toasts';
import { readError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { checkCidr } from './cidr';

export function CreateVpcDialog({ isOpen, onClose }: { isOpen: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const zones = useQuery(trpc.zones.list.queryOptions(undefined, { enabled: isOpen }));
  const offerings = useQuery(trpc.offerings.list.queryOptions({ kind: 'vpc' }, { enabled: isOpen }));
  const [form, setForm] = useState({ name: '', zoneId: '', offeringId: '', cidr: '10.0.0.0/16' });
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  useEffect(() => {
    if (!isOpen) return;
    setErrors({});
    setForm((f) => ({
      ...f,
      zoneId: f.zoneId || zones.data?.[0]?.id || '',
      offeringId: f.offeringId || offerings.data?.[0]?.id || '',
    }));
  }, [isOpen, zones.data, offerings.data]);
  const create = useMutation(
    trpc.vpcs.create.mutationOptions({
      onSuccess: (vpc) => {
        toast.success(`VPC ${vpc.name} created`);
        void queryClient.invalidateQueries({ queryKey: trpc.vpcs.list.queryKey() });
        onClose();
        void navigate(`/vpcs/${vpc.id}`);
      },
    }),
  );
  const server = create.error ? readError(create.error).fieldErrors : {};

  function submit(e: FormEvent) {
    e.preventDefault();
    const name = nameSchema.safeParse(form.name);
    const next = {
      name: name.success ? undefined : (name.error.issues[0]?.message ?? 'Invalid name'),
      zoneId: form.zoneId ? undefined : 'Choose a zone',
      offeringId: form.offeringId ? undefined : 'Choose a VPC offering (create one under Offerings)',
      cidr: checkCidr(form.cidr),
    };
    setErrors(next);
    if (Object.values(next).some(Boolean)) return;
    create.mutate({ ...form, name: form.name.trim(), cidr: form.cidr.trim() });
  }

  return (
    <FormDialog
      isOpen={isOpen}
      onClose={onClose}
      title="New VPC"
      formId="vpc-form"
      submitLabel="Create VPC"
      isBusy={create.isPending}
      onSubmit={submit}
      error={create.error}
    >
      <Input
        label="Name"
        value={form.name}
        onChange={(e) => setForm({ ...form, name: e.target.value })}
        error={errors.name ?? server.name}
      />
      <Select
        label="Zone"
        value={form.zoneId}
        onChange={(e) => setForm({ ...form, zoneId: e.target.value })}
        options={(zones.data ?? []).map((z) => ({ value: z.id, label: z.name }))}
        placeholder={zones.data?.length ? undefined : 'No zones yet'}
        error={errors.zoneId ?? server.zoneId}
      />
      <Select
        label="VPC offering"
        value={form.offeringId}
        onChange={(e) => setForm({ ...form, offeringId: e.target.value })}
        options={(offerings.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
        placeholder={offerings.data?.length ? undefined : 'No VPC offerings yet'}
        error={errors.offeringId ?? server.offeringId}
      />
      <Input
        label="CIDR"
        value={form.cidr}
        onChange={(e) => setForm({ ...form, cidr: e.target.value })}
        error={errors.cidr ?? server.cidr}
        hint="The VPC's address space; tiers take subnets of it."
      />
    </FormDialog>
  );
}
