// New ACL list of a VPC: a name checked with the domain's aclListNameSchema as it is typed, and a description.
import { aclListNameSchema } from '@netplane/domain';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Input } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { useToast } from '../../components/toasts';
import { readError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';

type Props = { isOpen: boolean; onClose: () => void; vpcId: string; onDone: (listId: string) => void };

export function CreateAclListDialog({ isOpen, onClose, vpcId, onDone }: Props) {
  const trpc = useTRPC();
  const toast = useToast();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [isTouched, setTouched] = useState(false);
  useEffect(() => {
    if (!isOpen) return;
    setName('');
    setDescription('');
    setTouched(false);
  }, [isOpen]);
  const create = useMutation(
    trpc.networkAcls.create.mutationOptions({
      onSuccess: (l) => {
        toast.success(`ACL list ${l.name} created`);
        onDone(l.id);
        onClose();
      },
    }),
  );
  const parsed = aclListNameSchema.safeParse(name);
  const nameError =
    (name || isTouched) && !parsed.success ? (parsed.error.issues[0]?.message ?? 'Invalid name') : undefined;
  const server = create.error ? readError(create.error) : undefined;
  // A name another list of the VPC holds is the name's problem, not the form's.
  const serverName = server?.appCode === 'CONFLICT' ? server.message : server?.fieldErrors.name;

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!parsed.success) return;
    create.mutate({ vpcId, name: parsed.data, description: description.trim() });
  }

  return (
    <FormDialog
      isOpen={isOpen}
      onClose={onClose}
      title="New ACL list"
      description="An empty list drops all ingress and allows all egress until you add rules."
      submitLabel="Create ACL list"
      isBusy={create.isPending}
      onSubmit={submit}
      error={server && !serverName ? create.error : undefined}
    >
      <Input
        label="Name"
        value={name}
        autoComplete="off"
        placeholder="web-to-db"
        onChange={(e) => setName(e.target.value)}
        error={nameError ?? serverName}
        hint="Lower-case letters, digits, inner dashes or underscores; default_ is reserved."
      />
      <Input
        label="Description"
        value={description}
        autoComplete="off"
        onChange={(e) => setDescription(e.target.value)}
        error={server?.fieldErrors.description}
      />
    </FormDialog>
  );
}
