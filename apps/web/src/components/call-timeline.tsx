// The element calls of a VPC drawn on a time axis: one lane per element/controller, a bar per call coloured by outcome.
import { formatDuration } from '../lib/format';

export type TimelineCall = {
  id: string;
  phase: string;
  element: string;
  controller: string;
  attempt: number;
  startedAt: number;
  durationMs: number;
  outcome: string;
  errorCategory?: string | null;
  purpose?: string | null;
};

const OUTCOME_FILL: Record<string, string> = {
  ok: 'fill-emerald-500',
  success: 'fill-emerald-500',
  succeeded: 'fill-emerald-500',
  error: 'fill-red-500',
  failed: 'fill-red-500',
  timeout: 'fill-amber-500',
  aborted: 'fill-slate-400',
  running: 'fill-sky-500',
  inFlight: 'fill-sky-500',
  abandoned: 'fill-slate-400',
};

/** Words for the tooltip: an outcome is always named, never told by its colour alone. */
const OUTCOME_WORD: Record<string, string> = {
  ok: 'succeeded',
  failed: 'failed',
  timeout: 'timed out',
  inFlight: 'in flight (no answer yet)',
  abandoned: 'abandoned (its node died or stopped it on its way)',
};

/** Still on its way: drawn up to now. */
const isOpen = (outcome: string) => outcome === 'running' || outcome === 'inFlight';

const LEGEND = [
  ['ok', 'Succeeded'],
  ['error', 'Failed'],
  ['timeout', 'Timed out'],
  ['inFlight', 'In flight'],
  ['abandoned', 'Abandoned (dotted)'],
] as const;

const LANE_H = 26;
const LABEL_W = 180;

export function CallTimeline({ calls, now = Date.now() }: { calls: readonly TimelineCall[]; now?: number }) {
  if (calls.length === 0)
    return <p className="text-sm text-slate-500 dark:text-slate-400">No calls recorded yet.</p>;
  const lanes = [...new Set(calls.map((c) => `${c.element} · ${c.controller}`))];
  const start = Math.min(...calls.map((c) => c.startedAt));
  const end = Math.max(...calls.map((c) => (isOpen(c.outcome) ? now : c.startedAt + c.durationMs)));
  const span = Math.max(1, end - start);
  const plotW = 800;
  const width = LABEL_W + plotW;
  const height = lanes.length * LANE_H + 24;
  const xOf = (t: number) => LABEL_W + ((t - start) / span) * plotW;
  const ticks = Array.from({ length: 5 }, (_, i) => start + (span * i) / 4);

  return (
    <div>
      <div className="mb-2 flex flex-wrap gap-3 text-xs text-slate-600 dark:text-slate-300" aria-hidden>
        {LEGEND.map(([k, label]) => (
          <span key={k} className="inline-flex items-center gap-1">
            <svg width="10" height="10" aria-hidden>
              <rect width="10" height="10" rx="2" className={OUTCOME_FILL[k]} />
            </svg>
            {label}
          </span>
        ))}
        <span className="inline-flex items-center gap-1">
          <svg width="10" height="10" aria-hidden>
            <rect
              width="10"
              height="10"
              rx="2"
              className="fill-none stroke-slate-500"
              strokeDasharray="2 1"
            />
          </svg>
          Rollback (dashed)
        </span>
      </div>
      {/* Never drawn below 90 % scale (labels stay legible at 768 px); narrower screens scroll it sideways. */}
      <section
        className="overflow-x-auto"
        aria-label="Call timeline (scrolls sideways when narrow)"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll region must be reachable by keyboard
        tabIndex={0}
      >
        <svg
          viewBox={`0 0 ${width} ${height}`}
          className="w-full min-w-[880px]"
          role="img"
          aria-label={`Timeline of ${calls.length} element calls over ${formatDuration(span)}; the table below lists them`}
        >
          {ticks.map((t, i) => (
            <g key={t}>
              <line
                x1={xOf(t)}
                x2={xOf(t)}
                y1={0}
                y2={height - 18}
                className="stroke-slate-200 dark:stroke-slate-700"
              />
              <text
                x={xOf(t)}
                y={height - 4}
                textAnchor={i === ticks.length - 1 ? 'end' : 'middle'}
                className="fill-slate-600 text-[12px] dark:fill-slate-400"
              >
                +{formatDuration(t - start)}
              </text>
            </g>
          ))}
          {lanes.map((lane, i) => (
            <text
              key={lane}
              x={4}
              y={i * LANE_H + 17}
              className="fill-slate-700 text-[13px] dark:fill-slate-300"
            >
              {lane.length > 24 ? `${lane.slice(0, 23)}…` : lane}
            </text>
          ))}
          {calls.map((c) => {
            const lane = lanes.indexOf(`${c.element} · ${c.controller}`);
            const w = Math.max(
              6,
              xOf(isOpen(c.outcome) ? now : c.startedAt + c.durationMs) - xOf(c.startedAt),
            );
            // A short last call still gets its minimum width inside the plot, not past its right edge.
            const x = Math.min(xOf(c.startedAt), width - w);
            return (
              <rect
                key={c.id}
                x={x}
                y={lane * LANE_H + 5}
                width={w}
                height={LANE_H - 10}
                rx={3}
                className={`${OUTCOME_FILL[c.outcome] ?? 'fill-violet-500'} stroke-slate-700 dark:stroke-slate-200`}
                // Shape as well as colour: rollbacks dashed, abandoned calls dotted.
                strokeWidth={c.purpose === 'rollback' || c.outcome === 'abandoned' ? 1.5 : 0}
                strokeDasharray={
                  c.outcome === 'abandoned' ? '1 2' : c.purpose === 'rollback' ? '3 2' : undefined
                }
              >
                <title>{`${c.phase} on ${c.element} (${c.controller}), attempt ${c.attempt}: ${OUTCOME_WORD[c.outcome] ?? c.outcome}${c.errorCategory ? ` ${c.errorCategory}` : ''}, ${isOpen(c.outcome) ? `${formatDuration(now - c.startedAt)} so far` : formatDuration(c.durationMs)}`}</title>
              </rect>
            );
          })}
        </svg>
      </section>
    </div>
  );
}
