// Port forwarding of a VPC: each public IP:ports/protocol → NIC:ports with its state, the job applying it, its last
// error and diagnosis; add (picking an acquired address), delete (asked first) and retry, for roles that provision.
import { useMutation, useQuery } from '@tanstack/react-query';
import { ArrowRightLeft } from 'lucide-react';
import { useState } from 'react';
import type { Column } from '../../components/table';
import { useTRPC } from '../../lib/trpc';
import { portsLabel } from './pf-form';
import { PortForwardingDialog } from './port-forwarding-dialog';
import { type PortForwardingRule, ruleRefetch, usePublicOptions, useVpcNics } from './rule-parts';
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

/** The list's page size: a VPC's forwards fit one page; past it the title says how many there are in all. */
const LIMIT = 200;

const forwardLabel = (r: PortForwardingRule) =>
  `${r.publicIp}:${portsLabel(r.publicPortStart, r.publicPortEnd)}/${r.protocol}`;

export function PortForwardingSection({ vpc, jobs, onChanged }: RuleSectionProps) {
  const trpc = useTRPC();
  const [isAdding, setAdding] = useState(false);
  // Its dialog picks from the VPC's addresses list (publicIps.list), not from the tiers' options.
  const { canProvision, setToRemove, confirm, refresh, started } = useRuleSection<PortForwardingRule>(
    trpc.portForwarding.list.queryKey({ vpcId: vpc.id, limit: LIMIT }),
    onChanged,
    { refreshesOptions: false },
  );
  const rules = useQuery(
    trpc.portForwarding.list.queryOptions(
      { vpcId: vpc.id, limit: LIMIT },
      { refetchInterval: (q) => ruleRefetch(q.state.data?.items) },
    ),
  );
  const addresses = useQuery(
    trpc.publicIps.list.queryOptions({ vpcId: vpc.id, limit: 200 }, { enabled: canProvision }),
  );
  const options = usePublicOptions(vpc.tiers);
  const nics = useVpcNics(vpc.tiers);
  const remove = useMutation(
    trpc.portForwarding.delete.mutationOptions(started('Deleting the port forwarding rule')),
  );
  const retry = useMutation(
    trpc.portForwarding.retry.mutationOptions(started('Retrying the port forwarding rule')),
  );

  const offering = vpc.tiers.filter((t) => options.byTier.get(t.id)?.portForwarding);
  const candidates = offering.map((tier) => ({
    tier,
    nics: (nics.byTier.get(tier.id) ?? []).filter((n) => n.state === 'Reserved'),
    protocols: options.byTier.get(tier.id)?.portForwarding?.protocols ?? [],
  }));
  const items = rules.data?.items ?? [];

  const columns: Column<PortForwardingRule>[] = [
    {
      key: 'public',
      header: 'Public IP : ports',
      sortValue: (r) => `${r.publicIp}:${String(r.publicPortStart).padStart(5, '0')}`,
      render: (r) => <span className="font-mono text-xs whitespace-nowrap">{forwardLabel(r)}</span>,
    },
    {
      key: 'private',
      header: 'Private IP : ports',
      sortValue: (r) => r.privateIp,
      render: (r) => (
        <span className="font-mono text-xs whitespace-nowrap">
          {r.privateIp}:{portsLabel(r.privatePortStart, r.privatePortEnd)}
        </span>
      ),
    },
    { key: 'vm', header: 'VM / NIC', sortValue: (r) => r.vmName, render: (r) => r.vmName },
    { key: 'tier', header: 'Tier', sortValue: (r) => r.networkName, render: (r) => r.networkName },
    stateColumn(jobs),
    ...actionsColumn<PortForwardingRule>(canProvision, (r) => (
      <>
        <RetryButton rule={r} retry={retry} label={`Retry port forwarding ${forwardLabel(r)}`} />
        {(r.state === 'Active' || r.state === 'Error') && (
          <RemoveButton label={`Delete port forwarding ${forwardLabel(r)}`} onClick={() => setToRemove(r)} />
        )}
      </>
    )),
  ];

  return (
    <RuleCard
      vpc={vpc}
      id="port-forwarding"
      title="Port forwarding"
      service="PortForwarding"
      icon={<ArrowRightLeft className="size-8" />}
      rules={rules}
      rows={rules.data?.items}
      count={rules.data?.total}
      isOptionsPending={options.isPending}
      offeredOn={offering}
      add={{ label: 'Add port forwarding', onClick: () => setAdding(true) }}
      table={{
        caption: `Port forwarding rules of ${vpc.name}`,
        columns,
        sortKey: 'public',
        loading: 'Loading port forwarding rules',
      }}
      below={
        rules.data?.nextCursor && (
          <p className="mt-2 text-xs text-slate-600 dark:text-slate-300">
            Showing the first {items.length} of {rules.data.total} rules.
          </p>
        )
      }
      empty={{
        title: 'No port forwarding yet',
        body: (tiers) => `Forward ports of an acquired public IP to a Reserved NIC of tier ${tiers}.`,
        notOffered: 'Port forwarding is not offered here',
      }}
    >
      {canProvision && (
        <PortForwardingDialog
          isOpen={isAdding}
          onClose={() => setAdding(false)}
          vpcId={vpc.id}
          addresses={addresses.data?.items ?? []}
          candidates={candidates}
          onAcquired={() => void addresses.refetch()}
          onDone={refresh}
        />
      )}
      <ConfirmRemove
        {...confirm}
        remove={remove}
        title="Delete port forwarding?"
        confirmLabel="Delete port forwarding"
      >
        {(r) => (
          <p>
            {forwardLabel(r)} stops reaching {r.vmName} ({r.privateIp}:
            {portsLabel(r.privatePortStart, r.privatePortEnd)}); the address stays acquired.
          </p>
        )}
      </ConfirmRemove>
    </RuleCard>
  );
}
