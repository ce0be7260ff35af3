// Network service providers of physical networks; CAS on `version`.
import type { Provider, ProviderState, Service, ServiceCapabilities } from '@netplane/domain';
import type { Db } from '../connect';
import type { ProvidersTable } from '../schema';
import { affected, parseJson } from './inventory-util';

const toProvider = (r: ProvidersTable): Provider => ({
  id: r.id,
  physicalNetworkId: r.physical_network_id,
  name: r.name,
  adapterId: r.adapter_id,
  state: r.state as ProviderState,
  enabledServices: parseJson<Service[]>(r.enabled_services),
  capabilityOverrides: parseJson<ServiceCapabilities>(r.capability_overrides),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  version: Number(r.version),
});

export type ProviderFields = {
  name: string;
  state: ProviderState;
  enabledServices: Service[];
  capabilityOverrides: ServiceCapabilities;
};

const toColumns = (f: Partial<ProviderFields>) => ({
  ...(f.name !== undefined && { name: f.name }),
  ...(f.state !== undefined && { state: f.state }),
  ...(f.enabledServices !== undefined && { enabled_services: JSON.stringify(f.enabledServices) }),
  ...(f.capabilityOverrides !== undefined && { capability_overrides: JSON.stringify(f.capabilityOverrides) }),
});

export async function listProviders(db: Db, physicalNetworkId?: string): Promise<Provider[]> {
  let q = db.selectFrom('providers').selectAll().orderBy('name');
  if (physicalNetworkId !== undefined) q = q.where('physical_network_id', '=', physicalNetworkId);
  return (await q.execute()).map(toProvider);
}

export async function getProvider(db: Db, id: string): Promise<Provider | undefined> {
  const row = await db.selectFrom('providers').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toProvider(row) : undefined;
}

export async function countProvidersOnPhysicalNetwork(db: Db, physicalNetworkId: string): Promise<number> {
  const r = await db
    .selectFrom('providers')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('physical_network_id', '=', physicalNetworkId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function insertProvider(
  db: Db,
  p: { id: string; physicalNetworkId: string; adapterId: string } & ProviderFields,
  now: number,
): Promise<void> {
  await db
    .insertInto('providers')
    .values({
      id: p.id,
      physical_network_id: p.physicalNetworkId,
      adapter_id: p.adapterId,
      name: p.name,
      state: p.state,
      enabled_services: JSON.stringify(p.enabledServices),
      capability_overrides: JSON.stringify(p.capabilityOverrides),
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
}

export async function updateProvider(
  db: Db,
  id: string,
  version: number,
  patch: Partial<ProviderFields>,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('providers')
    .set({ ...toColumns(patch), updated_at: now, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return affected(r);
}

export async function deleteProvider(db: Db, id: string): Promise<boolean> {
  return affected(await db.deleteFrom('providers').where('id', '=', id).executeTakeFirst());
}
