// The VPC list's condition filter as it lives in the URL: `Synced:False`, or several at once separated by commas
// (`Ready:True,Synced:True,Realized:False`, the dashboard's "Implemented and Synced but not Realized"). Anything
// that is not a known type and status is dropped, so a hand-edited URL never reaches the API malformed.
import { CONDITION_STATUSES, CONDITION_TYPES } from '@netplane/domain';

export type ConditionType = (typeof CONDITION_TYPES)[number];
export type ConditionStatus = (typeof CONDITION_STATUSES)[number];
export type ConditionFilter = { type: ConditionType; status: ConditionStatus };

const isType = (t: string): t is ConditionType => (CONDITION_TYPES as readonly string[]).includes(t);
const isStatus = (s: string): s is ConditionStatus => (CONDITION_STATUSES as readonly string[]).includes(s);

/** The filters of a `condition` URL value, each type at most once (the first wins). */
export function parseConditionFilter(value: string): ConditionFilter[] {
  const out: ConditionFilter[] = [];
  for (const part of value.split(',')) {
    const [type = '', status = ''] = part.trim().split(':');
    if (isType(type) && isStatus(status) && !out.some((c) => c.type === type)) out.push({ type, status });
  }
  return out;
}

/** "Implemented and Synced but not Realized": the dashboard's count links to the list filtered by this value. */
export const SYNCED_NOT_REALIZED = 'Ready:True,Synced:True,Realized:False';
