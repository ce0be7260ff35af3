// NICs: allocation rows (ip unique per tier by ip_index, mac unique), reads by tier/VPC, bulk insert.
import type { Db } from '../connect';
import type { NicsTable } from '../schema-engine';

export type NicRow = {
  id: string;
  networkId: string;
  vpcId: string;
  vmName: string;
  mac: string;
  ip: string;
  ipIndex: number;
  state: string;
  conditions: string;
  adopted: boolean;
  createdAt: number;
  updatedAt: number;
  version: number;
};

export const toNic = (r: NicsTable): NicRow => ({
  id: r.id,
  networkId: r.network_id,
  vpcId: r.vpc_id,
  vmName: r.vm_name,
  mac: r.mac,
  ip: r.ip,
  ipIndex: Number(r.ip_index),
  state: r.state,
  conditions: r.conditions,
  adopted: Number(r.adopted) === 1,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  version: Number(r.version),
});

export async function insertNics(
  db: Db,
  nics: readonly Omit<NicRow, 'version' | 'updatedAt'>[],
): Promise<void> {
  for (let i = 0; i < nics.length; i += 200) {
    await db
      .insertInto('nics')
      .values(
        nics.slice(i, i + 200).map((n) => ({
          id: n.id,
          network_id: n.networkId,
          vpc_id: n.vpcId,
          vm_name: n.vmName,
          mac: n.mac,
          ip: n.ip,
          ip_index: n.ipIndex,
          state: n.state,
          conditions: n.conditions,
          adopted: n.adopted ? 1 : 0,
          created_at: n.createdAt,
          updated_at: n.createdAt,
          version: 1,
        })),
      )
      .execute();
  }
}

export async function getNic(db: Db, id: string): Promise<NicRow | undefined> {
  const r = await db.selectFrom('nics').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toNic(r) : undefined;
}

export async function getNics(db: Db, ids: readonly string[]): Promise<NicRow[]> {
  const out: NicRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('nics')
      .selectAll()
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    out.push(...rows.map(toNic));
  }
  return out;
}

export async function listNicsOfNetwork(db: Db, networkId: string): Promise<NicRow[]> {
  const rows = await db
    .selectFrom('nics')
    .selectAll()
    .where('network_id', '=', networkId)
    .orderBy('ip_index', 'asc')
    .execute();
  return rows.map(toNic);
}

export async function listNicsOfVpc(db: Db, vpcId: string): Promise<NicRow[]> {
  const rows = await db
    .selectFrom('nics')
    .selectAll()
    .where('vpc_id', '=', vpcId)
    .orderBy('created_at')
    .execute();
  return rows.map(toNic);
}

export async function usedIpIndexes(db: Db, networkId: string): Promise<Set<number>> {
  const rows = await db.selectFrom('nics').select('ip_index').where('network_id', '=', networkId).execute();
  return new Set(rows.map((r) => Number(r.ip_index)));
}

export async function setAdopted(db: Db, id: string, adopted: boolean): Promise<void> {
  await db
    .updateTable('nics')
    .set({ adopted: adopted ? 1 : 0 })
    .where('id', '=', id)
    .execute();
}

export async function deleteNic(db: Db, id: string): Promise<void> {
  await db.deleteFrom('nics').where('id', '=', id).execute();
}
