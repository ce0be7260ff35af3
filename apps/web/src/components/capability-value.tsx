// Shows one capability value: lists as chips, booleans as yes/no, the rest as text.
import type { CapabilityValue } from '@netplane/domain';

export function CapabilityValueView({ value }: { value: CapabilityValue }) {
  if (Array.isArray(value)) {
    return (
      <span className="inline-flex flex-wrap gap-1">
        {value.map((v) => (
          <span key={v} className="rounded bg-slate-100 px-1 font-mono text-[11px] dark:bg-slate-800">
            {v}
          </span>
        ))}
      </span>
    );
  }
  if (typeof value === 'boolean') return <span>{value ? 'yes' : 'no'}</span>;
  return <span className="font-mono text-[11px]">{String(value)}</span>;
}
