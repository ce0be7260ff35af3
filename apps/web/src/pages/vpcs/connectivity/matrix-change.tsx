// The last ACL change as the matrix saw it: the before and after matrices the engine recorded around it (one
// changeId), side by side per flow, the cells it flipped marked "changed" and counted in words.
import type { ReachabilityMatrix as MatrixRecord } from '@netplane/domain';
import { formatAgo } from '../../../lib/format';
import type { Vpc } from '../rule-parts';
import { MatrixGrid } from './matrix-grid';
import { changedCells, flowKey, gridOf, lastChange } from './matrix-model';

export function MatrixChange({
  vpc,
  history,
  names,
}: {
  vpc: Vpc;
  history: readonly MatrixRecord[];
  names: ReadonlyMap<string, string>;
}) {
  const change = lastChange(history);
  if (!change) return null;
  const { before, after } = change;
  const label = after.changeLabel ?? 'the change';
  // Per flow both grids and what flipped; only flows where something changed are drawn, the others are named.
  const flows = after.protocols.flatMap((f, i) => {
    const j = before.protocols.findIndex((p) => flowKey(p) === flowKey(f));
    if (j < 0) return [];
    const b = gridOf(before, j, names);
    const a = gridOf(after, i, names);
    return [{ key: flowKey(f), b, a, changed: changedCells(b, a) }];
  });
  const unchanged = flows.filter((f) => f.changed.size === 0).map((f) => f.key);
  return (
    <section
      aria-labelledby="matrix-change-h"
      className="space-y-2 rounded-md border border-amber-300 p-3 dark:border-amber-800"
    >
      <h4 id="matrix-change-h" className="text-sm font-semibold">
        Before and after the last ACL change: {after.changeLabel ?? 'an ACL change'}
        <span className="ml-2 text-xs font-normal text-slate-600 dark:text-slate-300">
          by {after.actor} {formatAgo(after.createdAt)}
        </span>
      </h4>
      {flows.some((f) => f.changed.size > 0) ? null : <p className="text-sm">No pair changed on any flow.</p>}
      {unchanged.length > 0 && unchanged.length < flows.length && (
        <p className="text-sm">
          No pair changed on <span className="font-mono">{unchanged.join(', ')}</span>.
        </p>
      )}
      {flows
        .filter((f) => f.changed.size > 0)
        .map(({ key, b, a, changed }) => (
          <div key={key} className="space-y-1">
            <p className="text-sm">
              <span className="font-mono font-semibold">{key}</span>:{' '}
              {`${changed.size} pair${changed.size === 1 ? '' : 's'} changed (marked “changed”)`}
            </p>
            <div className="grid gap-3 lg:grid-cols-2">
              <div>
                <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
                  Before
                </p>
                <MatrixGrid vpcId={vpc.id} matrix={b} changed={changed} caption={`${key} before ${label}`} />
              </div>
              <div>
                <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
                  After
                </p>
                <MatrixGrid vpcId={vpc.id} matrix={a} changed={changed} caption={`${key} after ${label}`} />
              </div>
            </div>
          </div>
        ))}
    </section>
  );
}
