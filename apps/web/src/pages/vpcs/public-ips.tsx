// Public IPs (static NAT) of a VPC: each public IP → NIC with its state, the job applying it, its last error and
// diagnosis; enable, disable (asked first) and retry.
import { useMutation, useQuery } from '@tanstack/react-query';
import { Globe, Unplug } from 'lucide-react';
import { useState } from 'react';
import type { Column } from '../../components/table';
import { useTRPC } from '../../lib/trpc';
import { ruleRefetch, type StaticNatRule, usePublicOptions, useVpcAddresses, useVpcNics } from './rule-parts';
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
import { EnableStaticNatDialog } from './static-nat-dialog';

export function PublicIpsSection({ vpc, jobs, onChanged }: RuleSectionProps) {
  const trpc = useTRPC();
  const [isEnabling, setEnabling] = useState(false);
  const { canProvision, setToRemove, confirm, refresh, started } = useRuleSection<StaticNatRule>(
    trpc.staticNat.list.queryKey({ vpcId: vpc.id }),
    onChanged,
    { refreshesOptions: true },
  );
  const rules = useQuery(
    trpc.staticNat.list.queryOptions(
      { vpcId: vpc.id },
      { refetchInterval: (q) => ruleRefetch(q.state.data) },
    ),
  );
  const options = usePublicOptions(vpc.tiers);
  const { addresses } = useVpcAddresses(vpc);
  const nics = useVpcNics(vpc.tiers);
  const disable = useMutation(trpc.staticNat.disable.mutationOptions(started('Disabling the static NAT')));
  const retry = useMutation(trpc.staticNat.retry.mutationOptions(started('Retrying the static NAT')));

  const offering = vpc.tiers.filter((t) => options.byTier.get(t.id)?.staticNat);
  const natted = new Set((rules.data ?? []).map((r) => r.nicId));
  const candidates = offering.map((tier) => ({
    tier,
    nics: (nics.byTier.get(tier.id) ?? []).filter((n) => n.state === 'Reserved' && !natted.has(n.id)),
  }));
  const tierName = (id: string) => vpc.tiers.find((t) => t.id === id)?.name ?? id.slice(0, 8);

  const columns: Column<StaticNatRule>[] = [
    {
      key: 'publicIp',
      header: 'Public IP',
      sortValue: (r) => r.publicIp,
      render: (r) => <span className="font-mono text-xs">{r.publicIp}</span>,
    },
    {
      key: 'vm',
      header: 'VM / NIC',
      sortValue: (r) => r.vmName,
      render: (r) => <span className="whitespace-nowrap">{r.vmName}</span>,
    },
    {
      key: 'privateIp',
      header: 'Private IP',
      sortValue: (r) => r.privateIp,
      render: (r) => <span className="font-mono text-xs">{r.privateIp}</span>,
    },
    { key: 'tier', header: 'Tier', sortValue: (r) => r.networkName, render: (r) => r.networkName },
    stateColumn(jobs),
    ...actionsColumn<StaticNatRule>(canProvision, (r) => (
      <>
        <RetryButton rule={r} retry={retry} label={`Retry static NAT ${r.publicIp}`} />
        {(r.state === 'Active' || r.state === 'Error') && (
          <RemoveButton
            label={`Disable static NAT ${r.publicIp}`}
            text="Disable"
            icon={Unplug}
            onClick={() => setToRemove(r)}
          />
        )}
      </>
    )),
  ];

  return (
    <RuleCard
      vpc={vpc}
      id="public-ips"
      title="Public IPs (static NAT)"
      service="StaticNat"
      icon={<Globe className="size-8" />}
      rules={rules}
      rows={rules.data}
      isOptionsPending={options.isPending}
      offeredOn={offering}
      add={{ label: 'Enable static NAT', onClick: () => setEnabling(true) }}
      table={{
        caption: `Static NAT rules of ${vpc.name}`,
        columns,
        sortKey: 'publicIp',
        loading: 'Loading static NAT rules',
      }}
      empty={{
        title: 'No public IP yet',
        body: (tiers) =>
          `Enable static NAT to give a Reserved NIC of tier ${tiers} one of the VPC's public addresses.`,
        notOffered: 'Static NAT is not offered here',
      }}
    >
      <EnableStaticNatDialog
        isOpen={isEnabling}
        onClose={() => setEnabling(false)}
        vpcId={vpc.id}
        addresses={addresses}
        candidates={candidates}
        onDone={refresh}
      />
      <ConfirmRemove
        {...confirm}
        remove={disable}
        title="Disable static NAT?"
        confirmLabel="Disable static NAT"
      >
        {(r) => (
          <p>
            {r.publicIp} stops reaching {r.vmName} ({r.privateIp}, tier {tierName(r.networkId)}); the NIC
            keeps its private address.
          </p>
        )}
      </ConfirmRemove>
    </RuleCard>
  );
}
