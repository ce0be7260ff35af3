// A determinate progress bar with role=progressbar and its aria values, for jobs and bulk work.
import { cx } from '../lib/cx';

type ProgressBarProps = {
  label: string;
  value: number;
  max: number;
  tone?: 'blue' | 'green' | 'red';
  showText?: boolean;
};

const FILL = { blue: 'bg-sky-600', green: 'bg-emerald-600', red: 'bg-red-600' } as const;

export function ProgressBar({ label, value, max, tone = 'blue', showText = true }: ProgressBarProps) {
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div className="flex items-center gap-2">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={value}
        aria-valuetext={`${value} of ${max}`}
        className="h-2 flex-1 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
      >
        <div
          className={cx('h-full rounded-full transition-[width]', FILL[tone])}
          style={{ width: `${pct}%` }}
        />
      </div>
      {showText && (
        <span className="w-20 text-right text-xs tabular-nums text-slate-600 dark:text-slate-300">
          {value}/{max}
        </span>
      )}
    </div>
  );
}
