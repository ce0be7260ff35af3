// The reachability matrix of a VPC: pick flows (chips), compute (connectivity.matrix, operators), and read one grid
// per flow, tiers and Outside × tiers, each cell allowed or denied by a named rule. Shown without computing: the
// newest recorded matrix. Below it, the before/after of the last ACL change (matrix-change.tsx).
import {
  MAX_MATRIX_PROTOCOLS,
  type ReachabilityMatrix as MatrixRecord,
  type TraceFlow,
} from '@netplane/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Grid3x3 } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../../components/button';
import { ErrorState, FormError, LoadingRows } from '../../../components/states';
import { formatAgo } from '../../../lib/format';
import { useTRPC } from '../../../lib/trpc';
import type { Vpc } from '../rule-parts';
import { chipOf, FlowChips } from './flow-chips';
import { MatrixChange } from './matrix-change';
import { MatrixGrid } from './matrix-grid';
import { FLOW_CHIPS, flowKey, gridOf } from './matrix-model';

export function useAclListNames(vpcId: string): ReadonlyMap<string, string> {
  const trpc = useTRPC();
  const lists = useQuery(trpc.networkAcls.list.queryOptions({ vpcId, limit: 200, sort: 'name' }));
  return new Map((lists.data?.items ?? []).map((l) => [l.id, l.name]));
}

export function ReachabilityMatrix({ vpc, canRun }: { vpc: Vpc; canRun: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const names = useAclListNames(vpc.id);
  // An ACL change records a before/after pair inside its apply job: a slow poll brings it without a reload.
  const history = useQuery(
    trpc.connectivity.matrixHistory.queryOptions({ vpcId: vpc.id, limit: 20 }, { refetchInterval: 10_000 }),
  );
  const [extra, setExtra] = useState<TraceFlow[]>([]);
  const [picked, setPicked] = useState<Set<string> | null>(null);
  const compute = useMutation(
    trpc.connectivity.matrix.mutationOptions({
      onSuccess: () =>
        void queryClient.invalidateQueries({ queryKey: trpc.connectivity.matrixHistory.queryKey() }),
    }),
  );
  const items = history.data?.items ?? [];
  // The newest of the one just computed and the recorded ones (an ACL change records a newer "after" matrix).
  const latest: MatrixRecord | undefined = [compute.data, items[0]]
    .filter((m): m is MatrixRecord => m !== undefined)
    .sort((x, y) => y.createdAt - x.createdAt)[0];
  const chips = [...FLOW_CHIPS];
  for (const f of [...(latest?.protocols ?? []), ...extra]) {
    if (!chips.some((c) => c.key === flowKey(f))) chips.push(chipOf(f));
  }
  // Until the admin picks, the flows of the newest matrix (or the presets) are the chosen ones.
  const selected = picked ?? new Set(latest ? latest.protocols.map(flowKey) : FLOW_CHIPS.map((c) => c.key));
  const toggle = (key: string) => {
    const next = new Set(selected);
    if (!next.delete(key)) next.add(key);
    setPicked(next);
  };
  const protocols = chips.filter((c) => selected.has(c.key)).map((c) => c.flow);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h3 className="text-sm font-semibold">Reachability matrix</h3>
        {latest && (
          <p className="text-xs text-slate-600 dark:text-slate-300">
            {latest.kind === 'manual'
              ? 'Computed'
              : `${latest.kind === 'after' ? 'After' : 'Before'} ${latest.changeLabel ?? 'an ACL change'},`}{' '}
            by {latest.actor} {formatAgo(latest.createdAt)}
          </p>
        )}
      </div>
      {canRun && (
        <div className="flex flex-wrap items-end gap-3">
          <FlowChips
            chips={chips}
            selected={selected}
            max={MAX_MATRIX_PROTOCOLS}
            onToggle={toggle}
            onAdd={(f) => {
              setExtra((x) => [...x, f]);
              setPicked(new Set([...selected, flowKey(f)].slice(0, MAX_MATRIX_PROTOCOLS)));
            }}
          />
          <Button
            variant="primary"
            size="sm"
            disabled={protocols.length === 0 || vpc.tiers.length === 0}
            isBusy={compute.isPending}
            onClick={() => compute.mutate({ vpcId: vpc.id, protocols })}
            icon={<Grid3x3 aria-hidden className="size-4" />}
          >
            Compute the matrix
          </Button>
        </div>
      )}
      <FormError error={compute.error} />
      {history.isPending ? (
        <LoadingRows rows={3} label="Loading the reachability matrix" />
      ) : history.error ? (
        <ErrorState error={history.error} onRetry={() => void history.refetch()} />
      ) : !latest ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          No matrix yet.
          {canRun ? ' Pick the flows and compute it: every tier to every tier, and from outside.' : ''}
        </p>
      ) : (
        <div className="grid gap-4 xl:grid-cols-2">
          {latest.protocols.map((f, i) => (
            <section key={flowKey(f)} aria-label={`Reachability on ${flowKey(f)}`} className="space-y-1">
              <h4 className="font-mono text-sm font-semibold">{flowKey(f)}</h4>
              <MatrixGrid
                vpcId={vpc.id}
                matrix={gridOf(latest, i, names)}
                caption={`Reachability of ${vpc.name} on ${flowKey(f)}: rows are sources, columns destinations`}
              />
            </section>
          ))}
        </div>
      )}
      <MatrixChange vpc={vpc} history={items} names={names} />
    </div>
  );
}
