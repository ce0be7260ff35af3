// Jobs: every durable job with its progress, live (pushed over jobs.watch, 1.5 s polling when the stream is down);
// cancel, retry, and the steps.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ListChecks, RotateCcw, Square } from 'lucide-react';
import { useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button } from '../components/button';
import { Dialog } from '../components/dialog';
import { FilterSelect } from '../components/field';
import { isJobActive, JobProgress } from '../components/job-progress';
import { PageHeader } from '../components/page';
import { type ServerColumn, ServerTable } from '../components/server-table';
import { StateBadge } from '../components/state-badge';
import { EmptyState, ErrorState, LoadingRows } from '../components/states';
import { useToast } from '../components/toasts';
import type { Outputs } from '../lib/api-types';
import { useCan } from '../lib/can';
import { formatTime } from '../lib/format';
import { isJobEnded, useJobStreams, withJobInPage } from '../lib/job-stream';
import { useServerPaging } from '../lib/server-paging';
import { useTRPC } from '../lib/trpc';

type Job = Outputs['jobs']['list']['items'][number];
const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
const SORTS = ['createdAt', 'updatedAt', 'kind', 'state'] as const;
const DEFAULT_SORT = { sort: 'createdAt', dir: 'desc' } as const;

export function JobsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const canProvision = useCan('provision');
  const canRetry = useCan('diagnostics.act');
  const [params] = useSearchParams();
  const paging = useServerPaging(SORTS, DEFAULT_SORT);
  const setFilter = paging.setFilter;
  const [openId, setOpenId] = useState<string | null>(null);
  const state = (params.get('state') ?? '') as (typeof JOB_STATES)[number] | '';
  const isStuckOnly = params.get('stuck') === '1';
  const isStreamLive = useRef(false);
  const jobs = useQuery(
    trpc.jobs.list.queryOptions(
      { ...(state ? { state } : {}), ...(isStuckOnly ? { stuck: true } : {}), ...paging.input },
      // Running jobs are pushed over jobs.watch; polling at 1.5 s only while that stream is down.
      {
        placeholderData: keepPreviousData,
        refetchInterval: (q) =>
          q.state.data?.items.some(isJobActive) && !isStreamLive.current ? 1500 : 5000,
      },
    ),
  );
  const stream = useJobStreams(jobs.data?.items.filter(isJobActive).map((j) => j.id) ?? [], (job) => {
    queryClient.setQueriesData<{ items: Job[]; nextCursor: string | null; total: number }>(
      { queryKey: trpc.jobs.list.queryKey() },
      (old) => withJobInPage(old, job),
    );
    if (isJobEnded(job)) void queryClient.invalidateQueries({ queryKey: trpc.jobs.pathKey() });
  });
  isStreamLive.current = stream.isLive;
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.jobs.list.queryKey() });
  const cancel = useMutation(
    trpc.jobs.cancel.mutationOptions({
      onSuccess: (r) => {
        toast.success(
          r.outcome === 'requested' ? 'Cancel requested; the job stops at its next step' : `Job ${r.outcome}`,
        );
        refresh();
      },
      onError: (e) => toast.error(e),
    }),
  );
  const retry = useMutation(
    trpc.jobs.retry.mutationOptions({
      onSuccess: () => {
        toast.success('Retry queued');
        refresh();
      },
      onError: (e) => toast.error(e),
    }),
  );

  const columns: ServerColumn<Job, (typeof SORTS)[number]>[] = [
    { key: 'job', header: 'Job', sortKey: 'kind', render: (j) => <JobProgress job={j} /> },
    { key: 'state', header: 'State', sortKey: 'state', render: (j) => <StateBadge state={j.state} /> },
    {
      key: 'target',
      header: 'Target',
      render: (j) => (
        <span className="text-xs">
          {j.targetType} <span className="font-mono">{j.targetId.slice(0, 8)}</span>
          {j.vpcId && (
            <>
              {' · '}
              <Link to={`/vpcs/${j.vpcId}`} className="text-sky-700 underline dark:text-sky-400">
                VPC
              </Link>
            </>
          )}
        </span>
      ),
    },
    {
      key: 'created',
      header: 'Created',
      sortKey: 'createdAt',
      render: (j) => <span className="whitespace-nowrap text-xs">{formatTime(j.createdAt)}</span>,
    },
    {
      key: 'actions',
      header: 'Actions',
      render: (j) => (
        <div className="flex flex-wrap gap-1">
          <Button size="sm" variant="ghost" onClick={() => setOpenId(j.id)}>
            Steps
          </Button>
          {canProvision && isJobActive(j) && !j.cancelRequested && (
            <Button
              size="sm"
              variant="ghost"
              onClick={() => cancel.mutate({ id: j.id })}
              icon={<Square aria-hidden className="size-3.5" />}
            >
              Cancel
            </Button>
          )}
          {canRetry && (j.state === 'failed' || j.state === 'cancelled') && (
            <Button
              size="sm"
              onClick={() => retry.mutate({ jobId: j.id })}
              icon={<RotateCcw aria-hidden className="size-3.5" />}
            >
              Retry
            </Button>
          )}
        </div>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Jobs"
        description="Every action that touches a controller is a durable job with steps; progress updates live while jobs run."
      />
      <search className="mb-4 flex flex-wrap items-center gap-4" aria-label="Filter jobs">
        <FilterSelect
          label="State"
          value={state}
          onChange={(v) => setFilter('state', v)}
          options={JOB_STATES}
        />
        <label className="inline-flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={isStuckOnly}
            onChange={(e) => setFilter('stuck', e.target.checked ? '1' : '')}
          />
          Stuck only
        </label>
      </search>
      {jobs.isPending ? (
        <LoadingRows />
      ) : jobs.error ? (
        <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} />
      ) : jobs.data.total === 0 ? (
        <EmptyState
          title={state || isStuckOnly ? 'No job matches these filters' : 'No jobs yet'}
          icon={<ListChecks className="size-8" />}
        >
          Implementing a tier, preparing NICs or destroying a VPC each run as a job here.
        </EmptyState>
      ) : (
        <ServerTable
          caption="Jobs"
          columns={columns}
          page={jobs.data}
          rowKey={(j) => j.id}
          paging={paging}
          defaultSort={{ key: DEFAULT_SORT.sort, dir: DEFAULT_SORT.dir }}
          isFetching={jobs.isPlaceholderData}
        />
      )}
      <JobStepsDialog jobId={openId} onClose={() => setOpenId(null)} />
    </>
  );
}

