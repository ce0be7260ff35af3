// The member picker of an LB rule: a checkbox per Reserved NIC of the tier, with select-all, as one fieldset.
import type { Nic } from './rule-parts';

export function MemberPicker({
  nics,
  selected,
  onChange,
  error,
}: {
  nics: readonly Nic[];
  selected: readonly string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
}) {
  const all = nics.map((n) => n.id);
  const isAll = nics.length > 0 && all.every((id) => selected.includes(id));
  return (
    <fieldset className="space-y-1" aria-describedby={error ? 'lb-members-error' : undefined}>
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-200">
        Members ({selected.length} of {nics.length} Reserved NICs)
      </legend>
      {nics.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          This tier has no Reserved NIC yet: prepare NICs on it first (a rule may start with none).
        </p>
      ) : (
        <>
          <label className="inline-flex items-center gap-1.5 text-sm font-medium">
            <input type="checkbox" checked={isAll} onChange={(e) => onChange(e.target.checked ? all : [])} />
            All
          </label>
          <div className="grid max-h-48 grid-cols-1 gap-1 overflow-y-auto md:grid-cols-2">
            {nics.map((n) => (
              <label key={n.id} className="inline-flex items-center gap-1.5 text-sm">
                <input
                  type="checkbox"
                  checked={selected.includes(n.id)}
                  onChange={(e) =>
                    onChange(e.target.checked ? [...selected, n.id] : selected.filter((id) => id !== n.id))
                  }
                />
                {n.vmName}{' '}
                <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{n.ip}</span>
              </label>
            ))}
          </div>
        </>
      )}
      {error && (
        <p id="lb-members-error" className="text-xs font-medium text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </fieldset>
  );
}
