// A tiny latency chart of health checks: a line for latency, red marks for failed checks.
type Point = { checkedAt: number; ok: boolean; latencyMs: number };

export function Sparkline({
  points,
  label,
  width = 160,
  height = 32,
}: {
  points: readonly Point[];
  label: string;
  width?: number;
  height?: number;
}) {
  if (points.length === 0) {
    return <span className="text-xs text-slate-500 dark:text-slate-400">No checks yet</span>;
  }
  const sorted = [...points].sort((a, b) => a.checkedAt - b.checkedAt);
  const first = sorted[0]?.checkedAt ?? 0;
  const span = Math.max(1, (sorted.at(-1)?.checkedAt ?? first) - first);
  const maxLatency = Math.max(1, ...sorted.map((p) => p.latencyMs));
  const x = (t: number) => (sorted.length === 1 ? width / 2 : ((t - first) / span) * (width - 4) + 2);
  const y = (l: number) => height - 3 - (l / maxLatency) * (height - 6);
  const path = sorted
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.checkedAt).toFixed(1)},${y(p.latencyMs).toFixed(1)}`)
    .join(' ');
  const failures = sorted.filter((p) => !p.ok).length;
  const avg = Math.round(sorted.reduce((s, p) => s + p.latencyMs, 0) / sorted.length);
  const summary = `${label}: ${sorted.length} checks, ${failures} failed, average latency ${avg} ms, max ${maxLatency} ms`;
  return (
    <svg width={width} height={height} role="img" aria-label={summary} className="overflow-visible">
      <title>{summary}</title>
      <path d={path} fill="none" strokeWidth={1.5} className="stroke-sky-600 dark:stroke-sky-400" />
      {sorted.map((p) =>
        p.ok ? null : (
          <circle
            key={p.checkedAt}
            cx={x(p.checkedAt)}
            cy={y(p.latencyMs)}
            r={2.5}
            className="fill-red-600"
          />
        ),
      )}
    </svg>
  );
}
