// Public IPs (static NAT) of a VPC: each public IP → NIC with its state, the job applying it, its last error and
// diagnosis; enable, disable (asked first) and retry.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Globe, Plus, RotateCcw, Unplug } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Card } from '../../components/page';
import { EmptyState, ErrorState, LoadingRows } from '../../components/states';
import { type Column, Table } from '../../components/table';
import { useToast } from '../../components/toasts';
import { useCan } from '../../lib/can';
import { useTRPC } from '../../lib/trpc';
import { whyNotOffered } from './rule-checks';
import {
  type Job,
  RuleDiagnoses,
  RuleStatus,
  ruleRefetch,
  type StaticNatRule,
  useOfferingNames,
  usePublicOptions,
  useVpcAddresses,
  useVpcNics,
  type Vpc,
} from './rule-parts';
import { EnableStaticNatDialog } from './static-nat-dialog';

export function PublicIpsSection({
  vpc,
  jobs,
  onChanged,
}: {
  vpc: Vpc;
  jobs: Map<string, Job>;
  onChanged: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const canProvision = useCan('provision');
  const [isEnabling, setEnabling] = useState(false);
  const [toDisable, setToDisable] = useState<StaticNatRule | null>(null);
  const rules = useQuery(
    trpc.staticNat.list.queryOptions(
      { vpcId: vpc.id },
      { refetchInterval: (q) => ruleRefetch(q.state.data) },
    ),
  );
  const options = usePublicOptions(vpc.tiers);
  const { addresses } = useVpcAddresses(vpc);
  const nics = useVpcNics(vpc.tiers);
  const offeringName = useOfferingNames();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.staticNat.list.queryKey({ vpcId: vpc.id }) });
    // The addresses' "used by" (and the dialogs' picks) change with the rules.
    void queryClient.invalidateQueries({ queryKey: trpc.publicServices.options.queryKey() });
    onChanged();
  };
  const started = (what: string) => ({
    onSuccess: () => {
      toast.success(what);
      setToDisable(null);
      refresh();
    },
    onError: (e: unknown) => toast.error(e),
  });
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
    {
      key: 'state',
      header: 'State / last error',
      sortValue: (r) => r.state,
      render: (r) => <RuleStatus rule={r} job={r.jobId ? jobs.get(r.jobId) : undefined} />,
    },
    ...(canProvision
      ? [
          {
            key: 'actions',
            header: 'Actions',
            className: 'sticky right-0 bg-white dark:bg-slate-900 [th&]:bg-slate-50 dark:[th&]:bg-slate-800',
            render: (r: StaticNatRule) => (
              <div className="flex flex-wrap gap-1">
                {r.state === 'Error' && (
                  <Button
                    size="sm"
                    variant="primary"
                    onClick={() => retry.mutate({ id: r.id })}
                    isBusy={retry.isPending && retry.variables?.id === r.id}
                    icon={<RotateCcw aria-hidden className="size-4" />}
                    aria-label={`Retry static NAT ${r.publicIp}`}
                  >
                    Retry
                  </Button>
                )}
                {(r.state === 'Active' || r.state === 'Error') && (
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => setToDisable(r)}
                    icon={<Unplug aria-hidden className="size-4 text-red-600" />}
                    aria-label={`Disable static NAT ${r.publicIp}`}
                  >
                    Disable
                  </Button>
                )}
              </div>
            ),
          },
        ]
      : []),
  ];

  const isOffered = offering.length > 0;
  return (
    <Card
      id="public-ips"
      title={`Public IPs (static NAT)${rules.data ? ` (${rules.data.length})` : ''}`}
      actions={
        canProvision &&
        isOffered && (
          <Button
            size="sm"
            variant="primary"
            onClick={() => setEnabling(true)}
            icon={<Plus aria-hidden className="size-4" />}
          >
            Enable static NAT
          </Button>
        )
      }
    >
      {rules.isPending || options.isPending ? (
        <LoadingRows rows={2} label="Loading static NAT rules" />
      ) : rules.error ? (
        <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />
      ) : rules.data.length > 0 ? (
        <>
          <Table
            caption={`Static NAT rules of ${vpc.name}`}
            columns={columns}
            rows={rules.data}
            rowKey={(r) => r.id}
            pageSize={10}
            initialSort={{ key: 'publicIp', direction: 'ascending' }}
          />
          <RuleDiagnoses vpcId={vpc.id} rules={rules.data} />
        </>
      ) : isOffered ? (
        <EmptyState title="No public IP yet" icon={<Globe className="size-8" />}>
          Enable static NAT to give a Reserved NIC of tier {offering.map((t) => t.name).join(', ')} one of the
          VPC's public addresses.
        </EmptyState>
      ) : (
        <EmptyState title="Static NAT is not offered here" icon={<Globe className="size-8" />}>
          {vpc.tiers.length === 0
            ? 'This VPC has no tiers yet.'
            : vpc.tiers.map((t) => whyNotOffered(t, 'StaticNat', offeringName)).join(' ')}
        </EmptyState>
      )}
      <EnableStaticNatDialog
        isOpen={isEnabling}
        onClose={() => setEnabling(false)}
        vpcId={vpc.id}
        addresses={addresses}
        candidates={candidates}
        onDone={refresh}
      />
      <ConfirmDialog
        isOpen={toDisable !== null}
        onClose={() => setToDisable(null)}
        title="Disable static NAT?"
        confirmLabel="Disable static NAT"
        isBusy={disable.isPending}
        onConfirm={() => toDisable && disable.mutate({ id: toDisable.id })}
      >
        {toDisable && (
          <p>
            {toDisable.publicIp} stops reaching {toDisable.vmName} ({toDisable.privateIp}, tier{' '}
            {tierName(toDisable.networkId)}); the NIC keeps its private address.
          </p>
        )}
      </ConfirmDialog>
    </Card>
  );
}
