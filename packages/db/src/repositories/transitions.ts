// State changes with compare-and-set: `update ... where id=? and version=?`; 0 rows is a conflict. Every change is a row.
import type { Selectable } from 'kysely';
import type { Db } from '../connect';
import type { StateTransitionsTable } from '../schema-engine';
import { vpcConditionColumns } from './vpc-conditions';

export type TransitionRow = {
  id: number;
  entityType: string;
  entityId: string;
  from: string;
  to: string;
  at: number;
  actor: string;
  reason: string;
  jobId: string | null;
};

export type StatefulTable = 'vpcs' | 'networks' | 'nics';

export type CasStateInput = {
  table: StatefulTable;
  id: string;
  version: number;
  to: string;
  now: number;
  /** JSON conditions to store with the same write, when they change together. */
  conditions?: string;
};

/** The columns a conditions write sets: the JSON, and on a VPC its condition columns (migration 014) with it. */
const conditionsSet = (table: StatefulTable, conditions: string): Record<string, unknown> =>
  table === 'vpcs' ? { conditions, ...vpcConditionColumns(conditions) } : { conditions };

/** Returns true when the row was at `version` and is now at version+1 in state `to`; false on conflict. */
export async function casState(db: Db, input: CasStateInput): Promise<boolean> {
  const set: Record<string, unknown> = {
    state: input.to,
    updated_at: input.now,
    ...(input.conditions !== undefined && conditionsSet(input.table, input.conditions)),
  };
  const res = await db
    .updateTable(input.table)
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', input.id)
    .where('version', '=', input.version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Conditions only (no state change), still compare-and-set. */
export async function casConditions(
  db: Db,
  table: StatefulTable,
  id: string,
  version: number,
  conditions: string,
  now: number,
): Promise<boolean> {
  const res = await db
    .updateTable(table)
    .set((eb) => ({ ...conditionsSet(table, conditions), updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Many rows of one table making the same move with the same resulting conditions, in one statement: still
 * compare-and-set on the state and on every row's own version. Returns how many rows moved (fewer is a conflict).
 */
export async function casStateMany(
  db: Db,
  input: Omit<CasStateInput, 'id' | 'version'> & {
    from: string;
    rows: readonly { id: string; version: number }[];
  },
): Promise<number> {
  const { rows, conditions } = input;
  const res = await db
    .updateTable(input.table)
    .set((eb) => ({
      state: input.to,
      updated_at: input.now,
      version: eb('version', '+', 1),
      ...(conditions !== undefined && conditionsSet(input.table, conditions)),
    }))
    .where(
      'id',
      'in',
      rows.map((r) => r.id),
    )
    .where('state', '=', input.from)
    .where((eb) => eb.or(rows.map((r) => eb.and([eb('id', '=', r.id), eb('version', '=', r.version)]))))
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** The state, version, conditions JSON and VPC of a VPC, tier or NIC; undefined when it does not exist. */
export async function readStateRow(
  db: Db,
  table: StatefulTable,
  id: string,
): Promise<{ state: string; version: number; conditions: string; vpcId: string | null } | undefined> {
  if (table === 'vpcs') {
    const r = await db
      .selectFrom('vpcs')
      .select(['state', 'version', 'conditions', 'id'])
      .where('id', '=', id)
      .executeTakeFirst();
    return r && { state: r.state, version: Number(r.version), conditions: r.conditions, vpcId: r.id };
  }
  const r = await db
    .selectFrom(table)
    .select(['state', 'version', 'conditions', 'vpc_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  return r && { state: r.state, version: Number(r.version), conditions: r.conditions, vpcId: r.vpc_id };
}

export async function insertTransition(db: Db, t: Omit<TransitionRow, 'id'>): Promise<void> {
  await insertTransitions(db, [t]);
}

/** One multi-row insert (a batch of NICs moving together). */
export async function insertTransitions(db: Db, rows: readonly Omit<TransitionRow, 'id'>[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('state_transitions')
    .values(
      rows.map((t) => ({
        entity_type: t.entityType,
        entity_id: t.entityId,
        from_state: t.from,
        to_state: t.to,
        at: t.at,
        actor: t.actor,
        reason: t.reason,
        job_id: t.jobId,
      })),
    )
    .execute();
}

/**
 * The newest transition of an entity into `to` made by a job (what a retry re-runs). Newest first by id, so an entity
 * with thousands of transitions is answered from its last one, not its first thousand.
 */
export async function latestJobTransitionTo(
  db: Db,
  entityId: string,
  to: string,
): Promise<TransitionRow | undefined> {
  const r = await db
    .selectFrom('state_transitions')
    .selectAll()
    .where('entity_id', '=', entityId)
    .where('to_state', '=', to)
    .where('job_id', 'is not', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? toTransition(r) : undefined;
}

export async function listTransitions(
  db: Db,
  entityIds: readonly string[],
  limit = 500,
): Promise<TransitionRow[]> {
  if (entityIds.length === 0) return [];
  const rows = await db
    .selectFrom('state_transitions')
    .selectAll()
    .where('entity_id', 'in', entityIds)
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
  return rows.map(toTransition);
}

const toTransition = (r: Selectable<StateTransitionsTable>): TransitionRow => ({
  id: Number(r.id),
  entityType: r.entity_type,
  entityId: r.entity_id,
  from: r.from_state,
  to: r.to_state,
  at: Number(r.at),
  actor: r.actor,
  reason: r.reason,
  jobId: r.job_id,
});
