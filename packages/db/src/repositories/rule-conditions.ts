// The conditions of static NAT, LB and port forwarding rules (migration 017): only the Realized check writes them, so
// a write is a compare-and-set on the conditions text itself and leaves the rule's version alone (the rule jobs'
// state compare-and-set on version never loses to a condition update).
import type { Db } from '../connect';

export const RULE_CONDITION_TABLES = {
  staticNat: 'static_nat_rules',
  lbRule: 'lb_rules',
  portForward: 'port_forwarding_rules',
} as const;
export type RuleKind = keyof typeof RULE_CONDITION_TABLES;

/** The stored conditions JSON of a rule; undefined when it does not exist. */
export async function conditionsOf(db: Db, kind: RuleKind, id: string): Promise<string | undefined> {
  const r = await db
    .selectFrom(RULE_CONDITION_TABLES[kind])
    .select(['conditions'])
    .where('id', '=', id)
    .executeTakeFirst();
  return r?.conditions;
}

/** Writes `next` when the stored value is still `expected`; false when it changed (re-read and try again). */
export async function casConditions(
  db: Db,
  kind: RuleKind,
  id: string,
  expected: string,
  next: string,
): Promise<boolean> {
  const res = await db
    .updateTable(RULE_CONDITION_TABLES[kind])
    .set({ conditions: next })
    .where('id', '=', id)
    .where('conditions', '=', expected)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
