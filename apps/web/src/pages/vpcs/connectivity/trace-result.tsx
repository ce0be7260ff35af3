// One check's answer: the verdict in a headline (icon and words), the link to what dropped it, the picture and the
// hop list; an unavailable trace (no trace tool on this node, an adapter that cannot trace) says why instead.
import type { TraceResult } from '@netplane/domain';
import { CheckCircle2, CircleSlash, XCircle } from 'lucide-react';
import { Link } from 'react-router';
import { cx } from '../../../lib/cx';
import { HopList } from './hop-list';
import { dropNode, type Ends, pathNodes } from './path-model';
import { TracePicture } from './trace-picture';

const HEADLINE = {
  delivered: {
    icon: CheckCircle2,
    word: 'Delivered',
    tone: 'border-emerald-300 bg-emerald-50 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-100',
  },
  dropped: {
    icon: XCircle,
    word: 'Dropped',
    tone: 'border-red-300 bg-red-50 text-red-950 dark:border-red-800 dark:bg-red-950/40 dark:text-red-100',
  },
  unavailable: {
    icon: CircleSlash,
    word: 'Cannot check',
    tone: 'border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100',
  },
} as const;

export function TraceResultView({
  vpcId,
  result,
  ends,
  onNavigate,
}: {
  vpcId: string;
  result: TraceResult;
  ends: Ends;
  onNavigate?: () => void;
}) {
  const nodes = pathNodes(vpcId, result, ends);
  const drop = dropNode(nodes);
  const h = HEADLINE[result.outcome];
  return (
    <section aria-label="Result of the check" className="space-y-3">
      <div role="status" className={cx('flex items-start gap-3 rounded-md border p-3 text-sm', h.tone)}>
        <h.icon aria-hidden className="mt-0.5 size-5 shrink-0" />
        <div className="min-w-0 space-y-1">
          <p>
            <strong>{h.word}</strong>: {result.message}{' '}
            <span className="font-mono text-xs opacity-80">({result.reason})</span>
          </p>
          {drop && (
            <p>
              Dropped at <strong>{drop.label}</strong> on {drop.place}
              {drop.summary === result.message ? '.' : `: ${drop.summary}`}{' '}
              {drop.link && (
                <Link to={drop.link.to} onClick={onNavigate} className="font-medium underline">
                  {drop.link.label}
                </Link>
              )}
            </p>
          )}
        </div>
      </div>
      {result.outcome !== 'unavailable' || result.hops.length > 0 ? (
        <>
          <TracePicture nodes={nodes} />
          <HopList nodes={nodes} {...(onNavigate ? { onNavigate } : {})} />
        </>
      ) : null}
      <details className="text-xs text-slate-600 dark:text-slate-300">
        <summary className="cursor-pointer">Computed by {result.tool.name}</summary>
        {result.tool.command && <p className="mt-1 font-mono break-all">{result.tool.command}</p>}
        {result.tool.output && (
          <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap rounded bg-slate-100 p-2 font-mono dark:bg-slate-800">
            {result.tool.output}
          </pre>
        )}
      </details>
    </section>
  );
}
