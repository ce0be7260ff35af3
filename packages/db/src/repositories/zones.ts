// Zones: rows of the zones table as domain Zones; updates are compare-and-set on `version`.
import { DEFAULT_ZONE_DNS_SERVERS, type EnableState, type Zone } from '@netplane/domain';
import type { Selectable } from 'kysely';
import type { Db } from '../connect';
import type { ZonesTable } from '../schema';
import { affected, parseJson } from './inventory-util';

const toZone = (r: Selectable<ZonesTable>): Zone => ({
  id: r.id,
  name: r.name,
  description: r.description,
  state: r.state as EnableState,
  dnsServers: parseJson<string[]>(r.dns_servers),
  dnsDomain: r.dns_domain ?? null,
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
  z: {
    id: string;
    name: string;
    description: string;
    state: EnableState;
    dnsServers?: readonly string[];
    dnsDomain?: string | null;
  },
  now: number,
): Promise<void> {
  const { dnsServers, dnsDomain, ...rest } = z;
  await db
    .insertInto('zones')
    .values({
      ...rest,
      dns_servers: JSON.stringify(dnsServers ?? DEFAULT_ZONE_DNS_SERVERS),
      dns_domain: dnsDomain ?? null,
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
}

/** Returns false when the row changed since `version` was read (or is gone). */
export async function updateZone(
  db: Db,
  id: string,
  version: number,
  patch: Partial<{
    name: string;
    description: string;
    state: EnableState;
    dnsServers: readonly string[];
    dnsDomain: string | null;
  }>,
  now: number,
): Promise<boolean> {
  const { dnsServers, dnsDomain, ...rest } = patch;
  const r = await db
    .updateTable('zones')
    .set({
      ...rest,
      ...(dnsServers !== undefined && { dns_servers: JSON.stringify(dnsServers) }),
      ...(dnsDomain !== undefined && { dns_domain: dnsDomain }),
      updated_at: now,
      version: version + 1,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return affected(r);
}

export async function deleteZone(db: Db, id: string): Promise<boolean> {
  return affected(await db.deleteFrom('zones').where('id', '=', id).executeTakeFirst());
}
