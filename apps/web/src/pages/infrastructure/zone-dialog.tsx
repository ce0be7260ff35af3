// Create or edit a zone, validated with the domain's zoneCreateInput / zoneUpdateInput.
import { DEFAULT_ZONE_DNS_SERVERS, zoneCreateInput, zoneUpdateInput } from '@netplane/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Input } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { FormError } from '../../components/states';
import { useToast } from '../../components/toasts';
import type { Outputs } from '../../lib/api-types';
import { readError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { check, errorAt, type FieldErrors } from '../../lib/zod-form';

type Zone = Outputs['zones']['list'][number];

/** "a, b" or "a b" → ['a', 'b']: the servers field is one line of addresses. */
const serverList = (text: string) => text.split(/[\s,]+/).filter(Boolean);

export function ZoneDialog({
  isOpen,
  onClose,
  zone,
  onSaved,
}: {
  isOpen: boolean;
  onClose: () => void;
  zone?: Zone;
  onSaved?: (zone: Zone) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [dnsServers, setDnsServers] = useState('');
  const [dnsDomain, setDnsDomain] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => {
    if (isOpen) {
      setName(zone?.name ?? '');
      setDescription(zone?.description ?? '');
      setDnsServers((zone?.dnsServers ?? DEFAULT_ZONE_DNS_SERVERS).join(', '));
      setDnsDomain(zone?.dnsDomain ?? '');
      setErrors({});
    }
  }, [isOpen, zone]);

  const done = (z: Zone) => {
    toast.success(zone ? `Zone ${z.name} saved` : `Zone ${z.name} created`);
    void queryClient.invalidateQueries({ queryKey: trpc.zones.list.queryKey() });
    onSaved?.(z);
    onClose();
  };
  const create = useMutation(trpc.zones.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.zones.update.mutationOptions({ onSuccess: done }));
  const error = create.error ?? update.error;
  const server = error ? readError(error).fieldErrors : {};

  function submit(e: FormEvent) {
    e.preventDefault();
    // An empty domain field means no search domain.
    const dns = { dnsServers: serverList(dnsServers), dnsDomain: dnsDomain.trim() === '' ? null : dnsDomain };
    if (zone) {
      const r = check(zoneUpdateInput, { id: zone.id, version: zone.version, name, description, ...dns });
      setErrors(r.ok ? {} : r.errors);
      if (r.ok) update.mutate(r.data);
    } else {
      const r = check(zoneCreateInput, { name, description, ...dns });
      setErrors(r.ok ? {} : r.errors);
      if (r.ok) create.mutate(r.data);
    }
  }

  return (
    <FormDialog
      isOpen={isOpen}
      onClose={onClose}
      title={zone ? `Edit zone ${zone.name}` : 'New zone'}
      formId="zone-form"
      submitLabel={zone ? 'Save' : 'Create zone'}
      isBusy={create.isPending || update.isPending}
      onSubmit={submit}
    >
      <Input
        label="Name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name ?? server.name}
      />
      <Input
        label="Description"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={errors.description ?? server.description}
      />
      <Input
        label="DNS servers"
        hint="One to four IPv4 addresses, comma separated; DHCP hands them to every guest of the zone."
        value={dnsServers}
        onChange={(e) => setDnsServers(e.target.value)}
        error={errorAt(errors, 'dnsServers') ?? errorAt(server, 'dnsServers')}
      />
      <Input
        label="DNS domain"
        hint="The guests' search domain, e.g. cloud.example.org; empty for none."
        value={dnsDomain}
        onChange={(e) => setDnsDomain(e.target.value)}
        error={errors.dnsDomain ?? server.dnsDomain}
      />
      {error && Object.keys(server).length === 0 && <FormError error={error} />}
    </FormDialog>
  );
}
