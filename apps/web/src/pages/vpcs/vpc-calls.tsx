// The VPC's element calls: a timeline picture (live while jobs run), the failed calls listed with their errors, and
// the calls with no known end (in flight, or abandoned by a node that died) listed with what that means.
import { useQuery } from '@tanstack/react-query';
import { CallTimeline } from '../../components/call-timeline';
import { Card } from '../../components/page';
import { ErrorState, Skeleton } from '../../components/states';
import { type Column, Table } from '../../components/table';
import type { Outputs } from '../../lib/api-types';
import { isUnfinished, outcomeLook } from '../../lib/call-outcomes';
import { formatDuration, formatTime } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';

type Call = Outputs['calls']['byVpc']['items'][number];

// Rule calls (phases apply / revoke) name what they apply: a static NAT or an LB rule.
const RULE_WORD: Record<string, string> = { staticNat: 'static NAT', lbRule: 'LB rule' };
export const phaseLabel = (c: { phase: string; targetType: string }) =>
  RULE_WORD[c.targetType] ? `${c.phase} ${RULE_WORD[c.targetType]}` : c.phase;

export function VpcCalls({ vpcId, isLive }: { vpcId: string; isLive: boolean }) {
  const trpc = useTRPC();
  const calls = useQuery(
    trpc.calls.byVpc.queryOptions({ vpcId, limit: 200 }, { refetchInterval: isLive ? 1500 : 10_000 }),
  );
  const controllers = useQuery(trpc.controllers.list.queryOptions({}));
  const controllerName = (id: string) => controllers.data?.find((c) => c.id === id)?.name ?? id.slice(0, 8);
  const data = calls.data?.items ?? [];
  const failed = data.filter((c) => c.outcome === 'failed');
  const unfinished = data.filter((c) => isUnfinished(c.outcome));
  const columns: Column<Call>[] = [
    { key: 'at', header: 'Started', sortValue: (c) => c.startedAt, render: (c) => formatTime(c.startedAt) },
    {
      key: 'phase',
      header: 'Phase',
      sortValue: (c) => c.phase,
      render: (c) => `${phaseLabel(c)}${c.purpose === 'rollback' ? ' (rollback)' : ''}`,
    },
    {
      key: 'element',
      header: 'Element',
      render: (c) => `${c.adapterId} · ${controllerName(c.controllerId)}`,
    },
    { key: 'attempt', header: 'Attempt', sortValue: (c) => c.attempt, render: (c) => c.attempt },
    {
      key: 'duration',
      header: 'Duration',
      sortValue: (c) => c.durationMs,
      render: (c) => formatDuration(c.durationMs),
    },
    {
      key: 'error',
      header: 'Error',
      render: (c) => (
        <span className="text-xs">
          <strong>{c.errorCategory}</strong>{' '}
          {c.vendorCode && <span className="font-mono">[{c.vendorCode}]</span>}{' '}
          {c.vendorMessage ?? c.errorMessage}
        </span>
      ),
    },
  ];
  const unfinishedColumns: Column<Call>[] = [
    ...columns.slice(0, 3),
    {
      key: 'outcome',
      header: 'Outcome',
      sortValue: (c) => c.outcome,
      render: (c) => {
        const look = outcomeLook(c.outcome);
        return (
          <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${look.badge}`} title={look.meaning}>
            {look.label}
          </span>
        );
      },
    },
    {
      key: 'why',
      header: 'What it means',
      render: (c) => <span className="text-xs">{c.errorMessage ?? outcomeLook(c.outcome).meaning}</span>,
    },
  ];
  return (
    <Card title={`Element calls (${data.length}${isLive ? ', live' : ''})`}>
      {calls.isPending ? (
        <Skeleton className="h-32 w-full" />
      ) : calls.error ? (
        <ErrorState error={calls.error} onRetry={() => void calls.refetch()} />
      ) : (
        <div className="space-y-4">
          <CallTimeline
            calls={data.map((c) => ({
              id: c.id,
              phase: c.batchSize > 1 ? `${phaseLabel(c)} ×${c.batchSize}` : phaseLabel(c),
              element: c.adapterId,
              controller: controllerName(c.controllerId),
              attempt: c.attempt,
              startedAt: c.startedAt,
              durationMs: c.durationMs,
              outcome: c.errorCategory === 'TIMEOUT' ? 'timeout' : c.outcome,
              errorCategory: c.errorCategory,
              purpose: c.purpose,
            }))}
          />
          {unfinished.length > 0 && (
            <div>
              <h3 className="mb-2 text-sm font-semibold text-slate-800 dark:text-slate-200">
                In flight or abandoned ({unfinished.length})
              </h3>
              <Table
                caption="Element calls in flight or abandoned"
                columns={unfinishedColumns}
                rows={unfinished}
                rowKey={(c) => c.id}
                pageSize={10}
                initialSort={{ key: 'at', direction: 'ascending' }}
              />
            </div>
          )}
          {failed.length > 0 && (
            <div>
              <h3 className="mb-2 text-sm font-semibold text-red-700 dark:text-red-400">
                Failed calls ({failed.length})
              </h3>
              <Table
                caption="Failed element calls"
                columns={columns}
                rows={failed}
                rowKey={(c) => c.id}
                pageSize={10}
                initialSort={{ key: 'at', direction: 'ascending' }}
              />
            </div>
          )}
        </div>
      )}
    </Card>
  );
}
