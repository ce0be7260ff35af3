// Work that should have moved on (packages/engine/src/diagnostics/stuck.ts): unfinished jobs past their deadline or
// flagged stuck, and VPCs, tiers and NICs sitting in a transitional state since before a cutoff.
import type { Db } from '../connect';

export async function overdueJobs(db: Db, now: number, limit: number) {
  return db
    .selectFrom('jobs')
    .select(['id', 'vpc_id', 'state', 'created_at', 'started_at', 'deadline_at', 'stuck'])
    .where('finished_at', 'is', null)
    .where((eb) => eb.or([eb('deadline_at', '<', now), eb('stuck', '=', 1)]))
    .orderBy('deadline_at')
    .limit(limit)
    .execute();
}

export type StuckEntityRow = { id: string; vpcId: string; state: string; updatedAt: number };

/** Rows of the table in one of `states`, last changed before `cutoff`. */
export async function entitiesStuckIn(
  db: Db,
  table: 'vpcs' | 'networks' | 'nics',
  states: readonly string[],
  cutoff: number,
  limit: number,
): Promise<StuckEntityRow[]> {
  if (table === 'vpcs') {
    const vpcs = await db
      .selectFrom('vpcs')
      .select(['id', 'state', 'updated_at'])
      .where('state', 'in', [...states])
      .where('updated_at', '<', cutoff)
      .limit(limit)
      .execute();
    return vpcs.map((r) => ({ id: r.id, vpcId: r.id, state: r.state, updatedAt: Number(r.updated_at) }));
  }
  const rows = await db
    .selectFrom(table)
    .select(['id', 'vpc_id', 'state', 'updated_at'])
    .where('state', 'in', [...states])
    .where('updated_at', '<', cutoff)
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, vpcId: r.vpc_id, state: r.state, updatedAt: Number(r.updated_at) }));
}
