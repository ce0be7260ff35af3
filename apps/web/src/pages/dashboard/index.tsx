// Dashboard: what needs attention first (failures, unhealthy controllers), then the state of the fleet.
import { useQuery } from '@tanstack/react-query';
import { CheckCircle2, CircleAlert, ServerCrash } from 'lucide-react';
import { Link } from 'react-router';
import { Card, PageHeader, Stat } from '../../components/page';
import { StateBadge } from '../../components/state-badge';
import { ErrorState, LoadingCards, LoadingRows } from '../../components/states';
import { formatAgo } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { CategoryBadge } from '../diagnostics/diagnosis-card';
import { GettingStarted } from './getting-started';
import { CallRates, RunningJobs, VpcStates } from './provisioning';

export function DashboardPage() {
  return (
    <>
      <PageHeader title="Dashboard" description="What needs attention first, then the state of the fleet." />
      <div className="space-y-6">
        <GettingStarted />
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
          <FailingNow />
          <VpcStates />
        </div>
        <CallRates />
        <ControllerHealth />
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
          <RunningJobs />
          <InventoryCounts />
        </div>
      </div>
    </>
  );
}

function FailingNow() {
  const trpc = useTRPC();
  const diagnoses = useQuery(
    trpc.diagnostics.list.queryOptions({ openOnly: true, limit: 50 }, { refetchInterval: 5000 }),
  );
  const failedJobs = useQuery(
    trpc.jobs.list.queryOptions({ state: 'failed', limit: 5 }, { refetchInterval: 5000 }),
  );
  return (
    <Card
      title="Failing now"
      actions={
        <Link to="/diagnostics" className="text-sm text-sky-700 underline dark:text-sky-400">
          All diagnostics
        </Link>
      }
    >
      {diagnoses.isPending ? (
        <LoadingRows rows={3} />
      ) : diagnoses.error ? (
        <ErrorState error={diagnoses.error} onRetry={() => void diagnoses.refetch()} />
      ) : diagnoses.data.total === 0 ? (
        <p className="flex items-center gap-2 text-sm text-emerald-700 dark:text-emerald-400">
          <CheckCircle2 aria-hidden className="size-4" /> Nothing is in Error.
        </p>
      ) : (
        <ul className="space-y-2">
          {diagnoses.data.items.slice(0, 6).map((d) => (
            <li key={d.id} className="flex items-start gap-2 text-sm">
              <CircleAlert aria-hidden className="mt-0.5 size-4 shrink-0 text-red-600" />
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-center gap-1.5">
                  {d.vpcId ? (
                    <Link to={`/vpcs/${d.vpcId}`} className="font-medium underline">
                      {d.title}
                    </Link>
                  ) : (
                    <span className="font-medium">{d.title}</span>
                  )}
                  <CategoryBadge category={d.category} />
                  {d.caused.length > 0 && (
                    <span className="text-xs text-slate-500 dark:text-slate-400">
                      +{d.caused.length} caused
                    </span>
                  )}
                </div>
                <p className="truncate text-xs text-slate-600 dark:text-slate-300">{d.sentence}</p>
              </div>
              <span className="shrink-0 text-xs text-slate-500 dark:text-slate-400">
                {formatAgo(d.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {failedJobs.data && failedJobs.data.items.length > 0 && (
        <div className="mt-4 border-t border-slate-200 pt-3 dark:border-slate-700">
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
            Recently failed jobs
          </h3>
          <ul className="space-y-1.5 text-sm">
            {failedJobs.data.items.map((j) => (
              <li key={j.id} className="flex items-start gap-2">
                <span className="shrink-0 font-mono text-xs">{j.kind}</span>
                <span
                  className="min-w-0 flex-1 truncate text-xs text-red-700 dark:text-red-400"
                  title={j.error?.message}
                >
                  {j.error?.message ?? 'failed'}
                </span>
                {j.vpcId && (
                  <Link
                    to={`/vpcs/${j.vpcId}`}
                    className="shrink-0 text-xs text-sky-700 underline dark:text-sky-400"
                  >
                    VPC
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}

function ControllerHealth() {
  const trpc = useTRPC();
  const controllers = useQuery(trpc.controllers.list.queryOptions({}, { refetchInterval: 10_000 }));
  if (controllers.isPending) return <LoadingCards />;
  if (controllers.error)
    return <ErrorState error={controllers.error} onRetry={() => void controllers.refetch()} />;
  const all = controllers.data;
  const failing = all.filter(
    (c) => c.health.ok === false || c.resourceState === 'Error' || c.resourceState === 'Degraded',
  );
  const healthy = all.filter((c) => c.health.ok === true).length;
  const latencies = all.flatMap((c) => (c.health.latencyMs === null ? [] : [c.health.latencyMs]));
  const avgLatency = latencies.length
    ? Math.round(latencies.reduce((a, b) => a + b, 0) / latencies.length)
    : null;
  return (
    <section aria-labelledby="dash-controllers" className="space-y-3">
      <h2
        id="dash-controllers"
        className="text-sm font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400"
      >
        Controllers
      </h2>
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label="Controllers" value={all.length} />
        <Stat
          label="Healthy"
          value={healthy}
          tone={healthy === all.length && all.length > 0 ? 'green' : undefined}
        />
        <Stat label="Failing or degraded" value={failing.length} tone={failing.length ? 'red' : 'green'} />
        <Stat label="Average latency" value={avgLatency === null ? '—' : `${avgLatency} ms`} />
      </div>
      {failing.length > 0 && (
        <ul className="space-y-1 rounded-lg border border-red-200 bg-red-50 p-3 text-sm dark:border-red-900 dark:bg-red-950/40">
          {failing.map((c) => (
            <li key={c.id} className="flex flex-wrap items-center gap-2">
              <ServerCrash aria-hidden className="size-4 text-red-600" />
              <span className="font-medium">{c.name}</span> <StateBadge state={c.resourceState} />
              <span className="text-xs text-red-800 dark:text-red-200">
                {c.health.lastError ?? 'health check failing'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function InventoryCounts() {
  const trpc = useTRPC();
  const zones = useQuery(trpc.zones.list.queryOptions());
  const pns = useQuery(trpc.physicalNetworks.list.queryOptions({}));
  const providers = useQuery(trpc.providers.list.queryOptions({}));
  const offerings = useQuery(trpc.offerings.list.queryOptions({}));
  const count = (q: { data?: unknown[] | undefined; isPending: boolean }) =>
    q.isPending ? '…' : (q.data?.length ?? '—');
  const enabledProviders = providers.data?.filter((p) => p.state === 'Enabled').length;
  return (
    <Card
      title="Inventory"
      actions={
        <Link to="/infrastructure" className="text-sm text-sky-700 underline dark:text-sky-400">
          Infrastructure
        </Link>
      }
    >
      <dl className="grid grid-cols-2 gap-4">
        <Count label="Zones" value={count(zones)} />
        <Count label="Physical networks" value={count(pns)} />
        <Count
          label="Providers (enabled)"
          value={providers.isPending ? '…' : `${providers.data?.length ?? 0} (${enabledProviders ?? 0})`}
        />
        <Count label="Offerings" value={count(offerings)} />
      </dl>
    </Card>
  );
}

function Count({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums">{value}</dd>
    </div>
  );
}
