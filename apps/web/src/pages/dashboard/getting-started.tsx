// The dashboard's first-run guide: the checklist (zone → physical network → provider → controller → offerings →
// VPC) until the inventory is complete, and the demo (load into an empty inventory, follow its progress, remove it).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CheckCircle2, Circle, Sparkles } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Card } from '../../components/page';
import { ProgressBar } from '../../components/progress-bar';
import { ErrorState, LoadingRows } from '../../components/states';
import { useToast } from '../../components/toasts';
import { useCan } from '../../lib/can';
import { cx } from '../../lib/cx';
import { useTRPC } from '../../lib/trpc';
import { checklist } from './checklist';

export function GettingStarted() {
  const trpc = useTRPC();
  const zones = useQuery(trpc.zones.list.queryOptions());
  const pns = useQuery(trpc.physicalNetworks.list.queryOptions({}));
  const providers = useQuery(trpc.providers.list.queryOptions({}));
  const controllers = useQuery(trpc.controllers.list.queryOptions({}));
  const offerings = useQuery(trpc.offerings.list.queryOptions({}));
  const vpcs = useQuery(trpc.vpcs.list.queryOptions({ limit: 1 }));
  const demo = useQuery(
    trpc.demo.status.queryOptions(undefined, {
      refetchInterval: (q) =>
        q.state.data?.state === 'loading' || q.state.data?.state === 'removing' ? 1000 : false,
    }),
  );
  // The demo makes (or removes) the whole inventory in the background: refresh every view each time its state moves.
  const qc = useQueryClient();
  const lastDemoState = useRef(demo.data?.state);
  useEffect(() => {
    const now = demo.data?.state;
    if (lastDemoState.current !== undefined && now !== lastDemoState.current) void qc.invalidateQueries();
    lastDemoState.current = now;
  }, [demo.data?.state, qc]);
  const queries = [zones, pns, providers, controllers, offerings, vpcs];
  const failed = queries.find((q) => q.error);
  if (failed?.error) return <ErrorState error={failed.error} onRetry={() => void failed.refetch()} />;
  if (queries.some((q) => q.isPending) || demo.isPending) return <LoadingRows rows={3} />;
  const steps = checklist({
    zones: zones.data?.length ?? 0,
    physicalNetworks: pns.data?.length ?? 0,
    enabledProviders: providers.data?.filter((p) => p.state === 'Enabled').length ?? 0,
    controllers: controllers.data?.length ?? 0,
    vpcOfferings: offerings.data?.filter((o) => o.kind === 'vpc').length ?? 0,
    networkOfferings: offerings.data?.filter((o) => o.kind === 'network').length ?? 0,
    vpcs: vpcs.data?.total ?? 0,
  });
  const demoState = demo.data?.state ?? 'none';
  // Once the inventory is complete the guide steps aside; a loaded demo keeps its card (to remove it).
  if (steps.every((s) => s.done) && demoState === 'none') return null;
  const doneCount = steps.filter((s) => s.done).length;
  return (
    <Card
      title="Getting started"
      actions={
        <span className="text-xs text-slate-500">
          {doneCount} of {steps.length} done
        </span>
      }
    >
      <div className={cx('grid grid-cols-1 gap-6', steps.some((s) => !s.done) && 'lg:grid-cols-2')}>
        {steps.some((s) => !s.done) ? (
          <ol className="space-y-2" aria-label="Steps to a first VPC">
            {steps.map((s) => (
              <li key={s.id} className={cx('flex items-start gap-2 text-sm', s.next && 'font-medium')}>
                {s.done ? (
                  <CheckCircle2 aria-hidden className="mt-0.5 size-4 shrink-0 text-emerald-600" />
                ) : (
                  <Circle
                    aria-hidden
                    className={cx('mt-0.5 size-4 shrink-0', s.next ? 'text-sky-600' : 'text-slate-400')}
                  />
                )}
                <div>
                  <Link to={s.to} className={cx('underline', s.done && 'text-slate-500 line-through')}>
                    {s.title}
                  </Link>
                  <span className="sr-only">{s.done ? ' (done)' : s.next ? ' (next)' : ''}</span>
                  {!s.done && (
                    <p className="text-xs font-normal text-slate-600 dark:text-slate-300">{s.hint}</p>
                  )}
                </div>
              </li>
            ))}
          </ol>
        ) : (
          <p className="flex items-center gap-2 text-sm text-emerald-700 dark:text-emerald-400">
            <CheckCircle2 aria-hidden className="size-4" /> The inventory is complete.
          </p>
        )}
        {demo.data && <DemoPanel status={demo.data} />}
      </div>
    </Card>
  );
}

