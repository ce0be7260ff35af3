// Port forwarding of a VPC: each public IP:ports/protocol → NIC:ports with its state, the job applying it, its last
// error and diagnosis; add (picking an acquired address), delete (asked first) and retry, for roles that provision.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowRightLeft, Plus, RotateCcw, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Card } from '../../components/page';
import { EmptyState, ErrorState, LoadingRows } from '../../components/states';
import { type Column, Table } from '../../components/table';
import { useToast } from '../../components/toasts';
import { useCan } from '../../lib/can';
import { useTRPC } from '../../lib/trpc';
import { portsLabel } from './pf-form';
import { PortForwardingDialog } from './port-forwarding-dialog';
import { whyNotOffered } from './rule-checks';
import {
  type Job,
  type PortForwardingRule,
  RuleDiagnoses,
  RuleStatus,
  ruleRefetch,
  useOfferingNames,
  usePublicOptions,
  useVpcNics,
  type Vpc,
} from './rule-parts';

/** The list's page size: a VPC's forwards fit one page; past it the title says how many there are in all. */
const LIMIT = 200;

const forwardLabel = (r: PortForwardingRule) =>
  `${r.publicIp}:${portsLabel(r.publicPortStart, r.publicPortEnd)}/${r.protocol}`;

export function PortForwardingSection({
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
  const [isAdding, setAdding] = useState(false);
  const [toDelete, setToDelete] = useState<PortForwardingRule | null>(null);
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
  const offeringName = useOfferingNames();
  const refresh = () => {
    void queryClient.invalidateQueries({
      queryKey: trpc.portForwarding.list.queryKey({ vpcId: vpc.id, limit: LIMIT }),
    });
    onChanged();
  };
  const started = (what: string) => ({
    onSuccess: () => {
      toast.success(what);
      setToDelete(null);
      refresh();
    },
    onError: (e: unknown) => toast.error(e),
  });
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
            render: (r: PortForwardingRule) => (
              <div className="flex flex-wrap gap-1">
                {r.state === 'Error' && (
                  <Button
                    size="sm"
                    variant="primary"
                    onClick={() => retry.mutate({ id: r.id })}
                    isBusy={retry.isPending && retry.variables?.id === r.id}
                    icon={<RotateCcw aria-hidden className="size-4" />}
                    aria-label={`Retry port forwarding ${forwardLabel(r)}`}
                  >
                    Retry
                  </Button>
                )}
                {(r.state === 'Active' || r.state === 'Error') && (
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => setToDelete(r)}
                    icon={<Trash2 aria-hidden className="size-4 text-red-600" />}
                    aria-label={`Delete port forwarding ${forwardLabel(r)}`}
                  >
                    Delete
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
      id="port-forwarding"
      title={`Port forwarding${rules.data ? ` (${rules.data.total})` : ''}`}
      actions={
        canProvision &&
        isOffered && (
          <Button
            size="sm"
            variant="primary"
            onClick={() => setAdding(true)}
            icon={<Plus aria-hidden className="size-4" />}
          >
            Add port forwarding
          </Button>
        )
      }
    >
      {rules.isPending || options.isPending ? (
        <LoadingRows rows={2} label="Loading port forwarding rules" />
      ) : rules.error ? (
        <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />
      ) : items.length > 0 ? (
        <>
          <Table
            caption={`Port forwarding rules of ${vpc.name}`}
            columns={columns}
            rows={items}
            rowKey={(r) => r.id}
            pageSize={10}
            initialSort={{ key: 'public', direction: 'ascending' }}
          />
          {rules.data.nextCursor && (
            <p className="mt-2 text-xs text-slate-600 dark:text-slate-300">
              Showing the first {items.length} of {rules.data.total} rules.
            </p>
          )}
          <RuleDiagnoses vpcId={vpc.id} rules={items} />
        </>
      ) : isOffered ? (
        <EmptyState title="No port forwarding yet" icon={<ArrowRightLeft className="size-8" />}>
          Forward ports of an acquired public IP to a Reserved NIC of tier{' '}
          {offering.map((t) => t.name).join(', ')}.
        </EmptyState>
      ) : (
        <EmptyState title="Port forwarding is not offered here" icon={<ArrowRightLeft className="size-8" />}>
          {vpc.tiers.length === 0
            ? 'This VPC has no tiers yet.'
            : vpc.tiers.map((t) => whyNotOffered(t, 'PortForwarding', offeringName)).join(' ')}
        </EmptyState>
      )}
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
      <ConfirmDialog
        isOpen={toDelete !== null}
        onClose={() => setToDelete(null)}
        title="Delete port forwarding?"
        confirmLabel="Delete port forwarding"
        isBusy={remove.isPending}
        onConfirm={() => toDelete && remove.mutate({ id: toDelete.id })}
      >
        {toDelete && (
          <p>
            {forwardLabel(toDelete)} stops reaching {toDelete.vmName} ({toDelete.privateIp}:
            {portsLabel(toDelete.privatePortStart, toDelete.privatePortEnd)}); the address stays acquired.
          </p>
        )}
      </ConfirmDialog>
    </Card>
  );
}
