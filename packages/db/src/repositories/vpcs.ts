// VPCs: insert, read, list with filters.
import type { Db } from '../connect';
import type { VpcsTable } from '../schema-engine';

export type VpcRow = {
  id: string;
  name: string;
  zoneId: string;
  offeringId: string;
  cidr: string;
  state: string;
  conditions: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  version: number;
};

export const toVpc = (r: VpcsTable): VpcRow => ({
  id: r.id,
  name: r.name,
  zoneId: r.zone_id,
  offeringId: r.offering_id,
  cidr: r.cidr,
  state: r.state,
  conditions: r.conditions,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  version: Number(r.version),
});

export async function insertVpc(db: Db, v: Omit<VpcRow, 'version' | 'updatedAt'>): Promise<void> {
  await db
    .insertInto('vpcs')
    .values({
      id: v.id,
      name: v.name,
      zone_id: v.zoneId,
      offering_id: v.offeringId,
      cidr: v.cidr,
      state: v.state,
      conditions: v.conditions,
      created_by: v.createdBy,
      created_at: v.createdAt,
      updated_at: v.createdAt,
      version: 1,
    })
    .execute();
}

export async function getVpc(db: Db, id: string): Promise<VpcRow | undefined> {
  const r = await db.selectFrom('vpcs').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toVpc(r) : undefined;
}

export type VpcFilter = { state?: string; zoneId?: string; includeDestroyed?: boolean; limit?: number };

export async function listVpcs(db: Db, f: VpcFilter = {}): Promise<VpcRow[]> {
  let q = db
    .selectFrom('vpcs')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(f.limit ?? 500);
  if (f.state !== undefined) q = q.where('state', '=', f.state);
  else if (!f.includeDestroyed) q = q.where('state', '!=', 'Destroy');
  if (f.zoneId !== undefined) q = q.where('zone_id', '=', f.zoneId);
  return (await q.execute()).map(toVpc);
}
