// The path as a picture: one box per hop, left to right in rows, joined by arrows; the hop that dropped the packet is
// red with a thick border and says "✗ dropped here", the delivery is green and says "✓ delivered" (words and marks,
// never colour alone). The SVG is one labelled image; the hop list beside it (hop-list.tsx) carries the details.
import { cx } from '../../../lib/cx';
import { layoutPath, NODE, type NodeStatus, type PathNode } from './path-model';

const BOX: Record<NodeStatus, string> = {
  start: 'fill-sky-50 stroke-sky-600 dark:fill-sky-950 dark:stroke-sky-400',
  pass: 'fill-white stroke-slate-400 dark:fill-slate-900 dark:stroke-slate-500',
  drop: 'fill-red-50 stroke-red-700 dark:fill-red-950 dark:stroke-red-400',
  delivered: 'fill-emerald-50 stroke-emerald-700 dark:fill-emerald-950 dark:stroke-emerald-400',
  unreached: 'fill-slate-100 stroke-slate-400 dark:fill-slate-800 dark:stroke-slate-500',
};
const STATUS_TEXT: Record<NodeStatus, string> = {
  start: 'fill-sky-800 dark:fill-sky-300',
  pass: 'fill-slate-600 dark:fill-slate-300',
  drop: 'fill-red-800 dark:fill-red-300',
  delivered: 'fill-emerald-800 dark:fill-emerald-300',
  unreached: 'fill-slate-600 dark:fill-slate-300',
};

/** SVG text does not wrap: long names are cut with an ellipsis, the whole name is in the node's <title>. */
const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export function pictureLabel(nodes: readonly PathNode[]): string {
  const drop = nodes.find((n) => n.status === 'drop');
  const steps = nodes.map((n) => `${n.label} (${n.place}): ${n.statusText}`).join(', then ');
  return `${drop ? `Dropped at ${drop.label} on ${drop.place}` : 'Path'}. ${steps}.`;
}

export function TracePicture({ nodes, perRow = 5 }: { nodes: readonly PathNode[]; perRow?: number }) {
  const layout = layoutPath(nodes, perRow);
  const isCut = nodes.some((n) => n.status === 'unreached');
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200 bg-slate-50 p-2 dark:border-slate-700 dark:bg-slate-950">
      <svg
        role="img"
        aria-label={pictureLabel(nodes)}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width={layout.width}
        className="mx-auto block h-auto max-w-full"
      >
        <defs>
          <marker
            id="trace-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0 0 L10 5 L0 10 z" className="fill-slate-500 dark:fill-slate-400" />
          </marker>
        </defs>
        {layout.edges.map((e) => (
          <path
            key={e.key}
            d={e.d}
            fill="none"
            strokeWidth={2}
            // The way on to a destination the packet never reached is dashed: not travelled.
            strokeDasharray={e.key.endsWith('-end') && isCut ? '4 4' : undefined}
            markerEnd="url(#trace-arrow)"
            className="stroke-slate-500 dark:stroke-slate-400"
          />
        ))}
        {layout.nodes.map((n) => {
          const isDrop = n.status === 'drop';
          return (
            <g key={n.key} transform={`translate(${n.x} ${n.y})`}>
              <title>{`${n.label} · ${n.place} · ${n.statusText}`}</title>
              <rect
                width={NODE.width}
                height={NODE.height}
                rx={8}
                strokeWidth={isDrop ? 3.5 : 1.5}
                strokeDasharray={n.status === 'start' || n.status === 'unreached' ? '5 3' : undefined}
                className={BOX[n.status]}
              />
              <text x={10} y={22} className="fill-slate-900 text-[13px] font-semibold dark:fill-slate-100">
                {cut(n.label, 17)}
              </text>
              <text x={10} y={41} className="fill-slate-600 font-mono text-[11px] dark:fill-slate-300">
                {cut(n.place, 19)}
              </text>
              <text x={10} y={63} className={cx('text-[12px] font-semibold', STATUS_TEXT[n.status])}>
                {cut(n.statusText, 19)}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