type DemoStatus = {
  state: 'none' | 'loading' | 'loaded' | 'removing' | 'failed';
  step: string;
  done: number;
  total: number;
  error: string | null;
  healthyVpcId: string | null;
  failingVpcId: string | null;
  whyNotLoadable: string | null;
};

function DemoPanel({ status }: { status: DemoStatus }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const canEdit = useCan('inventory.edit');
  const [confirming, setConfirming] = useState(false);
  const refresh = () => void qc.invalidateQueries();
  const load = useMutation(
    trpc.demo.load.mutationOptions({ onSuccess: refresh, onError: (e) => toast.error(e) }),
  );
  const remove = useMutation(
    trpc.demo.remove.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        refresh();
      },
      onError: (e) => toast.error(e),
    }),
  );
  const busy = status.state === 'loading' || status.state === 'removing';
  return (
    <section
      aria-labelledby="demo-title"
      className="rounded-md border border-sky-200 bg-sky-50 p-3 dark:border-sky-900 dark:bg-sky-950/40"
    >
      <h3 id="demo-title" className="flex items-center gap-2 text-sm font-semibold">
        <Sparkles aria-hidden className="size-4 text-sky-600" /> Demo
      </h3>
      {status.state === 'none' && (
        <>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-200">
            A simulated zone with a working VPC (two tiers, NICs, a static NAT and a load balancer) and a
            failing one with its diagnosis, so every page has something to show. Removing it removes
            everything it made.
          </p>
          {canEdit && !status.whyNotLoadable && (
            <Button variant="primary" className="mt-2" isBusy={load.isPending} onClick={() => load.mutate()}>
              Load the demo
            </Button>
          )}
          {status.whyNotLoadable && (
            <p className="mt-2 text-xs text-slate-600 dark:text-slate-300">{status.whyNotLoadable}</p>
          )}
        </>
      )}
      {busy && (
        <div className="mt-2 space-y-1" aria-live="polite">
          <ProgressBar
            label={status.state === 'loading' ? 'Loading the demo' : 'Removing the demo'}
            value={status.done}
            max={status.total}
          />
          <p className="text-xs text-slate-600 dark:text-slate-300">{status.step}</p>
        </div>
      )}
      {status.state === 'loaded' && (
        <ul className="mt-1 space-y-1 text-sm">
          {status.healthyVpcId && (
            <li>
              <Link to={`/vpcs/${status.healthyVpcId}`} className="underline">
                demo-shop
              </Link>
              : implemented, with NICs and public services
            </li>
          )}
          {status.failingVpcId && (
            <li>
              <Link to={`/vpcs/${status.failingVpcId}`} className="underline">
                demo-broken
              </Link>
              : its tier failed; open it for the diagnosis, or see{' '}
              <Link to="/triage" className="underline">
                Triage
              </Link>
            </li>
          )}
        </ul>
      )}
      {status.state === 'failed' && (
        <p role="alert" className="mt-1 text-sm text-red-700 dark:text-red-400">
          {status.error}
        </p>
      )}
      {canEdit && (status.state === 'loaded' || status.state === 'failed') && (
        <Button className="mt-2" onClick={() => setConfirming(true)}>
          Remove the demo
        </Button>
      )}
      <ConfirmDialog
        isOpen={confirming}
        onClose={() => setConfirming(false)}
        title="Remove the demo?"
        confirmLabel="Remove the demo"
        isBusy={remove.isPending}
        onConfirm={() => remove.mutate()}
      >
        Destroys the demo VPCs and deletes everything the demo made: its zone, physical network, provider,
        controller, offerings, and the jobs, calls and diagnoses of its VPCs.
      </ConfirmDialog>
    </section>
  );
}
