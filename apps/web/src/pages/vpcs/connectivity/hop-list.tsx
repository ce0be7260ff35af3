// The path in words, beside the picture: an ordered list of the hops (what, where, passed or dropped, the sentence),
// the Netplane object that decided each as a link, and the controller's evidence folded away for experts.
import { ArrowRight, CheckCircle2, CircleDashed, CircleDot, XCircle } from 'lucide-react';
import { Link } from 'react-router';
import { cx } from '../../../lib/cx';
import type { NodeStatus, PathNode } from './path-model';

const ICON: Record<NodeStatus, typeof CheckCircle2> = {
  start: CircleDot,
  pass: ArrowRight,
  drop: XCircle,
  delivered: CheckCircle2,
  unreached: CircleDashed,
};
const TONE: Record<NodeStatus, string> = {
  start: 'text-sky-800 dark:text-sky-300',
  pass: 'text-slate-600 dark:text-slate-300',
  drop: 'text-red-800 dark:text-red-300',
  delivered: 'text-emerald-800 dark:text-emerald-300',
  unreached: 'text-slate-600 dark:text-slate-300',
};

export function HopList({
  nodes,
  onNavigate,
}: {
  nodes: readonly PathNode[];
  /** Called before a link leaves (the dialog closes so the page behind it shows the rule). */
  onNavigate?: () => void;
}) {
  return (
    <ol aria-label="Hops of the path, in order" className="space-y-2">
      {nodes.map((n, i) => {
        const Icon = ICON[n.status];
        return (
          <li
            key={n.key}
            className={cx(
              'rounded-md border px-3 py-2 text-sm',
              n.status === 'drop'
                ? 'border-red-300 bg-red-50 dark:border-red-800 dark:bg-red-950/40'
                : 'border-slate-200 dark:border-slate-700',
            )}
          >
            <p className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
              <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{i + 1}.</span>
              <span className="font-semibold">{n.label}</span>
              <span className="font-mono text-xs text-slate-600 dark:text-slate-300">{n.place}</span>
              <span className={cx('inline-flex items-center gap-1 font-medium', TONE[n.status])}>
                <Icon aria-hidden className="size-4" />
                {n.statusText}
              </span>
            </p>
            <p className="mt-0.5">{n.summary}</p>
            {n.rewrite && <p className="mt-0.5 font-mono text-xs">rewrites {n.rewrite}</p>}
            {n.link && (
              <Link
                to={n.link.to}
                onClick={onNavigate}
                className="mt-1 inline-block text-sky-700 underline dark:text-sky-400"
              >
                {n.link.label}
              </Link>
            )}
            {n.evidence.length > 0 && (
              <details className="mt-1">
                <summary className="cursor-pointer text-xs text-slate-600 dark:text-slate-300">
                  Evidence ({n.evidence.length})
                </summary>
                <pre className="mt-1 overflow-x-auto whitespace-pre-wrap rounded bg-slate-100 p-2 font-mono text-xs dark:bg-slate-800">
                  {n.evidence.join('\n')}
                </pre>
              </details>
            )}
          </li>
        );
      })}
    </ol>
  );
}
