// VLAN/VNI ranges drawn as bars: each range's width shows its size on a shared scale, the fill shows what is in use.
import { formatRange, RANGE_BOUNDS, type RangeKind } from '@netplane/domain';

/** A range and, when known, how many of its ids networks use (physicalNetworks.rangeUsage). */
type Range = { start: number; end: number; used?: number | undefined };

type RangeBarsProps = {
  kind: RangeKind;
  ranges: readonly Range[];
};

export function RangeBars({ kind, ranges }: RangeBarsProps) {
  const { label } = RANGE_BOUNDS[kind];
  if (ranges.length === 0)
    return <p className="text-xs text-slate-500 dark:text-slate-400">No {label} ranges</p>;
  const widest = Math.max(...ranges.map((r) => r.end - r.start + 1));
  return (
    <ul className="space-y-1.5" aria-label={`${label} ranges`}>
      {ranges.map((r) => {
        const size = r.end - r.start + 1;
        const inRange = r.used;
        // Widths are relative to the largest range (min 12 % so tiny ranges stay visible).
        const width = Math.max(12, (size / widest) * 100);
        const pct = inRange === undefined ? 0 : (inRange / size) * 100;
        return (
          <li key={`${r.start}-${r.end}`} className="flex items-center gap-2 text-xs">
            <span className="w-28 shrink-0 font-mono tabular-nums">{formatRange(r)}</span>
            <div className="flex-1">
              {/* A styled div, not <meter>: the bar's own width encodes the range size, which <meter> cannot. */}
              {/* biome-ignore lint/a11y/useSemanticElements: see above */}
              <div
                role="meter"
                aria-label={`${label} range ${formatRange(r)} in use`}
                aria-valuemin={0}
                aria-valuemax={size}
                aria-valuenow={inRange ?? 0}
                className="h-3 overflow-hidden rounded-sm bg-sky-100 ring-1 ring-sky-300 ring-inset dark:bg-sky-950 dark:ring-sky-800"
                style={{ width: `${width}%` }}
              >
                <div
                  className="h-full bg-sky-600 dark:bg-sky-500"
                  style={{ width: `${Math.max(pct, inRange ? 1 : 0)}%` }}
                />
              </div>
            </div>
            <span className="w-28 shrink-0 text-right tabular-nums text-slate-600 dark:text-slate-300">
              {inRange === undefined
                ? `${size.toLocaleString()} ids`
                : `${inRange} / ${size.toLocaleString()} used`}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
