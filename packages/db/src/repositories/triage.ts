// Support triage of a VPC: who acknowledged its failure, who is assigned, and a note. One row per VPC, upserted.
import type { Db } from '../connect';

export type TriageRecord = {
  vpcId: string;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  assignedTo: string | null;
  note: string;
  updatedAt: number;
};

type Patch = {
  acknowledged_by?: string | null;
  acknowledged_at?: number | null;
  assigned_to?: string | null;
  note?: string;
};

export async function listTriage(db: Db, vpcIds: readonly string[]): Promise<TriageRecord[]> {
  if (vpcIds.length === 0) return [];
  const rows = await db
    .selectFrom('triage')
    .selectAll()
    .where('vpc_id', 'in', [...vpcIds])
    .execute();
  return rows.map((r) => ({
    vpcId: r.vpc_id,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at === null ? null : Number(r.acknowledged_at),
    assignedTo: r.assigned_to,
    note: r.note,
    updatedAt: Number(r.updated_at),
  }));
}

export async function getTriage(db: Db, vpcId: string): Promise<TriageRecord | undefined> {
  return (await listTriage(db, [vpcId]))[0];
}

async function upsert(db: Db, vpcId: string, patch: Patch, at: number): Promise<TriageRecord> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const updated = await db
      .updateTable('triage')
      .set((eb) => ({ ...patch, updated_at: at, version: eb('version', '+', 1) }))
      .where('vpc_id', '=', vpcId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) break;
    try {
      await db
        .insertInto('triage')
        .values({
          vpc_id: vpcId,
          acknowledged_by: patch.acknowledged_by ?? null,
          acknowledged_at: patch.acknowledged_at ?? null,
          assigned_to: patch.assigned_to ?? null,
          note: patch.note ?? '',
          updated_at: at,
          version: 1,
        })
        .execute();
      break;
    } catch (e) {
      // Another writer inserted the row first: update it on the next turn.
      if (attempt === 1) throw e;
    }
  }
  const row = await getTriage(db, vpcId);
  if (!row) throw new Error(`triage row for ${vpcId} vanished`);
  return row;
}

export function acknowledge(
  db: Db,
  vpcId: string,
  by: string,
  at: number,
  note?: string,
): Promise<TriageRecord> {
  return upsert(
    db,
    vpcId,
    { acknowledged_by: by, acknowledged_at: at, ...(note === undefined ? {} : { note }) },
    at,
  );
}

export function assign(
  db: Db,
  vpcId: string,
  assignee: string | null,
  at: number,
  note?: string,
): Promise<TriageRecord> {
  return upsert(db, vpcId, { assigned_to: assignee, ...(note === undefined ? {} : { note }) }, at);
}
