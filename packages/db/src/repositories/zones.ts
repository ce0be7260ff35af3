// Zones: rows of the zones table as domain Zones; updates are compare-and-set on `version`.
import type { EnableState, Zone } from '@netplane/domain';
import type { Db } from '../connect';
import type { ZonesTable } from '../schema';
import { affected } from './inventory-util';

const toZone = (r: ZonesTable): Zone => ({
  id: r.id,
  name: r.name,
  description: r.description,
  state: r.state as EnableState,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  version: Number(r.version),
});

export async function listZones(db: Db): Promise<Zone[]> {
  const rows = await db.selectFrom('zones').selectAll().orderBy('name').execute();
  return rows.map(toZone);
}

export async function getZone(db: Db, id: string): Promise<Zone | undefined> {
  const row = await db.selectFrom('zones').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toZone(row) : undefined;
}

export async function findZoneByName(db: Db, name: string): Promise<Zone | undefined> {
  const row = await db.selectFrom('zones').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? toZone(row) : undefined;
}

export async function insertZone(
  db: Db,
  z: { id: string; name: string; description: string; state: EnableState },
  now: number,
): Promise<void> {
  await db
    .insertInto('zones')
    .values({ ...z, created_at: now, updated_at: now, version: 1 })
    .execute();
}

/** Returns false when the row changed since `version` was read (or is gone). */
export async function updateZone(
  db: Db,
  id: string,
  version: number,
  patch: Partial<{ name: string; description: string; state: EnableState }>,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('zones')
    .set({ ...patch, updated_at: now, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return affected(r);
}

export async function deleteZone(db: Db, id: string): Promise<boolean> {
  return affected(await db.deleteFrom('zones').where('id', '=', id).executeTakeFirst());
}
