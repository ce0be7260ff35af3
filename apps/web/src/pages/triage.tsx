// Support triage: failed or stuck VPCs, oldest first, with acknowledge / assign and the redacted support bundle.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Download, LifeBuoy, ShieldAlert, UserCheck } from 'lucide-react';
import { Link } from 'react-router';
import { useSession } from '../app/session';
import { Button } from '../components/button';
import { PageHeader } from '../components/page';
import { type ServerColumn, ServerTable } from '../components/server-table';
import { StateBadge } from '../components/state-badge';
import { EmptyState, ErrorState, LoadingRows } from '../components/states';
import { useToast } from '../components/toasts';
import type { Outputs } from '../lib/api-types';
import { useCan } from '../lib/can';
import { formatAgo } from '../lib/format';
import { useServerPaging } from '../lib/server-paging';
import { useTRPC, useTRPCClient } from '../lib/trpc';
import { CategoryBadge } from './diagnostics/diagnosis-card';

type Item = Outputs['support']['queue']['items'][number];

export function TriagePage() {
  const canAct = useCan('diagnostics.act');
  if (!canAct) {
    return (
      <>
        <PageHeader title="Support triage" />
        <EmptyState
          title="Triage is for support, operators and admins"
          icon={<ShieldAlert className="size-8" />}
        >
          Your role can read diagnostics; ask an admin for the support role to work the queue.
        </EmptyState>
      </>
    );
  }
  return <TriageQueue />;
}

function TriageQueue() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const toast = useToast();
  const session = useSession();
  const paging = useServerPaging(['since'] as const, { sort: 'since', dir: 'asc' });
  // The queue has one order (oldest trouble first); the page's cursor is in the URL.
  const { sort: _sort, dir: _dir, ...pageInput } = paging.input;
  const queue = useQuery(
    trpc.support.queue.queryOptions(pageInput, { refetchInterval: 5000, placeholderData: keepPreviousData }),
  );
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.support.queue.queryKey() });
  const ack = useMutation(
    trpc.support.acknowledge.mutationOptions({ onSuccess: refresh, onError: (e) => toast.error(e) }),
  );
  const assign = useMutation(
    trpc.support.assign.mutationOptions({ onSuccess: refresh, onError: (e) => toast.error(e) }),
  );

  async function exportBundle(item: Item) {
    try {
      const bundle = await client.support.bundle.query({ vpcId: item.vpcId });
      const url = URL.createObjectURL(
        new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/json' }),
      );
      const a = document.createElement('a');
      a.href = url;
      a.download = `netplane-support-${item.vpcName ?? item.vpcId}.json`;
      a.click();
      URL.revokeObjectURL(url);
      toast.success('Support bundle downloaded (secrets redacted)');
    } catch (e) {
      toast.error(e);
    }
  }

  const me = session?.user.username ?? '';
  const columns: ServerColumn<Item, 'since'>[] = [
    {
      key: 'vpc',
      header: 'VPC',
      render: (i) => (
        <div className="space-y-1">
          <Link to={`/vpcs/${i.vpcId}`} className="font-medium text-sky-700 underline dark:text-sky-400">
            {i.vpcName ?? i.vpcId.slice(0, 8)}
          </Link>
          {i.vpcState && <StateBadge state={i.vpcState} />}
        </div>
      ),
    },
    { key: 'since', header: 'Waiting', render: (i) => formatAgo(i.since) },
    {
      key: 'cause',
      header: 'Root cause',
      render: (i) =>
        i.rootCause ? (
          <div className="max-w-md space-y-0.5">
            <div className="flex flex-wrap items-center gap-1.5">
              <span className="font-medium">{i.rootCause.title}</span>{' '}
              <CategoryBadge category={i.rootCause.category} />
            </div>
            <p className="text-xs text-slate-600 dark:text-slate-300">{i.rootCause.sentence}</p>
          </div>
        ) : (
          <span className="text-slate-500 dark:text-slate-400">stuck, no diagnosis yet</span>
        ),
    },
    {
      key: 'counts',
      header: 'Open',
      render: (i) => (
        <span className="text-xs">
          {i.openDiagnoses} diagnoses · {i.stuckItems} stuck
        </span>
      ),
    },
    {
      key: 'owner',
      header: 'Handled by',
      render: (i) => (
        <div className="text-xs">
          {i.assignedTo ? (
            <div>assigned to {i.assignedTo}</div>
          ) : (
            <div className="text-amber-700 dark:text-amber-400">unassigned</div>
          )}
          {i.acknowledgedBy && (
            <div className="text-slate-500 dark:text-slate-400">
              ack by {i.acknowledgedBy} {formatAgo(i.acknowledgedAt)}
            </div>
          )}
        </div>
      ),
    },
    {
      key: 'actions',
      header: 'Actions',
      render: (i) => (
        <div className="flex flex-wrap gap-1">
          {!i.acknowledgedBy && (
            <Button size="sm" onClick={() => ack.mutate({ vpcId: i.vpcId })}>
              Acknowledge
            </Button>
          )}
          {i.assignedTo !== me ? (
            <Button
              size="sm"
              onClick={() => assign.mutate({ vpcId: i.vpcId, assignee: me })}
              icon={<UserCheck aria-hidden className="size-4" />}
            >
              Assign to me
            </Button>
          ) : (
            <Button
              size="sm"
              variant="ghost"
              onClick={() => assign.mutate({ vpcId: i.vpcId, assignee: null })}
            >
              Unassign
            </Button>
          )}
          <Button
            size="sm"
            variant="ghost"
            onClick={() => void exportBundle(i)}
            icon={<Download aria-hidden className="size-4" />}
          >
            Bundle
          </Button>
        </div>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Support triage"
        description="Failed or stuck VPCs, oldest first. Acknowledge what you are looking at, assign it, and export the redacted support bundle for the vendor."
      />
      {queue.isPending ? (
        <LoadingRows />
      ) : queue.error ? (
        <ErrorState error={queue.error} onRetry={() => void queue.refetch()} />
      ) : queue.data.total === 0 ? (
        <EmptyState title="The queue is empty" icon={<LifeBuoy className="size-8" />}>
          No VPC is failed or stuck. Failed VPCs land here with their root cause.
        </EmptyState>
      ) : (
        <ServerTable
          caption="Triage queue"
          columns={columns}
          page={queue.data}
          rowKey={(i) => i.vpcId}
          paging={paging}
          defaultSort={{ key: 'since', dir: 'asc' }}
          isFetching={queue.isPlaceholderData}
        />
      )}
    </>
  );
}