function JobStepsDialog({ jobId, onClose }: { jobId: string | null; onClose: () => void }) {
  const trpc = useTRPC();
  const job = useQuery(
    trpc.jobs.get.queryOptions(
      { id: jobId ?? '' },
      {
        enabled: jobId !== null,
        refetchInterval: (q) => (q.state.data && isJobActive(q.state.data) ? 1500 : false),
      },
    ),
  );
  return (
    <Dialog
      isOpen={jobId !== null}
      onClose={onClose}
      title={job.data ? `Job ${job.data.kind}` : 'Job'}
      size="lg"
    >
      {job.isPending ? (
        <LoadingRows rows={3} />
      ) : job.error ? (
        <ErrorState error={job.error} />
      ) : (
        <div className="space-y-4">
          <JobProgress job={job.data} />
          <p className="text-xs text-slate-500 dark:text-slate-400">
            Lease {job.data.leaseOwner ?? 'none'} · fencing token {job.data.fencingToken} · deadline{' '}
            {formatTime(job.data.deadlineAt)}
          </p>
          {job.data.steps.length === 0 ? (
            <p className="text-sm text-slate-500 dark:text-slate-400">No step recorded yet.</p>
          ) : (
            <ol className="space-y-1 text-sm">
              {job.data.steps.map((s) => (
                <li key={s.key} className="flex flex-wrap items-center gap-2">
                  <span className="w-6 text-right text-xs tabular-nums text-slate-500">{s.seq}</span>
                  <StateBadge state={s.state} />
                  <span className="font-mono text-xs">{s.key}</span>
                  <span className="text-xs text-slate-500 dark:text-slate-400">
                    {formatTime(s.at)} on {s.nodeId}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </Dialog>
  );
}
