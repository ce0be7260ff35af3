// Physical networks: JSON columns for isolation methods, tags, ranges and traffic types; CAS on `version`.
import {
  DEFAULT_PHYSICAL_MTU,
  type EnableState,
  type IsolationMethod,
  type KindedRange,
  type PhysicalNetwork,
  type TrafficTypeEntry,
} from '@netplane/domain';
import type { Selectable } from 'kysely';
import type { Db } from '../connect';
import type { PhysicalNetworksTable } from '../schema';
import { affected, parseJson } from './inventory-util';

export type PhysicalNetworkFields = {
  name: string;
  isolationMethods: IsolationMethod[];
  tags: string[];
  ranges: KindedRange[];
  trafficTypes: TrafficTypeEntry[];
  /** The links' MTU; left out, the column's default (1500). */
  mtu?: number;
  state: EnableState;
};

function toPhysicalNetwork(r: Selectable<PhysicalNetworksTable>): PhysicalNetwork {
  const ranges = parseJson<KindedRange[]>(r.broadcast_ranges);
  const of = (kind: KindedRange['kind']) =>
    ranges.filter((x) => x.kind === kind).map((x) => ({ start: Number(x.start), end: Number(x.end) }));
  return {
    id: r.id,
    zoneId: r.zone_id,
    name: r.name,
    isolationMethods: parseJson(r.isolation_methods),
    tags: parseJson(r.tags),
    vlanRanges: of('vlan'),
    vniRanges: of('vni'),
    trafficTypes: parseJson(r.traffic_types),
    mtu: Number(r.mtu),
    state: r.state as EnableState,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    version: Number(r.version),
  };
}

function toColumns(f: Partial<PhysicalNetworkFields>) {
  return {
    ...(f.name !== undefined && { name: f.name }),
    ...(f.isolationMethods !== undefined && { isolation_methods: JSON.stringify(f.isolationMethods) }),
    ...(f.tags !== undefined && { tags: JSON.stringify(f.tags) }),
    ...(f.ranges !== undefined && { broadcast_ranges: JSON.stringify(f.ranges) }),
    ...(f.trafficTypes !== undefined && { traffic_types: JSON.stringify(f.trafficTypes) }),
    ...(f.mtu !== undefined && { mtu: f.mtu }),
    ...(f.state !== undefined && { state: f.state }),
  };
}

export async function listPhysicalNetworks(db: Db, zoneId?: string): Promise<PhysicalNetwork[]> {
  let q = db.selectFrom('physical_networks').selectAll().orderBy('name');
  if (zoneId !== undefined) q = q.where('zone_id', '=', zoneId);
  return (await q.execute()).map(toPhysicalNetwork);
}

export async function getPhysicalNetwork(db: Db, id: string): Promise<PhysicalNetwork | undefined> {
  const row = await db.selectFrom('physical_networks').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPhysicalNetwork(row) : undefined;
}

export async function countPhysicalNetworksInZone(db: Db, zoneId: string): Promise<number> {
  const r = await db
    .selectFrom('physical_networks')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('zone_id', '=', zoneId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function insertPhysicalNetwork(
  db: Db,
  pn: { id: string; zoneId: string } & PhysicalNetworkFields,
  now: number,
): Promise<void> {
  const cols = toColumns(pn);
  await db
    .insertInto('physical_networks')
    .values({
      id: pn.id,
      zone_id: pn.zoneId,
      name: pn.name,
      isolation_methods: cols.isolation_methods ?? '[]',
      tags: cols.tags ?? '[]',
      broadcast_ranges: cols.broadcast_ranges ?? '[]',
      traffic_types: cols.traffic_types ?? '[]',
      mtu: cols.mtu ?? DEFAULT_PHYSICAL_MTU,
      state: pn.state,
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
}

export async function updatePhysicalNetwork(
  db: Db,
  id: string,
  version: number,
  patch: Partial<PhysicalNetworkFields>,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('physical_networks')
    .set({ ...toColumns(patch), updated_at: now, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return affected(r);
}

export async function deletePhysicalNetwork(db: Db, id: string): Promise<boolean> {
  return affected(await db.deleteFrom('physical_networks').where('id', '=', id).executeTakeFirst());
}

/**
 * The VLAN ids / VNIs allocated to networks (tiers) on this physical network, for range usage and to refuse removing
 * a range that is in use. A destroyed tier has released its segment (NULL) and does not count.
 */
export async function usedSegmentIds(
  db: Db,
  physicalNetworkId: string,
): Promise<{ kind: KindedRange['kind']; id: number }[]> {
  const rows = await db
    .selectFrom('networks')
    .select(['segment_kind', 'segment_id'])
    .where('physical_network_id', '=', physicalNetworkId)
    .where('segment_id', 'is not', null)
    .execute();
  return rows.map((r) => ({ kind: r.segment_kind as KindedRange['kind'], id: Number(r.segment_id) }));
}
