// Load balancers of a VPC: each rule's VIP → members with protocol, algorithm, state and the job applying it; create,
// change members, delete (asked first) and retry. Only tiers whose offering has Lb can take one.
import { useMutation, useQuery } from '@tanstack/react-query';
import { Network, Users } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/button';
import type { Column } from '../../components/table';
import { useTRPC } from '../../lib/trpc';
import { LbMembersDialog } from './lb-members-dialog';
import { CreateLbDialog } from './lb-rule-dialog';
import { type LbRule, ruleRefetch, usePublicOptions, useVpcAddresses, useVpcNics } from './rule-parts';
import {
  actionsColumn,
  ConfirmRemove,
  RemoveButton,
  RetryButton,
  RuleCard,
  type RuleSectionProps,
  stateColumn,
  useRuleSection,
} from './rule-section';

function Members({ rule }: { rule: LbRule }) {
  if (rule.members.length === 0) return <span className="text-slate-500 dark:text-slate-400">none</span>;
  const first = rule.members.slice(0, 3);
  return (
    <span className="text-xs">
      {first.map((m) => (
        <span key={m.nicId} className="block whitespace-nowrap">
          {m.vmName} <span className="hidden font-mono lg:inline">{m.ip}</span>
        </span>
      ))}
      {rule.members.length > first.length && (
        <span className="block text-slate-500 dark:text-slate-400">
          +{rule.members.length - first.length} more
        </span>
      )}
    </span>
  );
}

export function LoadBalancersSection({ vpc, jobs, onChanged }: RuleSectionProps) {
  const trpc = useTRPC();
  const [isCreating, setCreating] = useState(false);
  const [editing, setEditing] = useState<LbRule | null>(null);
  const { canProvision, setToRemove, confirm, refresh, started } = useRuleSection<LbRule>(
    trpc.lbRules.list.queryKey({ vpcId: vpc.id }),
    onChanged,
    { refreshesOptions: true },
  );
  const rules = useQuery(
    trpc.lbRules.list.queryOptions({ vpcId: vpc.id }, { refetchInterval: (q) => ruleRefetch(q.state.data) }),
  );
  const options = usePublicOptions(vpc.tiers);
  const { addresses } = useVpcAddresses(vpc);
  const nics = useVpcNics(vpc.tiers);
  const remove = useMutation(trpc.lbRules.delete.mutationOptions(started('Deleting the load balancer')));
  const retry = useMutation(trpc.lbRules.retry.mutationOptions(started('Retrying the load balancer')));

  const reservedOf = (tierId: string) =>
    (nics.byTier.get(tierId) ?? []).filter((n) => n.state === 'Reserved');
  const offering = vpc.tiers.flatMap((tier) => {
    const lb = options.byTier.get(tier.id)?.lb;
    return lb ? [{ tier, lb, nics: reservedOf(tier.id) }] : [];
  });

  const columns: Column<LbRule>[] = [
    {
      key: 'name',
      header: 'Name',
      sortValue: (r) => r.name,
      render: (r) => (
        <span className="whitespace-nowrap">
          {r.name}
          <span className="block text-xs text-slate-500 dark:text-slate-400">tier {r.networkName}</span>
        </span>
      ),
    },
    {
      key: 'vip',
      header: 'VIP',
      sortValue: (r) => `${r.publicIp}:${r.publicPort}`,
      render: (r) => (
        <span className="whitespace-nowrap font-mono text-xs">
          {r.publicIp}:{r.publicPort}
        </span>
      ),
    },
    {
      key: 'members',
      header: 'Members',
      sortValue: (r) => r.members.length,
      render: (r) => (
        <span className="flex items-start gap-1">
          <span aria-hidden className="text-slate-400">
            →
          </span>
          <span>
            <Members rule={r} />
            <span className="font-mono text-xs text-slate-500 dark:text-slate-400">port {r.privatePort}</span>
          </span>
        </span>
      ),
    },
    {
      key: 'proto',
      header: 'Protocol · algorithm',
      // Secondary at 768 px: the row keeps its state and actions in view instead.
      className: 'hidden lg:table-cell',
      sortValue: (r) => `${r.protocol} ${r.algorithm}`,
      render: (r) => (
        <span className="whitespace-nowrap">
          {r.protocol.toUpperCase()} · {r.algorithm}
        </span>
      ),
    },
    stateColumn(jobs),
    ...actionsColumn<LbRule>(canProvision, (r) => (
      <>
        <RetryButton rule={r} retry={retry} label={`Retry load balancer ${r.name}`} />
        {r.state !== 'Revoke' && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => setEditing(r)}
            disabled={r.state === 'Add'}
            icon={<Users aria-hidden className="size-4" />}
            aria-label={`Edit members of ${r.name}`}
          >
            Members
          </Button>
        )}
        {r.state !== 'Revoke' && (
          <RemoveButton label={`Delete load balancer ${r.name}`} onClick={() => setToRemove(r)} />
        )}
      </>
    )),
  ];

  return (
    <RuleCard
      vpc={vpc}
      id="load-balancers"
      title="Load balancers"
      service="Lb"
      icon={<Network className="size-8" />}
      rules={rules}
      rows={rules.data}
      isOptionsPending={options.isPending}
      offeredOn={offering.map((o) => o.tier)}
      add={{ label: 'New load balancer', onClick: () => setCreating(true) }}
      table={{
        caption: `Load balancers of ${vpc.name}`,
        columns,
        sortKey: 'name',
        loading: 'Loading load balancers',
      }}
      empty={{
        title: 'No load balancer yet',
        body: (tiers) => `Create one to spread a public IP and port over NICs of tier ${tiers}.`,
        notOffered: 'Load balancing is not offered here',
      }}
    >
      <CreateLbDialog
        isOpen={isCreating}
        onClose={() => setCreating(false)}
        vpcId={vpc.id}
        addresses={addresses}
        tiers={offering}
        onDone={refresh}
      />
      <LbMembersDialog
        rule={editing}
        nics={editing ? reservedOf(editing.networkId) : []}
        onClose={() => setEditing(null)}
        onDone={refresh}
      />
      <ConfirmRemove
        {...confirm}
        remove={remove}
        title="Delete load balancer?"
        confirmLabel="Delete load balancer"
      >
        {(r) => (
          <p>
            {r.name} ({r.publicIp}:{r.publicPort}/{r.protocol}) stops balancing over its{' '}
            {`${r.members.length} member${r.members.length === 1 ? '' : 's'}`}; the NICs stay.
          </p>
        )}
      </ConfirmRemove>
    </RuleCard>
  );
}
