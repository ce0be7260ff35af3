// One simulated controller: its summary (polled every 2 s; counts and stats, never the resources themselves), active
// faults, the fault injector, the profile, and the switches and ports a page at a time.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Eraser, RotateCcw } from 'lucide-react';
import { Button } from '../../components/button';
import { Card, Stat } from '../../components/page';
import { ErrorState, LoadingCards } from '../../components/states';
import { useToast } from '../../components/toasts';
import { useCan } from '../../lib/can';
import { formatAgo } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { FAULT_KINDS } from './fault-catalog';
import { FaultInjector } from './fault-injector';
import { ProfileForm } from './profile-form';
import { ResourceTables } from './resource-tables';

export function SimulatorPanel({ controllerId }: { controllerId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const canControl = useCan('simulator.control');
  const stateKey = trpc.simulator.getSummary.queryKey({ controllerId });
  const state = useQuery(trpc.simulator.getSummary.queryOptions({ controllerId }, { refetchInterval: 2000 }));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: stateKey });
  const clear = useMutation(
    trpc.simulator.clearFaults.mutationOptions({
      onSuccess: (r) => {
        toast.success(`${r.cleared} fault(s) cleared`);
        refresh();
      },
      onError: (e) => toast.error(e),
    }),
  );
  const reset = useMutation(
    trpc.simulator.resetStats.mutationOptions({ onSuccess: refresh, onError: (e) => toast.error(e) }),
  );

  if (state.isPending) return <LoadingCards />;
  if (state.error) return <ErrorState error={state.error} onRetry={() => void state.refetch()} />;
  const s = state.data;
  const calls = Object.entries(s.stats.calls);
  const maxCalls = Math.max(1, ...calls.map(([, n]) => n));

  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label="Calls" value={s.stats.totalCalls} />
        <Stat label="In flight" value={s.stats.inFlight} />
        <Stat
          label="Rate-limited / rejected"
          value={s.stats.overLimitCalls}
          tone={s.stats.overLimitCalls ? 'amber' : undefined}
        />
        <Stat
          label="Faults fired"
          value={s.stats.faultsFired}
          tone={s.stats.faultsFired ? 'red' : undefined}
        />
        <Stat label="Networks / ports held" value={`${s.counts.networks} / ${s.counts.ports}`} />
        <Stat
          label="Static NAT / LB / forwards held"
          value={`${s.counts.staticNats} / ${s.counts.lbRules} / ${s.counts.portForwards}`}
        />
        <Stat label="Peak concurrency" value={s.stats.maxConcurrentSeen} />
        <Stat label="Peak calls in 1 s" value={s.stats.maxCallsInAnySecond} />
        <Stat
          label="NICs created twice"
          value={s.stats.nicsCreatedMoreThanOnce}
          tone={s.stats.nicsCreatedMoreThanOnce ? 'red' : 'green'}
        />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card
          title="Calls by operation"
          actions={
            canControl && (
              <Button
                size="sm"
                variant="ghost"
                onClick={() => reset.mutate({ controllerId })}
                icon={<RotateCcw aria-hidden className="size-4" />}
              >
                Reset statistics
              </Button>
            )
          }
        >
          <ul className="space-y-1.5">
            {calls.map(([op, n]) => (
              <li key={op} className="flex items-center gap-2 text-sm">
                <span className="w-20">{op}</span>
                <div className="h-3 flex-1 rounded-sm bg-slate-100 dark:bg-slate-800" aria-hidden>
                  <div
                    className="h-full rounded-sm bg-sky-600"
                    style={{ width: `${(n / maxCalls) * 100}%` }}
                  />
                </div>
                <span className="w-12 text-right tabular-nums">{n}</span>
              </li>
            ))}
          </ul>
          {Object.keys(s.stats.errors).length > 0 && (
            <p className="mt-3 text-sm">
              Errors:{' '}
              {Object.entries(s.stats.errors)
                .map(([k, n]) => `${k} ${n}`)
                .join(' · ')}
            </p>
          )}
          <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
            Since {formatAgo(s.stats.since)} ·{' '}
            {s.mode === 'hub' ? 'in this server' : 'remote simulator process'}
          </p>
        </Card>
        <Card
          title={`Active faults (${s.faults.length})`}
          actions={
            canControl &&
            s.faults.length > 0 && (
              <Button
                size="sm"
                onClick={() => clear.mutate({ controllerId })}
                isBusy={clear.isPending}
                icon={<Eraser aria-hidden className="size-4" />}
              >
                Clear all
              </Button>
            )
          }
        >
          {s.faults.length === 0 ? (
            <p className="text-sm text-slate-500 dark:text-slate-400">
              No fault scripted: calls succeed (within the profile's limits).
            </p>
          ) : (
            <ul className="space-y-2">
              {s.faults.map((f) => (
                <li key={f.id} className="rounded-md bg-red-50 px-3 py-2 text-sm dark:bg-red-950/40">
                  <span className="font-medium">{FAULT_KINDS[f.kind].label}</span>
                  <span className="text-slate-600 dark:text-slate-300">
                    {' '}
                    on {f.operation ?? 'any operation'}
                    {f.resource ? ` of a ${f.resource}` : ''} ·{' '}
                    {f.remaining === null ? 'persistent' : `${f.remaining} call(s) left`} · fired {f.fired}×
                  </span>
                  <div className="text-xs text-slate-700 dark:text-slate-300">
                    provokes {FAULT_KINDS[f.kind].diagnosis}
                  </div>
                </li>
              ))}
            </ul>
          )}
          {canControl && <FaultInjector controllerId={controllerId} onInjected={refresh} />}
        </Card>
      </div>
      <ProfileForm
        controllerId={controllerId}
        profile={s.profile}
        isReadOnly={!canControl}
        onSaved={refresh}
      />
      <ResourceTables controllerId={controllerId} />
    </div>
  );
}
