// Change the members of an LB rule: the tier's Reserved NICs as checkboxes, the fan-out drawn as you choose.
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { FormDialog } from '../../components/form-dialog';
import { useToast } from '../../components/toasts';
import { readError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { LbFanout } from './lb-fanout';
import { MemberPicker } from './lb-members';
import type { LbRule, Nic } from './rule-parts';

export function LbMembersDialog({
  rule,
  nics,
  onClose,
  onDone,
}: {
  rule: LbRule | null;
  /** The Reserved NICs of the rule's tier. */
  nics: Nic[];
  onClose: () => void;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const toast = useToast();
  const [selected, setSelected] = useState<string[]>([]);
  useEffect(() => {
    setSelected(rule ? rule.members.map((m) => m.nicId) : []);
  }, [rule]);
  const save = useMutation(
    trpc.lbRules.setMembers.mutationOptions({
      onSuccess: () => {
        toast.success(`Members of ${rule?.name ?? 'the load balancer'} are being applied`);
        onDone();
        onClose();
      },
    }),
  );
  // A member that is no longer Reserved still shows, so it can be seen leaving.
  const choices = [
    ...nics,
    ...(rule?.members ?? [])
      .filter((m) => !nics.some((n) => n.id === m.nicId))
      .map((m) => ({ id: m.nicId, vmName: m.vmName, ip: m.ip }) as Nic),
  ];
  const members = choices.filter((n) => selected.includes(n.id));
  function submit(e: FormEvent) {
    e.preventDefault();
    if (rule) save.mutate({ id: rule.id, nicIds: selected });
  }
  return (
    <FormDialog
      isOpen={rule !== null}
      onClose={onClose}
      size="lg"
      title={`Members of ${rule?.name ?? ''}`}
      description="The rule is applied again with the new member set; connections already open may move."
      submitLabel="Save members"
      isBusy={save.isPending}
      onSubmit={submit}
      error={
        save.error && Object.keys(readError(save.error).fieldErrors).length === 0 ? save.error : undefined
      }
    >
      <MemberPicker
        nics={choices}
        selected={selected}
        onChange={setSelected}
        error={save.error ? readError(save.error).fieldErrors.nicIds : undefined}
      />
      {rule && (
        <LbFanout
          vip={`${rule.publicIp}:${rule.publicPort}`}
          protocol={rule.protocol}
          members={members}
          privatePort={rule.privatePort}
        />
      )}
    </FormDialog>
  );
}
