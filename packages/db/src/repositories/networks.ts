// Tiers (CloudStack Networks) and their chosen elements; segment ids are unique per zone and kind by constraint.
import type { Db } from '../connect';
import type { NetworksTable } from '../schema-engine';

export type NetworkRow = {
  id: string;
  vpcId: string;
  zoneId: string;
  name: string;
  offeringId: string;
  physicalNetworkId: string;
  cidr: string;
  gateway: string;
  isolationMethod: string;
  segmentKind: string;
  segmentId: number | null;
  broadcastUri: string | null;
  state: string;
  conditions: string;
  createdAt: number;
  updatedAt: number;
  version: number;
};

export const toNetwork = (r: NetworksTable): NetworkRow => ({
  id: r.id,
  vpcId: r.vpc_id,
  zoneId: r.zone_id,
  name: r.name,
  offeringId: r.offering_id,
  physicalNetworkId: r.physical_network_id,
  cidr: r.cidr,
  gateway: r.gateway,
  isolationMethod: r.isolation_method,
  segmentKind: r.segment_kind,
  segmentId: r.segment_id === null ? null : Number(r.segment_id),
  broadcastUri: r.broadcast_uri,
  state: r.state,
  conditions: r.conditions,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  version: Number(r.version),
});

export async function insertNetwork(db: Db, n: Omit<NetworkRow, 'version' | 'updatedAt'>): Promise<void> {
  await db
    .insertInto('networks')
    .values({
      id: n.id,
      vpc_id: n.vpcId,
      zone_id: n.zoneId,
      name: n.name,
      offering_id: n.offeringId,
      physical_network_id: n.physicalNetworkId,
      cidr: n.cidr,
      gateway: n.gateway,
      isolation_method: n.isolationMethod,
      segment_kind: n.segmentKind,
      segment_id: n.segmentId,
      broadcast_uri: n.broadcastUri,
      state: n.state,
      conditions: n.conditions,
      created_at: n.createdAt,
      updated_at: n.createdAt,
      version: 1,
    })
    .execute();
}

export async function getNetwork(db: Db, id: string): Promise<NetworkRow | undefined> {
  const r = await db.selectFrom('networks').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toNetwork(r) : undefined;
}

export async function listNetworksOfVpc(
  db: Db,
  vpcId: string,
  includeDestroyed = false,
): Promise<NetworkRow[]> {
  let q = db.selectFrom('networks').selectAll().where('vpc_id', '=', vpcId).orderBy('created_at', 'asc');
  if (!includeDestroyed) q = q.where('state', '!=', 'Destroy');
  return (await q.execute()).map(toNetwork);
}

/** Segment ids in use in a zone for a kind (VLAN or VNI), to pick a free one. */
export async function usedSegments(db: Db, zoneId: string, kind: string): Promise<Set<number>> {
  const rows = await db
    .selectFrom('networks')
    .select('segment_id')
    .where('zone_id', '=', zoneId)
    .where('segment_kind', '=', kind)
    .where('segment_id', 'is not', null)
    .execute();
  return new Set(rows.map((r) => Number(r.segment_id)));
}

/** Frees the VLAN/VNI of a destroyed tier so that the zone can reuse it. */
export async function releaseSegment(db: Db, id: string, now: number): Promise<void> {
  await db
    .updateTable('networks')
    .set({ segment_id: null, broadcast_uri: null, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export type ElementRow = {
  id: string;
  networkId: string;
  service: string;
  providerId: string;
  controllerId: string;
  adapterId: string;
  createdAt: number;
};

export async function replaceElements(db: Db, networkId: string, rows: readonly ElementRow[]): Promise<void> {
  await db.deleteFrom('network_elements').where('network_id', '=', networkId).execute();
  if (rows.length === 0) return;
  await db
    .insertInto('network_elements')
    .values(
      rows.map((e) => ({
        id: e.id,
        network_id: e.networkId,
        service: e.service,
        provider_id: e.providerId,
        controller_id: e.controllerId,
        adapter_id: e.adapterId,
        created_at: e.createdAt,
      })),
    )
    .execute();
}

export async function listElements(db: Db, networkIds: readonly string[]): Promise<ElementRow[]> {
  if (networkIds.length === 0) return [];
  const rows = await db
    .selectFrom('network_elements')
    .selectAll()
    .where('network_id', 'in', networkIds)
    .orderBy('created_at', 'asc')
    .orderBy('service', 'asc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    networkId: r.network_id,
    service: r.service,
    providerId: r.provider_id,
    controllerId: r.controller_id,
    adapterId: r.adapter_id,
    createdAt: Number(r.created_at),
  }));
}

/** Every controller serving an element of an Implemented tier (the drift watch attaches to them at start). */
export async function controllersOfImplementedTiers(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('network_elements')
    .innerJoin('networks', 'networks.id', 'network_elements.network_id')
    .select('network_elements.controller_id as controllerId')
    .distinct()
    .where('networks.state', '=', 'Implemented')
    .execute();
  return rows.map((r) => r.controllerId);
}

export async function countNetworksUsingController(db: Db, controllerId: string): Promise<number> {
  const r = await db
    .selectFrom('network_elements')
    .innerJoin('networks', 'networks.id', 'network_elements.network_id')
    .select((eb) => eb.fn.count('networks.id').distinct().as('n'))
    .where('network_elements.controller_id', '=', controllerId)
    .where('networks.state', '!=', 'Destroy')
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
