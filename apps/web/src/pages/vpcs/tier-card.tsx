// One tier: state, broadcast URI, conditions, chosen elements, lifecycle actions, its NICs and its negotiation trace.
import { useMutation, useQuery } from '@tanstack/react-query';
import { Play, Power, Trash2 } from 'lucide-react';
import { Button } from '../../components/button';
import { ConditionPills } from '../../components/condition-pills';
import { NegotiationTrace } from '../../components/negotiation-trace';
import { Card } from '../../components/page';
import { StateBadge } from '../../components/state-badge';
import { useToast } from '../../components/toasts';
import type { Outputs } from '../../lib/api-types';
import { useCan } from '../../lib/can';
import { formatAgo } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { TierNics } from './tier-nics';

type Tier = Outputs['vpcs']['get']['tiers'][number];

export function TierCard({ tier: t, onChanged }: { tier: Tier; onChanged: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const canProvision = useCan('provision');
  const traces = useQuery(
    trpc.tiers.traces.queryOptions(
      { id: t.id, limit: 1 },
      { refetchInterval: t.state === 'Implementing' ? 1500 : false },
    ),
  );
  const opts = (what: string) => ({
    onSuccess: () => {
      toast.success(`${what} of ${t.name} started`);
      onChanged();
    },
    onError: (e: unknown) => toast.error(e),
  });
  const implement = useMutation(trpc.tiers.implement.mutationOptions(opts('Implement')));
  const shutdown = useMutation(trpc.tiers.shutdown.mutationOptions(opts('Shutdown')));
  const destroy = useMutation(trpc.tiers.destroy.mutationOptions(opts('Destroy')));
  const latest = traces.data?.[0];
  const nicTotal = Object.values(t.nicCounts).reduce((a, b) => a + b, 0);

  return (
    <Card
      title={
        <span className="flex flex-wrap items-center gap-2">
          {t.name} <StateBadge state={t.state} />
          <span className="font-mono text-xs font-normal text-slate-500 dark:text-slate-400">
            {t.cidr} · gw {t.gateway} · {t.broadcastUri ?? `${t.isolationMethod} (no segment yet)`}
          </span>
        </span>
      }
      actions={
        canProvision && (
          <>
            {(t.state === 'Allocated' || t.state === 'Error' || t.state === 'Shutdown') && (
              <Button
                size="sm"
                variant="primary"
                onClick={() => implement.mutate({ id: t.id })}
                isBusy={implement.isPending}
                icon={<Play aria-hidden className="size-4" />}
              >
                Implement
              </Button>
            )}
            {(t.state === 'Implemented' || t.state === 'Error') && (
              <Button
                size="sm"
                onClick={() => shutdown.mutate({ id: t.id })}
                isBusy={shutdown.isPending}
                icon={<Power aria-hidden className="size-4" />}
              >
                Shut down
              </Button>
            )}
            {t.state !== 'Destroy' && t.state !== 'Implementing' && (
              <Button
                size="sm"
                variant="ghost"
                onClick={() => {
                  if (window.confirm(`Destroy tier ${t.name}?`)) destroy.mutate({ id: t.id });
                }}
                isBusy={destroy.isPending}
                icon={<Trash2 aria-hidden className="size-4 text-red-600" />}
              >
                Destroy
              </Button>
            )}
          </>
        )
      }
    >
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="space-y-3 text-sm">
          <ConditionPills conditions={t.conditions} />
          <div>
            <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
              Elements
            </h3>
            {t.elements.length === 0 ? (
              <p className="text-slate-500 dark:text-slate-400">
                None chosen yet (negotiation runs at implement).
              </p>
            ) : (
              <ul className="flex flex-wrap gap-1">
                {t.elements.map((e) => (
                  <li
                    key={`${e.service}-${e.providerId}`}
                    className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800"
                  >
                    {e.service} → {e.adapterId}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <p className="text-xs text-slate-600 dark:text-slate-300">
            NICs:{' '}
            {nicTotal === 0
              ? 'none'
              : Object.entries(t.nicCounts)
                  .map(([s, n]) => `${n} ${s}`)
                  .join(' · ')}
          </p>
        </div>
        <div>
          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
            Negotiation{' '}
            {latest && (
              <span className="font-normal normal-case">
                ({latest.ok ? 'succeeded' : 'failed'} {formatAgo(latest.createdAt)})
              </span>
            )}
          </h3>
          {traces.isPending ? (
            <p className="text-sm text-slate-500 dark:text-slate-400">Loading…</p>
          ) : latest ? (
            <>
              {latest.missing.length > 0 && (
                <p className="mb-2 text-sm text-red-700 dark:text-red-400">
                  No provider for: {latest.missing.join(', ')}
                </p>
              )}
              <NegotiationTrace entries={latest.trace} />
            </>
          ) : (
            <p className="text-sm text-slate-500 dark:text-slate-400">Not negotiated yet.</p>
          )}
        </div>
      </div>
      <TierNics tier={t} onChanged={onChanged} />
    </Card>
  );
}
