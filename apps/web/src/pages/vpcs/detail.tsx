// One VPC: state and conditions, tiers with their NICs, network ACL lists, public IPs (static NAT) and load balancers, a live timeline of element calls, negotiation, jobs, history.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, Download, RefreshCw, Trash2, Wrench } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { Button } from '../../components/button';
import { ConditionPills } from '../../components/condition-pills';
import { isJobActive, JobProgress } from '../../components/job-progress';
import { Card } from '../../components/page';
import { StateBadge } from '../../components/state-badge';
import { ErrorState, LoadingCards } from '../../components/states';
import { useToast } from '../../components/toasts';
import { useCan } from '../../lib/can';
import { formatTime } from '../../lib/format';
import { isJobEnded, useJobStreams, withJob } from '../../lib/job-stream';
import { useTRPC } from '../../lib/trpc';
import { downloadBundle } from './bundle';
import { ConnectivitySection } from './connectivity/section';
import { CreateTierForm } from './create-tier-form';
import { LoadBalancersSection } from './load-balancers';
import { NetworkAclsSection } from './network-acls';
import { PortForwardingSection } from './port-forwarding';
import { PublicIpsSection } from './public-ips';
import { TierCard } from './tier-card';
import { VpcAddressesSection } from './vpc-addresses';
import { VpcCalls } from './vpc-calls';

const TRANSITIONAL = new Set(['Implementing', 'Reserving', 'Releasing', 'Deallocating']);

