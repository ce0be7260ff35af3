// The flows the matrix is computed for: chips the admin toggles (tcp/22, tcp/443, icmp, and any custom one added as
// "tcp/5432"), each a pressed/unpressed button, so the choice is read by its state and not by its colour.
import type { TraceFlow } from '@netplane/domain';
import { Check, Plus } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import { Button } from '../../../components/button';
import { cx } from '../../../lib/cx';
import { type FlowChip, flowKey, parseFlow } from './matrix-model';

type Props = {
  chips: readonly FlowChip[];
  selected: ReadonlySet<string>;
  max: number;
  onToggle: (key: string) => void;
  onAdd: (flow: TraceFlow) => void;
};

export function FlowChips({ chips, selected, max, onToggle, onAdd }: Props) {
  const inputId = useId();
  const errorId = useId();
  const [custom, setCustom] = useState('');
  const [error, setError] = useState('');
  const add = (e: FormEvent) => {
    e.preventDefault();
    const flow = parseFlow(custom);
    if (!flow) return setError('Type tcp/PORT, udp/PORT or icmp, e.g. tcp/5432');
    setError('');
    setCustom('');
    onAdd(flow);
  };
  return (
    <div className="flex flex-wrap items-end gap-2">
      <fieldset className="flex flex-wrap items-center gap-1.5">
        <legend className="mb-1 text-xs font-medium text-slate-600 dark:text-slate-300">
          Flows (up to {max})
        </legend>
        {chips.map((c) => {
          const isOn = selected.has(c.key);
          return (
            <button
              key={c.key}
              type="button"
              aria-pressed={isOn}
              disabled={!isOn && selected.size >= max}
              onClick={() => onToggle(c.key)}
              className={cx(
                'inline-flex h-8 items-center gap-1 rounded-full border px-3 text-sm font-medium disabled:opacity-50',
                isOn
                  ? 'border-sky-700 bg-sky-700 text-white dark:border-sky-500 dark:bg-sky-700'
                  : 'border-slate-300 bg-white text-slate-800 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100',
              )}
            >
              {isOn && <Check aria-hidden className="size-3.5" />}
              {c.label}
            </button>
          );
        })}
      </fieldset>
      <form onSubmit={add} className="flex items-end gap-1.5" aria-label="Add a flow">
        <div>
          <label htmlFor={inputId} className="block text-xs font-medium text-slate-600 dark:text-slate-300">
            Custom flow
          </label>
          <input
            id={inputId}
            value={custom}
            placeholder="tcp/5432"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(e) => setCustom(e.target.value)}
            className="block h-8 w-28 rounded-md border border-slate-300 bg-white px-2 text-sm dark:border-slate-600 dark:bg-slate-900"
          />
        </div>
        <Button type="submit" size="sm" icon={<Plus aria-hidden className="size-4" />}>
          Add flow
        </Button>
        {error && (
          <p id={errorId} className="text-xs font-medium text-red-700 dark:text-red-400">
            {error}
          </p>
        )}
      </form>
    </div>
  );
}

/** A chip for a flow the presets lack (a custom one, or one a recorded matrix used). */
export const chipOf = (flow: TraceFlow): FlowChip => ({ key: flowKey(flow), label: flowKey(flow), flow });
