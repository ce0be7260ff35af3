// Seeds the smallest inventory a provisioning run needs, straight into the tables (for benchmarks and multi-process
// tests that must not depend on a running API): a zone, a VLAN physical network, a simulator provider with one
// healthy controller, and a VPC and a tier offering for Connectivity.
import { randomUUID } from 'node:crypto';
import type { Db } from './connect';

export type SimulatorSeedOptions = {
  /** Prefix of every name, and the physical network's (and offerings') tag. */
  label: string;
  vlanRange: { start: number; end: number };
  /** Defaults to the in-process simulator, `sim://<controllerId>`. */
  endpoint?: string;
  /** Sealed credentials for the controller row (bound to its id by the caller's keyring, or a stand-in). */
  credentials(controllerId: string): { ciphertext: string; keyId: string };
  limits: { maxConcurrent: number; callsPerSecond: number; timeoutMs: number };
};

export type SimulatorSeed = {
  zoneId: string;
  controllerId: string;
  vpcOfferingId: string;
  networkOfferingId: string;
};

export async function seedSimulatorInventory(db: Db, o: SimulatorSeedOptions): Promise<SimulatorSeed> {
  const now = Date.now();
  const common = { created_at: now, updated_at: now, version: 1 };
  const tags = JSON.stringify([o.label]);
  const zoneId = randomUUID();
  await db
    .insertInto('zones')
    .values({ id: zoneId, name: `${o.label}-${zoneId}`, description: '', state: 'Enabled', ...common })
    .execute();
  const pnId = randomUUID();
  await db
    .insertInto('physical_networks')
    .values({
      id: pnId,
      zone_id: zoneId,
      name: `${o.label}-pn`,
      isolation_methods: JSON.stringify(['VLAN']),
      tags,
      broadcast_ranges: JSON.stringify([{ kind: 'vlan', ...o.vlanRange }]),
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
      name: `${o.label}-sim`,
      adapter_id: 'simulator',
      state: 'Enabled',
      enabled_services: JSON.stringify(['Connectivity', 'Dhcp']),
      capability_overrides: '{}',
      ...common,
    })
    .execute();
  const controllerId = randomUUID();
  const sealed = o.credentials(controllerId);
  await db
    .insertInto('controllers')
    .values({
      id: controllerId,
      provider_id: providerId,
      name: `${o.label}-ctl`,
      endpoint: o.endpoint ?? `sim://${controllerId}`,
      protocol: 'SIMULATED',
      config: '{}',
      credentials_ciphertext: sealed.ciphertext,
      credentials_key_id: sealed.keyId,
      max_concurrent: o.limits.maxConcurrent,
      calls_per_second: o.limits.callsPerSecond,
      timeout_ms: o.limits.timeoutMs,
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
  const offering = async (kind: 'vpc' | 'network') => {
    const id = randomUUID();
    await db
      .insertInto('offerings')
      .values({
        id,
        name: `${o.label}-${kind}-${id.slice(0, 8)}`,
        description: '',
        kind,
        guest_type: 'Isolated',
        service_providers: JSON.stringify({ Connectivity: 'simulator' }),
        tags,
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
    vpcOfferingId: await offering('vpc'),
    networkOfferingId: await offering('network'),
  };
}
