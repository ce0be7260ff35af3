// Dashboard provisioning: VPCs by state (with the drifted and the Synced-but-not-Realized counts), jobs running with progress, and element calls per minute with error rate.
import { NETWORK_STATES } from '@netplane/domain';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { isJobActive, JobProgress } from '../../components/job-progress';
import { Card, Stat } from '../../components/page';
import { StateBadge, toneOf } from '../../components/state-badge';
import { ErrorState, LoadingCards, Skeleton } from '../../components/states';
import { cx } from '../../lib/cx';
import { formatPercent } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { parseConditionFilter, SYNCED_NOT_REALIZED } from '../vpcs/condition-filter';

const WINDOW_MS = 5 * 60_000;
const BAR: Record<string, string> = {
  green: 'bg-emerald-500',
  blue: 'bg-sky-500',
  red: 'bg-red-500',
  grey: 'bg-slate-400',
  amber: 'bg-amber-500',
  dark: 'bg-slate-700 dark:bg-slate-300',
  violet: 'bg-violet-500',
};

export function VpcStates() {
  const trpc = useTRPC();
  // Counts from the lists' totals (one COUNT each on the server), never from a capped page of rows.
  const poll = { refetchInterval: 5000 };
  const vpcs = useQuery(trpc.vpcs.list.queryOptions({ limit: 1 }, poll));
  const drifted = useQuery(
    trpc.vpcs.list.queryOptions({ limit: 1, condition: { type: 'Synced', status: 'False' } }, poll),
  );
  const unrealized = useQuery(
    trpc.vpcs.list.queryOptions({ limit: 1, conditions: parseConditionFilter(SYNCED_NOT_REALIZED) }, poll),
  );
  const byState = useQueries({
    queries: NETWORK_STATES.map((state) =>
      trpc.vpcs.list.queryOptions({ limit: 1, state, includeDestroyed: state === 'Destroy' }, poll),
    ),
  });
  if (vpcs.isPending) return <LoadingCards count={1} />;
  if (vpcs.error) return <ErrorState error={vpcs.error} onRetry={() => void vpcs.refetch()} />;
  const counts = NETWORK_STATES.map((s, i) => ({ state: s, n: byState[i]?.data?.total ?? 0 })).filter(
    (c) => c.n > 0,
  );
  const total = vpcs.data.total;
  const drift = drifted.data?.total ?? 0;
  const notRealized = unrealized.data?.total ?? 0;
  return (
    <Card
      title={`VPCs (${total})`}
      actions={
        <Link to="/vpcs" className="text-sm text-sky-700 underline dark:text-sky-400">
          All VPCs
        </Link>
      }
    >
      {total === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">No VPCs yet.</p>
      ) : (
        <>
          <div
            className="flex h-4 overflow-hidden rounded-full"
            role="img"
            aria-label={counts.map((c) => `${c.n} ${c.state}`).join(', ')}
          >
            {counts.map((c) => (
              <div
                key={c.state}
                className={BAR[toneOf(c.state)]}
                style={{ width: `${(c.n / total) * 100}%` }}
              />
            ))}
          </div>
          <ul className="mt-3 flex flex-wrap gap-3">
            {counts.map((c) => (
              <li key={c.state}>
                <Link to={`/vpcs?state=${c.state}`} className="inline-flex items-center gap-1.5 text-sm">
                  <StateBadge state={c.state} /> <span className="tabular-nums">{c.n}</span>
                </Link>
              </li>
            ))}
          </ul>
          {drift > 0 && (
            <p className="mt-2 text-sm text-amber-800 dark:text-amber-300">
              <Link to="/vpcs?condition=Synced:False" className="underline">
                {drift} VPC{drift === 1 ? '' : 's'} not Synced (drift)
              </Link>
            </p>
          )}
          {notRealized > 0 && (
            <p className="mt-2 text-sm text-amber-800 dark:text-amber-300">
              <Link to={`/vpcs?condition=${encodeURIComponent(SYNCED_NOT_REALIZED)}`} className="underline">
                {notRealized} VPC{notRealized === 1 ? '' : 's'} Implemented and Synced but not Realized
              </Link>
            </p>
          )}
        </>
      )}
    </Card>
  );
}

export function CallRates() {
  const trpc = useTRPC();
  // Counted by the server over every call of the window (a boot storm's minute of thousands of calls included).
  const rates = useQuery(
    trpc.calls.rates.queryOptions({ buckets: 5, bucketSeconds: 60 }, { refetchInterval: 5000 }),
  );
  if (rates.isPending) return <Skeleton className="h-24" />;
  if (rates.error) return <ErrorState error={rates.error} onRetry={() => void rates.refetch()} />;
  // One bar per minute of the window, so a burst or a failure spike shows as a shape.
  const buckets = rates.data.buckets.map((b) => ({ ok: b.ok, failed: b.failed + b.abandoned }));
  const total = rates.data.buckets.reduce((n, b) => n + b.ok + b.failed + b.abandoned + b.inFlight, 0);
  const failed = buckets.reduce((n, b) => n + b.failed, 0);
  const perMinute = total / (WINDOW_MS / 60_000);
  const errorRate = total ? failed / total : 0;
  const peak = Math.max(1, ...buckets.map((b) => b.ok + b.failed));
  return (
    <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
      <Stat label="Calls per minute (5 min)" value={perMinute.toFixed(perMinute < 10 ? 1 : 0)} />
      <Stat
        label="Error rate (5 min)"
        value={formatPercent(errorRate)}
        tone={errorRate > 0.05 ? 'red' : errorRate > 0 ? 'amber' : 'green'}
      />
      <div className="col-span-2 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900">
        <p className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">
          Calls per minute, last 5 minutes
        </p>
        <div
          className="mt-2 flex h-12 items-end gap-2"
          role="img"
          aria-label={buckets.map((b, i) => `minute ${i + 1}: ${b.ok} ok, ${b.failed} failed`).join('; ')}
        >
          {buckets.map((b, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the minute index is the identity
            <div key={i} className="flex flex-1 flex-col justify-end" style={{ height: '100%' }}>
              <div className="bg-red-500" style={{ height: `${(b.failed / peak) * 100}%` }} />
              <div
                className={cx('bg-emerald-500', b.ok + b.failed === 0 && 'h-px bg-slate-300')}
                style={b.ok ? { height: `${(b.ok / peak) * 100}%` } : undefined}
              />
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

export function RunningJobs() {
  const trpc = useTRPC();
  const jobs = useQuery(
    trpc.jobs.list.queryOptions(
      { limit: 50 },
      { refetchInterval: (q) => (q.state.data?.items.some(isJobActive) ? 1500 : 5000) },
    ),
  );
  const active = jobs.data?.items.filter(isJobActive) ?? [];
  return (
    <Card
      title={`Jobs running (${active.length})`}
      actions={
        <Link to="/jobs" className="text-sm text-sky-700 underline dark:text-sky-400">
          All jobs
        </Link>
      }
    >
      {jobs.isPending ? (
        <Skeleton className="h-16" />
      ) : jobs.error ? (
        <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} />
      ) : active.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">Nothing running.</p>
      ) : (
        <ul className="space-y-3">
          {active.slice(0, 6).map((j) => (
            <li key={j.id}>
              <JobProgress job={j} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
