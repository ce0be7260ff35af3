// Which ACL list each tier of the VPC uses; operators switch a tier to another list (networkAcls.assign).
import type { AclListView } from '@netplane/domain';
import { useMutation } from '@tanstack/react-query';
import { Check } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/button';
import { Select } from '../../components/field';
import { StateBadge } from '../../components/state-badge';
import { useToast } from '../../components/toasts';
import { useCan } from '../../lib/can';
import { useTRPC } from '../../lib/trpc';
import type { Tier } from './rule-parts';

export function AclAssignments({
  tiers,
  lists,
  onChanged,
}: {
  tiers: readonly Tier[];
  lists: readonly AclListView[];
  onChanged: () => void;
}) {
  const canProvision = useCan('provision');
  const listOf = new Map(lists.flatMap((l) => l.tiers.map((t) => [t.id, l] as const)));
  if (tiers.length === 0) return null;
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold">ACL list of each tier</h3>
      <ul className="space-y-2">
        {tiers
          .filter((t) => t.state !== 'Destroy')
          .map((t) =>
            canProvision ? (
              <AssignRow key={t.id} tier={t} current={listOf.get(t.id)} lists={lists} onChanged={onChanged} />
            ) : (
              <li key={t.id} className="text-sm">
                {t.name}: <strong>{listOf.get(t.id)?.name ?? '—'}</strong>
              </li>
            ),
          )}
      </ul>
    </div>
  );
}

function AssignRow({
  tier,
  current,
  lists,
  onChanged,
}: {
  tier: Tier;
  current: AclListView | undefined;
  lists: readonly AclListView[];
  onChanged: () => void;
}) {
  const trpc = useTRPC();
  const toast = useToast();
  const [chosen, setChosen] = useState('');
  const value = chosen || current?.id || '';
  const assign = useMutation(
    trpc.networkAcls.assign.mutationOptions({
      onSuccess: (r) => {
        const name = lists.find((l) => l.id === value)?.name ?? 'the list';
        toast.success(r.jobId ? `Applying ${name} to ${tier.name}` : `${tier.name} uses ${name}`);
        setChosen('');
        onChanged();
      },
      onError: (e) => toast.error(e),
    }),
  );
  return (
    <li className="flex flex-wrap items-end gap-2">
      <Select
        label={`ACL list of tier ${tier.name}`}
        className="w-64"
        value={value}
        onChange={(e) => setChosen(e.target.value)}
        options={lists.map((l) => ({ value: l.id, label: l.builtin ? `${l.name} (built-in)` : l.name }))}
      />
      <Button
        size="sm"
        variant="primary"
        disabled={!value || value === current?.id}
        isBusy={assign.isPending}
        onClick={() => assign.mutate({ tierId: tier.id, listId: value })}
        icon={<Check aria-hidden className="size-4" />}
        aria-label={`Assign the ACL list to tier ${tier.name}`}
      >
        Assign
      </Button>
      <StateBadge state={tier.state} />
    </li>
  );
}
