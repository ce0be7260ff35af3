// Diagnostics: every resource in Error with its diagnosis, root causes first, and the work that is stuck.
import { useQuery } from '@tanstack/react-query';
import { HeartPulse } from 'lucide-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page';
import { StateBadge } from '../../components/state-badge';
import { EmptyState, ErrorState, LoadingRows } from '../../components/states';
import { type Column, Table } from '../../components/table';
import type { Outputs } from '../../lib/api-types';
import { formatAgo } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { DiagnosisCard } from './diagnosis-card';

type Stuck = Outputs['diagnostics']['stuck'][number];
type Diagnosis = Outputs['diagnostics']['list']['items'][number];

/** The diagnoses about one target (as the root cause or among what it caused), or all. */
const shown = (all: Diagnosis[], target: string | null) =>
  target ? all.filter((d) => d.targetId === target || d.caused.some((c) => c.targetId === target)) : all;

export function DiagnosticsPage() {
  const trpc = useTRPC();
  const [isOpenOnly, setOpenOnly] = useState(true);
  // ?target=<id>: the diagnosis of one resource (a rule's "Diagnosis and fix" link lands here).
  const [params, setParams] = useSearchParams();
  const target = params.get('target');
  const diagnoses = useQuery(
    trpc.diagnostics.list.queryOptions({ openOnly: isOpenOnly, limit: 200 }, { refetchInterval: 5000 }),
  );
  const stuck = useQuery(trpc.diagnostics.stuck.queryOptions({}, { refetchInterval: 5000 }));

  const stuckColumns: Column<Stuck>[] = [
    { key: 'kind', header: 'What', sortValue: (s) => s.kind, render: (s) => `${s.kind} ${s.id.slice(0, 8)}` },
    {
      key: 'state',
      header: 'State',
      sortValue: (s) => s.state,
      render: (s) => <StateBadge state={s.state} />,
    },
    { key: 'since', header: 'Since', sortValue: (s) => s.since, render: (s) => formatAgo(s.since) },
    {
      key: 'deadline',
      header: 'Deadline',
      sortValue: (s) => s.deadline,
      render: (s) => formatAgo(s.deadline),
    },
    { key: 'reason', header: 'Why it is flagged', render: (s) => s.reason },
    {
      key: 'vpc',
      header: 'VPC',
      render: (s) =>
        s.vpcId ? (
          <Link to={`/vpcs/${s.vpcId}`} className="text-sky-700 underline dark:text-sky-400">
            Open
          </Link>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Diagnostics"
        description="Every Resource State: Error with its cause in plain words, the evidence, and what to do. The first failure is the diagnosis; what it caused is nested under it."
        actions={
          <label className="inline-flex items-center gap-2 text-sm">
            <input type="checkbox" checked={!isOpenOnly} onChange={(e) => setOpenOnly(!e.target.checked)} />
            Show resolved too
          </label>
        }
      />
      <section aria-labelledby="diag-open" className="space-y-4">
        <h2 id="diag-open" className="sr-only">
          Diagnoses
        </h2>
        {diagnoses.isPending ? (
          <LoadingRows rows={3} />
        ) : diagnoses.error ? (
          <ErrorState error={diagnoses.error} onRetry={() => void diagnoses.refetch()} />
        ) : (
          <>
            {target && (
              <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
                Showing the diagnosis of one resource.
                <button
                  type="button"
                  onClick={() => setParams({})}
                  className="text-sky-700 underline dark:text-sky-400"
                >
                  Show all diagnoses
                </button>
              </p>
            )}
            {shown(diagnoses.data.items, target).length === 0 ? (
              <EmptyState title="Nothing is in Error" icon={<HeartPulse className="size-8" />}>
                {target
                  ? 'This resource has no open diagnosis: it was fixed, or it is being retried.'
                  : 'When a network, NIC, rule or job fails, its diagnosis appears here with the evidence and the fix.'}
              </EmptyState>
            ) : (
              shown(diagnoses.data.items, target).map((d) => <DiagnosisCard key={d.id} view={d} />)
            )}
          </>
        )}
      </section>
      <section aria-labelledby="diag-stuck" className="mt-8">
        <h2 id="diag-stuck" className="mb-3 text-base font-semibold">
          Stuck work
        </h2>
        {stuck.isPending ? (
          <LoadingRows rows={2} />
        ) : stuck.error ? (
          <ErrorState error={stuck.error} onRetry={() => void stuck.refetch()} />
        ) : stuck.data.length === 0 ? (
          <p className="text-sm text-slate-500 dark:text-slate-400">
            No job or resource is past its deadline.
          </p>
        ) : (
          <Table
            caption="Stuck work"
            columns={stuckColumns}
            rows={stuck.data}
            rowKey={(s) => `${s.kind}-${s.id}`}
            initialSort={{ key: 'since', direction: 'ascending' }}
          />
        )}
      </section>
    </>
  );
}
