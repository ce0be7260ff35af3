// The VPC's recent connectivity checks, newest first: the verdict (mark and word), from → to and the flow, who and
// when; "Show" opens the recorded result (picture, hops, evidence) again.
import type { TraceRecord } from '@netplane/domain';
import { useQuery } from '@tanstack/react-query';
import { CheckCircle2, CircleSlash, Eye, XCircle } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { ErrorState, LoadingRows } from '../../../components/states';
import type { Outputs } from '../../../lib/api-types';
import { formatAgo } from '../../../lib/format';
import { useTRPC } from '../../../lib/trpc';
import { endsOfInput, flowText } from './trace-form';
import { TraceResultView } from './trace-result';
import { useTraceChoices } from './use-trace-choices';

type Vpc = Pick<Outputs['vpcs']['get'], 'id' | 'name' | 'tiers'>;

const OUTCOME = {
  delivered: { icon: CheckCircle2, word: 'Delivered', tone: 'text-emerald-800 dark:text-emerald-300' },
  dropped: { icon: XCircle, word: 'Dropped', tone: 'text-red-800 dark:text-red-300' },
  unavailable: { icon: CircleSlash, word: 'Cannot check', tone: 'text-amber-800 dark:text-amber-300' },
} as const;

export function RecentTraces({ vpc }: { vpc: Vpc }) {
  const trpc = useTRPC();
  const traces = useQuery(trpc.connectivity.traces.queryOptions({ vpcId: vpc.id, limit: 10 }));
  const items = traces.data?.items ?? [];
  const choices = useTraceChoices(vpc, items.length > 0);
  const [shown, setShown] = useState<TraceRecord | null>(null);
  const ends = (r: TraceRecord) => endsOfInput(r.input, choices.nics, choices.publicIps);

  return (
    <div className="space-y-2">
      <h3 className="text-sm font-semibold">Recent checks</h3>
      {traces.isPending ? (
        <LoadingRows rows={2} label="Loading the recent checks" />
      ) : traces.error ? (
        <ErrorState error={traces.error} onRetry={() => void traces.refetch()} />
      ) : items.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          No check yet. “Check connectivity” follows one packet and shows where it is dropped.
        </p>
      ) : (
        <ul
          aria-label={`Recent connectivity checks of ${vpc.name}`}
          className="divide-y divide-slate-200 text-sm dark:divide-slate-700"
        >
          {items.map((r) => {
            const o = OUTCOME[r.result.outcome];
            const e = ends(r);
            return (
              <li key={r.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-1.5">
                <span className={`inline-flex w-28 items-center gap-1 font-medium ${o.tone}`}>
                  <o.icon aria-hidden className="size-4" />
                  {o.word}
                </span>
                <span className="min-w-0 flex-1">
                  <span className="font-mono text-xs">
                    {e.source} → {e.destination} · {flowText(r.input.flow)}
                  </span>
                  <span className="block text-xs text-slate-600 dark:text-slate-300">{r.result.message}</span>
                </span>
                <span className="text-xs text-slate-500 dark:text-slate-400">
                  {r.actor} · {formatAgo(r.createdAt)}
                </span>
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() => setShown(r)}
                  icon={<Eye aria-hidden className="size-4" />}
                  aria-label={`Show the check ${e.source} to ${e.destination} ${flowText(r.input.flow)}`}
                >
                  Show
                </Button>
              </li>
            );
          })}
        </ul>
      )}
      <Dialog
        isOpen={shown !== null}
        onClose={() => setShown(null)}
        title={
          shown
            ? `Check ${ends(shown).source} → ${ends(shown).destination} · ${flowText(shown.input.flow)}`
            : 'Check'
        }
        size="xl"
      >
        {shown && (
          <TraceResultView
            vpcId={vpc.id}
            result={shown.result}
            ends={ends(shown)}
            onNavigate={() => setShown(null)}
          />
        )}
      </Dialog>
    </div>
  );
}