export function VpcDetailPage() {
  const { id = '' } = useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const canProvision = useCan('provision');
  const canSupport = useCan('diagnostics.act');
  const isStreamLive = useRef(false);
  const vpc = useQuery(
    trpc.vpcs.get.queryOptions(
      { id },
      {
        // Jobs are pushed over jobs.watch; while work is in flight and that stream is down, poll at 1.5 s.
        // Otherwise a slow 5 s heartbeat.
        refetchInterval: (q) => {
          const d = q.state.data;
          const isBusy =
            d && (d.recentJobs.some(isJobActive) || d.tiers.some((t) => TRANSITIONAL.has(t.state)));
          return isBusy && !isStreamLive.current ? 1500 : 5000;
        },
      },
    ),
  );
  const stream = useJobStreams(vpc.data?.recentJobs.filter(isJobActive).map((j) => j.id) ?? [], (job) => {
    queryClient.setQueryData(trpc.vpcs.get.queryKey({ id }), (old) =>
      old ? { ...old, recentJobs: withJob(old.recentJobs, job) ?? old.recentJobs } : old,
    );
    // A job's end changes tiers, NICs, rules and calls: everything on the page asks again, once.
    if (isJobEnded(job)) void queryClient.invalidateQueries();
  });
  isStreamLive.current = stream.isLive;
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.vpcs.get.queryKey({ id }) });
  const onJob = (what: string) => ({
    onSuccess: () => {
      toast.success(`${what} started`);
      refresh();
    },
    onError: (e: unknown) => toast.error(e),
  });
  const reconcile = useMutation(trpc.vpcs.reconcile.mutationOptions(onJob('Reconcile')));
  const repair = useMutation(trpc.vpcs.repair.mutationOptions(onJob('Repair')));
  const destroy = useMutation(trpc.vpcs.destroy.mutationOptions(onJob('Destroy')));
  // A link to a section (#load-balancers, from a connectivity check) scrolls to it once the page is there; a link to
  // an ACL rule (?rule=) is scrolled to by the ACL editor itself, at the rule.
  const { hash, search } = useLocation();
  const isLoaded = vpc.data !== undefined;
  useEffect(() => {
    if (!isLoaded || !hash || new URLSearchParams(search).has('rule')) return;
    document.getElementById(decodeURIComponent(hash.slice(1)))?.scrollIntoView({ block: 'start' });
  }, [hash, search, isLoaded]);

  if (vpc.isPending) return <LoadingCards />;
  if (vpc.error) return <ErrorState error={vpc.error} onRetry={() => void vpc.refetch()} />;
  const v = vpc.data;
  const isBusy = v.recentJobs.some(isJobActive);
  const jobsById = new Map(v.recentJobs.map((j) => [j.id, j]));

  return (
    <>
      <Link
        to="/vpcs"
        className="mb-3 inline-flex items-center gap-1 text-sm text-sky-700 underline dark:text-sky-400"
      >
        <ArrowLeft aria-hidden className="size-4" /> VPCs
      </Link>
      <header className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-2">
          <h1 className="flex flex-wrap items-center gap-2 text-xl font-semibold tracking-tight">
            {v.name} <StateBadge state={v.state} />
          </h1>
          <ConditionPills conditions={v.conditions} />
          <p className="text-sm text-slate-600 dark:text-slate-300">
            <span className="font-mono">{v.cidr}</span> · created by {v.createdBy} {formatTime(v.createdAt)}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {canProvision && (
            <>
              <Button
                onClick={() => reconcile.mutate({ id })}
                isBusy={reconcile.isPending}
                icon={<RefreshCw aria-hidden className="size-4" />}
              >
                Reconcile
              </Button>
              <Button
                onClick={() => repair.mutate({ id })}
                isBusy={repair.isPending}
                icon={<Wrench aria-hidden className="size-4" />}
              >
                Repair drift
              </Button>
              <Button
                variant="danger"
                isBusy={destroy.isPending}
                disabled={v.state === 'Destroy'}
                onClick={() => {
                  if (window.confirm(`Destroy VPC ${v.name} and all its tiers?`)) destroy.mutate({ id });
                }}
                icon={<Trash2 aria-hidden className="size-4" />}
              >
                Destroy
              </Button>
            </>
          )}
          {canSupport && (
            <Button
              variant="ghost"
              onClick={() => void downloadBundle(queryClient, trpc, v.id, v.name, toast)}
              icon={<Download aria-hidden className="size-4" />}
            >
              Support bundle
            </Button>
          )}
        </div>
      </header>
      <div className="space-y-6">
        <section aria-labelledby="tiers-h" className="space-y-3">
          <h2 id="tiers-h" className="text-base font-semibold">
            Tiers ({v.tiers.length})
          </h2>
          {v.tiers.length === 0 && (
            <p className="text-sm text-slate-500 dark:text-slate-400">No tiers yet.</p>
          )}
          {v.tiers.map((t) => (
            <TierCard key={t.id} tier={t} onChanged={refresh} />
          ))}
          {canProvision && v.state !== 'Destroy' && (
            <CreateTierForm vpcId={v.id} zoneId={v.zoneId} onCreated={refresh} />
          )}
        </section>
        <ConnectivitySection vpc={v} />
        <NetworkAclsSection vpc={v} onChanged={refresh} />
        <VpcAddressesSection vpc={v} />
        <PublicIpsSection vpc={v} jobs={jobsById} onChanged={refresh} />
        <PortForwardingSection vpc={v} jobs={jobsById} onChanged={refresh} />
        <LoadBalancersSection vpc={v} jobs={jobsById} onChanged={refresh} />
        <VpcCalls vpcId={v.id} isLive={isBusy} />
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title={stream.isLive ? 'Recent jobs (live)' : 'Recent jobs'}>
            {v.recentJobs.length === 0 ? (
              <p className="text-sm text-slate-500 dark:text-slate-400">No jobs yet.</p>
            ) : (
              <ul className="space-y-3">
                {v.recentJobs.map((j) => (
                  <li key={j.id}>
                    <JobProgress job={j} />
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card title="State history">
            {v.transitions.length === 0 ? (
              <p className="text-sm text-slate-500 dark:text-slate-400">No transitions yet.</p>
            ) : (
              <ol className="space-y-1.5 text-sm" aria-label="Latest state changes, newest first">
                {[...v.transitions]
                  .reverse()
                  .slice(0, 30)
                  .map((t) => (
                    <li key={t.id} className="flex flex-wrap items-center gap-1.5">
                      <span className="w-40 shrink-0 text-xs text-slate-500 dark:text-slate-400">
                        {formatTime(t.at)}
                      </span>
                      <span className="text-xs">{t.entityType}</span>
                      <StateBadge state={t.from} /> → <StateBadge state={t.to} />
                      <span className="text-xs text-slate-600 dark:text-slate-300">
                        {t.actor}: {t.reason}
                      </span>
                    </li>
                  ))}
              </ol>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
