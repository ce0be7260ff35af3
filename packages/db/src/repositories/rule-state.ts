// The state write of static NAT, LB and port forwarding rules, one implementation for the three tables: the rule jobs'
// compare-and-set (only from the given states) that bumps the row's version, so a concurrent writer's own
// compare-and-set on version loses.
import type { Db } from '../connect';
import { RULE_CONDITION_TABLES, type RuleKind } from './rule-conditions';

export type RuleState = 'Add' | 'Active' | 'Revoke' | 'Error';
export type RuleOp = 'apply' | 'revoke';

export type RuleStateUpdate = {
  state: RuleState;
  lastOp?: RuleOp;
  lastError?: string | null;
  jobId?: string | null;
  /** Only when the rule is in one of these states; false when it is not (or is gone). */
  from?: readonly RuleState[];
};

/** Writes the rule's state (and the fields `u` names); false when no row matched (`from`, or the row is gone). */
export async function setRuleState(
  db: Db,
  kind: RuleKind,
  id: string,
  u: RuleStateUpdate,
  now: number,
): Promise<boolean> {
  let q = db
    .updateTable(RULE_CONDITION_TABLES[kind])
    .set((eb) => ({
      state: u.state,
      ...(u.lastOp !== undefined && { last_op: u.lastOp }),
      ...(u.lastError !== undefined && { last_error: u.lastError }),
      ...(u.jobId !== undefined && { job_id: u.jobId }),
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id);
  if (u.from) q = q.where('state', 'in', [...u.from]);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** setRuleState for one kind, with the (db, id, update, now) signature of the repositories' setters. */
export const ruleStateSetter =
  (kind: RuleKind) =>
  (db: Db, id: string, u: RuleStateUpdate, now: number): Promise<boolean> =>
    setRuleState(db, kind, id, u, now);
