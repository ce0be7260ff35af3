// One reachability matrix as a real table: a row per source (the tiers, then Outside), a column per destination tier,
// each cell ✓ Allowed or ✗ Denied in words with the rule that decides it as a link to that rule in the ACL editor.
// `changed` marks the cells a change flipped (the before/after view), again in words.
import { CheckCircle2, CircleHelp, XCircle } from 'lucide-react';
import { Link } from 'react-router';
import { cx } from '../../../lib/cx';
import { type CellView, cellView, type Matrix } from './matrix-model';

const LOOK: Record<CellView['verdict'], { icon: typeof CheckCircle2; tone: string }> = {
  allowed: {
    icon: CheckCircle2,
    tone: 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-100',
  },
  denied: { icon: XCircle, tone: 'bg-red-50 text-red-900 dark:bg-red-950/50 dark:text-red-100' },
  unknown: { icon: CircleHelp, tone: 'bg-slate-50 text-slate-700 dark:bg-slate-800 dark:text-slate-200' },
};

type Props = {
  vpcId: string;
  matrix: Matrix;
  caption: string;
  changed?: ReadonlySet<string>;
  onNavigate?: () => void;
};

export function MatrixGrid({ vpcId, matrix, caption, changed, onNavigate }: Props) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-700">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 dark:bg-slate-800">
          <tr>
            <th
              scope="col"
              className="whitespace-nowrap px-3 py-2 text-xs font-semibold text-slate-600 dark:text-slate-300"
            >
              from ↓ to →
            </th>
            {matrix.destinations.map((d) => (
              <th key={d.id} scope="col" className="px-3 py-2 font-semibold">
                {d.name}
                {d.cidr && (
                  <span className="block font-mono text-xs font-normal text-slate-600 dark:text-slate-300">
                    {d.cidr}
                  </span>
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.sources.map((s) => (
            <tr key={s.id} className="border-t border-slate-200 dark:border-slate-700">
              <th scope="row" className="bg-slate-50 px-3 py-2 font-semibold dark:bg-slate-800">
                {s.name}
                {s.cidr && (
                  <span className="block font-mono text-xs font-normal text-slate-600 dark:text-slate-300">
                    {s.cidr}
                  </span>
                )}
              </th>
              {matrix.destinations.map((d) => {
                const v = cellView(vpcId, matrix, s, d);
                const look = LOOK[v.verdict];
                const isChanged = changed?.has(`${s.id}→${d.id}`);
                return (
                  <td
                    key={d.id}
                    title={v.message ? `${v.label}. ${v.message}` : v.label}
                    className={cx(
                      'px-3 py-2 align-top',
                      look.tone,
                      isChanged && 'outline-2 -outline-offset-2 outline-amber-500',
                    )}
                  >
                    <span className="inline-flex items-center gap-1 font-semibold">
                      <look.icon aria-hidden className="size-4" />
                      {v.word}
                    </span>
                    {isChanged && (
                      <span className="ml-1.5 rounded bg-amber-100 px-1 text-xs font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100">
                        changed
                      </span>
                    )}
                    {v.decidedBy && (
                      <span className="block text-xs">
                        {v.link ? (
                          <Link
                            to={v.link.to}
                            onClick={onNavigate}
                            aria-label={`${s.name} to ${d.name}: ${v.word}, by ${v.decidedBy}`}
                            className="underline"
                          >
                            {v.decidedBy}
                          </Link>
                        ) : (
                          v.decidedBy
                        )}
                      </span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
