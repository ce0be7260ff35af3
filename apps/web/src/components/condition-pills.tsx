// Ready, Synced and Realized shown side by side; "Ready but not Synced" and "Implemented and Synced but not Realized"
// get their own warning so they are never missed.
import { CheckCircle2, CircleHelp, RefreshCwOff, TriangleAlert, XCircle } from 'lucide-react';
import { cx } from '../lib/cx';

/** Conditions as the API returns them (domain conditionSchema); loose so a partial list still renders. */
export type Condition = { type: string; status: string; reason?: string | null; message?: string | null };

function isTrue(status: string): boolean | null {
  if (status === 'True') return true;
  if (status === 'False') return false;
  return null;
}

/** Ready and Synced true, Realized false: the controller accepted everything and did not put it into effect. */
export function isSyncedNotRealized(conditions: readonly Condition[]): boolean {
  const status = (type: string) => conditions.find((c) => c.type === type)?.status;
  return status('Ready') === 'True' && status('Synced') === 'True' && status('Realized') === 'False';
}

const WARNING =
  'inline-flex items-center gap-1 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900 ring-1 ring-amber-600/40 dark:bg-amber-900/60 dark:text-amber-100';

export function ConditionPills({ conditions }: { conditions: Condition[] }) {
  const ready = conditions.find((c) => c.type === 'Ready');
  const synced = conditions.find((c) => c.type === 'Synced');
  const realized = conditions.find((c) => c.type === 'Realized');
  const isDrift = ready && synced && isTrue(ready.status) === true && isTrue(synced.status) === false;
  return (
    <div className="flex flex-wrap items-center gap-1.5">
      <ConditionPill name="Ready" condition={ready} />
      <ConditionPill name="Synced" condition={synced} />
      {/* Only once checked: a resource from before the Realized check has none, and "unknown" everywhere says nothing. */}
      {realized && <ConditionPill name="Realized" condition={realized} />}
      {isDrift && (
        <span className={WARNING}>
          <RefreshCwOff aria-hidden className="size-3.5" />
          Ready but not Synced
        </span>
      )}
      {isSyncedNotRealized(conditions) && (
        <span className={WARNING}>
          <TriangleAlert aria-hidden className="size-3.5" />
          Synced but not Realized
        </span>
      )}
    </div>
  );
}

export function ConditionPill({ name, condition }: { name: string; condition: Condition | undefined }) {
  const value = condition ? isTrue(condition.status) : null;
  const Icon = value === true ? CheckCircle2 : value === false ? XCircle : CircleHelp;
  const title = condition
    ? [condition.reason, condition.message].filter(Boolean).join(': ') || undefined
    : 'No condition reported yet';
  return (
    <span
      title={title}
      className={cx(
        'inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset',
        value === true &&
          'bg-emerald-50 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-950 dark:text-emerald-300',
        value === false && 'bg-red-50 text-red-800 ring-red-600/30 dark:bg-red-950 dark:text-red-300',
        value === null &&
          'bg-slate-100 text-slate-600 ring-slate-400/30 dark:bg-slate-800 dark:text-slate-300',
      )}
    >
      <Icon aria-hidden className="size-3.5" />
      {name}
      <span className="sr-only">: {value === true ? 'true' : value === false ? 'false' : 'unknown'}</span>
      {condition?.reason && value !== true && <span className="font-normal">· {condition.reason}</span>}
      {/* The message is in the tooltip for the pointer; screen readers get it in the pill itself. */}
      {condition?.message && value !== true && <span className="sr-only">, {condition.message}</span>}
    </span>
  );
}
