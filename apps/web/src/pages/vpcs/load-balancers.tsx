// Load balancers of a VPC: each rule's VIP → members with protocol, algorithm, state and the job applying it; create,
// change members, delete (asked first) and retry. Only tiers whose offering has Lb can take one.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Network, Plus, RotateCcw, Trash2, Users } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Card } from '../../components/page';
import { EmptyState, ErrorState, LoadingRows } from '../../components/states';
import { type Column, Table } from '../../components/table';
import { useToast } from '../../components/toasts';
import { useCan } from '../../lib/can';
import { useTRPC } from '../../lib/trpc';
import { LbMembersDialog } from './lb-members-dialog';
import { CreateLbDialog } from './lb-rule-dialog';
import { whyNotOffered } from './rule-checks';
import {
  type Job,
  type LbRule,
  RuleDiagnoses,
  RuleStatus,
  ruleRefetch,
  useOfferingNames,
  usePublicOptions,
  useVpcAddresses,
  useVpcNics,
  type Vpc,
} from './rule-parts';

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

export function LoadBalancersSection({
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
  const [isCreating, setCreating] = useState(false);
  const [editing, setEditing] = useState<LbRule | null>(null);
  const [toDelete, setToDelete] = useState<LbRule | null>(null);
  const rules = useQuery(
    trpc.lbRules.list.queryOptions({ vpcId: vpc.id }, { refetchInterval: (q) => ruleRefetch(q.state.data) }),
  );
  const options = usePublicOptions(vpc.tiers);
  const { addresses } = useVpcAddresses(vpc);
  const nics = useVpcNics(vpc.tiers);
  const offeringName = useOfferingNames();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.lbRules.list.queryKey({ vpcId: vpc.id }) });
    // The addresses' "used by" (and the dialogs' picks) change with the rules.
    void queryClient.invalidateQueries({ queryKey: trpc.publicServices.options.queryKey() });
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
            render: (r: LbRule) => (
              <div className="flex flex-wrap gap-1">
                {r.state === 'Error' && (
                  <Button
                    size="sm"
                    variant="primary"
                    onClick={() => retry.mutate({ id: r.id })}
                    isBusy={retry.isPending && retry.variables?.id === r.id}
                    icon={<RotateCcw aria-hidden className="size-4" />}
                    aria-label={`Retry load balancer ${r.name}`}
                  >
                    Retry
                  </Button>
                )}
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
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => setToDelete(r)}
                    icon={<Trash2 aria-hidden className="size-4 text-red-600" />}
                    aria-label={`Delete load balancer ${r.name}`}
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
      id="load-balancers"
      title={`Load balancers${rules.data ? ` (${rules.data.length})` : ''}`}
      actions={
        canProvision &&
        isOffered && (
          <Button
            size="sm"
            variant="primary"
            onClick={() => setCreating(true)}
            icon={<Plus aria-hidden className="size-4" />}
          >
            New load balancer
          </Button>
        )
      }
    >
      {rules.isPending || options.isPending ? (
        <LoadingRows rows={2} label="Loading load balancers" />
      ) : rules.error ? (
        <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />
      ) : rules.data.length > 0 ? (
        <>
          <Table
            caption={`Load balancers of ${vpc.name}`}
            columns={columns}
            rows={rules.data}
            rowKey={(r) => r.id}
            pageSize={10}
            initialSort={{ key: 'name', direction: 'ascending' }}
          />
          <RuleDiagnoses vpcId={vpc.id} rules={rules.data} />
        </>
      ) : isOffered ? (
        <EmptyState title="No load balancer yet" icon={<Network className="size-8" />}>
          Create one to spread a public IP and port over NICs of tier{' '}
          {offering.map((o) => o.tier.name).join(', ')}.
        </EmptyState>
      ) : (
        <EmptyState title="Load balancing is not offered here" icon={<Network className="size-8" />}>
          {vpc.tiers.length === 0
            ? 'This VPC has no tiers yet.'
            : vpc.tiers.map((t) => whyNotOffered(t, 'Lb', offeringName)).join(' ')}
        </EmptyState>
      )}
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
      <ConfirmDialog
        isOpen={toDelete !== null}
        onClose={() => setToDelete(null)}
        title="Delete load balancer?"
        confirmLabel="Delete load balancer"
        isBusy={remove.isPending}
        onConfirm={() => toDelete && remove.mutate({ id: toDelete.id })}
      >
        {toDelete && (
          <p>
            {toDelete.name} ({toDelete.publicIp}:{toDelete.publicPort}/{toDelete.protocol}) stops balancing
            over its {toDelete.members.length} member{toDelete.members.length === 1 ? '' : 's'}; the NICs
            stay.
          </p>
        )}
      </ConfirmDialog>
    </Card>
  );
}
