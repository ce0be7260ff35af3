// How the console names each call outcome: words first (screen readers, colour-blind users), colour only on top.
import { assertNever, type CallOutcome } from '@netplane/domain';

export type OutcomeLook = {
  /** Short text shown next to the call, and read out. */
  label: string;
  /** A sentence for the tooltip and the table: what the outcome means for the operator. */
  meaning: string;
  /** Badge classes (text and background); the label carries the meaning, the colour only repeats it. */
  badge: string;
  /** Whether the call is over: an in-flight call is drawn up to now. */
  isOver: boolean;
};

export function outcomeLook(outcome: CallOutcome): OutcomeLook {
  switch (outcome) {
    case 'ok':
      return {
        label: 'Succeeded',
        meaning: 'The controller applied the call.',
        badge: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100',
        isOver: true,
      };
    case 'failed':
      return {
        label: 'Failed',
        meaning: 'The controller refused the call or did not answer in time.',
        badge: 'bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100',
        isOver: true,
      };
    case 'inFlight':
      return {
        label: 'In flight',
        meaning: 'Sent to the controller; no answer yet.',
        badge: 'bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100',
        isOver: false,
      };
    case 'abandoned':
      return {
        label: 'Abandoned',
        meaning:
          'Its node died or stopped it while it was on its way: whether the controller applied it is unknown. The job that resumed repeats it safely.',
        badge: 'bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-100',
        isOver: true,
      };
    default:
      return assertNever(outcome, 'call outcome');
  }
}

/** Outcomes the operator should look at besides failures: calls with no known end. */
export const isUnfinished = (outcome: CallOutcome): boolean =>
  outcome === 'inFlight' || outcome === 'abandoned';
