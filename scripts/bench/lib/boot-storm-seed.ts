// Inventory for the boot-storm benchmark: one zone, a physical network with a wide VLAN range, a simulator provider
// with one controller (its limits as given), and VPC and tier offerings. Not a benchmark itself (no run export).
import { randomUUID } from 'node:crypto';
import type { Db } from '@netplane/db';

export type BenchSeed = {
  zoneId: string;
  controllerId: string;
  vpcOfferingId: string;
  networkOfferingId: string;
};

export async function seedBenchInventory(
  db: Db,
  limits: { callsPerSecond: number; maxConcurrent: number },
): Promise<BenchSeed> {
  const now = Date.now();
  const common = { created_at: now, updated_at: now, version: 1 };
  const zoneId = randomUUID();
  await db
    .insertInto('zones')
    .values({ id: zoneId, name: `bench-${zoneId}`, description: '', state: 'Enabled', ...common })
    .execute();
  const pnId = randomUUID();
  await db
    .insertInto('physical_networks')
    .values({
      id: pnId,
      zone_id: zoneId,
      name: 'bench-pn',
      isolation_methods: JSON.stringify(['VLAN']),
      tags: JSON.stringify(['bench']),
      broadcast_ranges: JSON.stringify([{ kind: 'vlan', start: 100, end: 3999 }]),
      traffic_types: JSON.stringify([{ type: 'Guest', labels: {} }]),
      state: 'Enabled',
      ...common,
    })
    .execute();
  const providerId = randomUUID();
  await db
    .insertInto('providers')
    .values({
      id: providerId,
      physical_network_id: pnId,
      name: 'bench-sim',
      adapter_id: 'simulator',
      state: 'Enabled',
      enabled_services: JSON.stringify(['Connectivity', 'Dhcp']),
      capability_overrides: '{}',
      ...common,
    })
    .execute();
  const controllerId = randomUUID();
  await db
    .insertInto('controllers')
    .values({
      id: controllerId,
      provider_id: providerId,
      name: 'bench-ctl',
      endpoint: `sim://${controllerId}`,
      protocol: 'SIMULATED',
      config: '{}',
      // The bench's secrets.decrypt is the identity: no real credential exists here.
      credentials_ciphertext: JSON.stringify({ username: 'bench', password: 'bench' }),
      credentials_key_id: 'none',
      max_concurrent: limits.maxConcurrent,
      calls_per_second: limits.callsPerSecond,
      timeout_ms: 30_000,
      resource_state: 'Enabled',
      health_ok: 1,
      health_checked_at: now,
      health_latency_ms: 1,
      health_version: 'sim',
      health_error: null,
      conditions: '[]',
      ...common,
    })
    .execute();
  const offering = async (kind: 'vpc' | 'network', services: Record<string, string>) => {
    const id = randomUUID();
    await db
      .insertInto('offerings')
      .values({
        id,
        name: `bench-${kind}-${id.slice(0, 8)}`,
        description: '',
        kind,
        guest_type: 'Isolated',
        service_providers: JSON.stringify(services),
        tags: JSON.stringify(['bench']),
        isolation_method: 'VLAN',
        required_capabilities: '{}',
        state: 'Enabled',
        ...common,
      })
      .execute();
    return id;
  };
  return {
    zoneId,
    controllerId,
    vpcOfferingId: await offering('vpc', { Connectivity: 'simulator' }),
    networkOfferingId: await offering('network', { Connectivity: 'simulator' }),
  };
}
