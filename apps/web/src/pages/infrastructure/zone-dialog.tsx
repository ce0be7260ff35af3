// Create or edit a zone, validated with the domain's zoneCreateInput / zoneUpdateInput.
import { zoneCreateInput, zoneUpdateInput } from '@netplane/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Input } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { FormError } from '../../components/states';
import { useToast } from '../../components/toasts';
import type { Outputs } from '../../lib/api-types';
import { readError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { check, type FieldErrors } from '../../lib/zod-form';

type Zone = Outputs['zones']['list'][number];

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
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => {
    if (isOpen) {
      setName(zone?.name ?? '');
      setDescription(zone?.description ?? '');
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
    if (zone) {
      const r = check(zoneUpdateInput, { id: zone.id, version: zone.version, name, description });
      setErrors(r.ok ? {} : r.errors);
      if (r.ok) update.mutate(r.data);
    } else {
      const r = check(zoneCreateInput, { name, description });
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
      {error && Object.keys(server).length === 0 && <FormError error={error} />}
    </FormDialog>
  );
}
