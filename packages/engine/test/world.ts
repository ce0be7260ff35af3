// Test world: a real database (either dialect), a real keyring, one zone with a physical network, a simulator
// provider with controllers (sim:// endpoints in a private hub), VPC and network offerings, and Engine instances.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdapterModule } from '@netplane/adapter-sdk';
import { createSimulatorAdapter, SimulatorHub } from '@netplane/adapter-simulator';
import type { DialectName } from '@netplane/db';
import { createTestDatabase, type TestDatabase } from '@netplane/db/testing';
import type { Service } from '@netplane/domain';
import { fileKeySource, Keyring, keyFilePath } from '@netplane/secrets';
import { Engine, type EngineAdapterRegistration, type EngineDeps, type EngineOptions } from '../src/index';

export type LogLine = { level: string; obj: object; msg?: string | undefined };

export type ControllerSeed = {
  name?: string;
  maxConcurrent?: number;
  callsPerSecond?: number;
  timeoutMs?: number;
  resourceState?: string;
  healthOk?: number | null;
  /** Default `sim://<id>` (this world's hub); an http URL points the controller at a remote simulator. */
  endpoint?: string;
};

export type World = {
  db: TestDatabase;
  hub: SimulatorHub;
  deps: EngineDeps;
  logs: LogLine[];
  zoneId: string;
  physicalNetworkId: string;
  providerId: string;
  controllerIds: string[];
  vpcOfferingId: string;
  networkOfferingId: string;
  engine(options?: Partial<EngineOptions>): Engine;
  addProvider(p: {
    name: string;
    adapterId?: string;
    state?: string;
    services?: Service[];
    physicalNetworkId?: string;
  }): Promise<string>;
  addPhysicalNetwork(p: {
    name: string;
    vlan: { start: number; end: number };
    tags?: string[];
  }): Promise<string>;
  addController(providerId: string, c?: ControllerSeed): Promise<string>;
  addOffering(o: {
    kind: 'vpc' | 'network';
    services: Partial<Record<Service, string>>;
    tags?: string[];
    isolation?: string;
    caps?: object;
  }): Promise<string>;
  cleanup(): Promise<void>;
};

export const FAST: Partial<EngineOptions> = {
  pollMs: 20,
  heartbeatMs: 200,
  leaseMs: 2_000,
  backoffBaseMs: 5,
  backoffMaxMs: 50,
  breakerHalfOpenMs: 500,
};

export async function makeWorld(
  dialect: DialectName,
  opts: { controllers?: ControllerSeed[]; extraAdapters?: EngineAdapterRegistration[] } = {},
): Promise<World> {
  const db = await createTestDatabase(dialect);
  const keyDir = mkdtempSync(join(tmpdir(), 'netplane-engine-keys-'));
  const keyring = new Keyring(fileKeySource(keyFilePath(keyDir)));
  const hub = new SimulatorHub('test');
  const module: AdapterModule = createSimulatorAdapter(hub);
  const logs: LogLine[] = [];
  const log = (level: string) => (obj: object, msg?: string) => logs.push({ level, obj, msg });
  const deps: EngineDeps = {
    db,
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
    adapters: [{ id: 'simulator', status: 'Fully Loaded', module }, ...(opts.extraAdapters ?? [])],
    secrets: keyring,
    now: () => Date.now(),
  };
  const now = Date.now();
  const zoneId = randomUUID();
  await db.db
    .insertInto('zones')
    .values({
      id: zoneId,
      name: `zone-${zoneId.slice(0, 6)}`,
      description: '',
      state: 'Enabled',
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
  const physicalNetworkId = randomUUID();
  await db.db
    .insertInto('physical_networks')
    .values({
      id: physicalNetworkId,
      zone_id: zoneId,
      name: 'pn-1',
      isolation_methods: JSON.stringify(['VLAN', 'VXLAN']),
      tags: JSON.stringify(['Gold']),
      broadcast_ranges: JSON.stringify([
        { kind: 'vlan', start: 100, end: 199 },
        { kind: 'vni', start: 5000, end: 5999 },
      ]),
      traffic_types: JSON.stringify([{ type: 'Guest', labels: {} }]),
      state: 'Enabled',
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();

  const addProvider: World['addProvider'] = async (p) => {
    const id = randomUUID();
    await db.db
      .insertInto('providers')
      .values({
        id,
        physical_network_id: p.physicalNetworkId ?? physicalNetworkId,
        name: p.name,
        adapter_id: p.adapterId ?? 'simulator',
        state: p.state ?? 'Enabled',
        enabled_services: JSON.stringify(
          p.services ?? ['Dhcp', 'Dns', 'Connectivity', 'SourceNat', 'StaticNat', 'Lb'],
        ),
        capability_overrides: '{}',
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    return id;
  };
  const addPhysicalNetwork: World['addPhysicalNetwork'] = async (p) => {
    const id = randomUUID();
    await db.db
      .insertInto('physical_networks')
      .values({
        id,
        zone_id: zoneId,
        name: p.name,
        isolation_methods: JSON.stringify(['VLAN']),
        tags: JSON.stringify(p.tags ?? ['Gold']),
        broadcast_ranges: JSON.stringify([{ kind: 'vlan', ...p.vlan }]),
        traffic_types: JSON.stringify([{ type: 'Guest', labels: {} }]),
        state: 'Enabled',
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    return id;
  };
  const addController: World['addController'] = async (providerId, c = {}) => {
    const id = randomUUID();
    const sealed = keyring.encrypt(JSON.stringify({ username: 'admin', password: 'canary-secret-pw' }), id);
    await db.db
      .insertInto('controllers')
      .values({
        id,
        provider_id: providerId,
        name: c.name ?? `ctl-${id.slice(0, 6)}`,
        endpoint: c.endpoint ?? `sim://${id}`,
        protocol: 'SIMULATED',
        config: '{}',
        credentials_ciphertext: sealed.ciphertext,
        credentials_key_id: sealed.keyId,
        max_concurrent: c.maxConcurrent ?? 16,
        calls_per_second: c.callsPerSecond ?? 1000,
        timeout_ms: c.timeoutMs ?? 5_000,
        resource_state: c.resourceState ?? 'Enabled',
        health_ok: c.healthOk === undefined ? 1 : c.healthOk,
        health_checked_at: now,
        health_latency_ms: 1,
        health_version: 'sim',
        health_error: c.healthOk === 0 ? 'connect ECONNREFUSED' : null,
        conditions: '[]',
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    hub.controller(id);
    return id;
  };
  const addOffering: World['addOffering'] = async (o) => {
    const id = randomUUID();
    await db.db
      .insertInto('offerings')
      .values({
        id,
        name: `${o.kind}-offering-${id.slice(0, 6)}`,
        description: '',
        kind: o.kind,
        guest_type: 'Isolated',
        service_providers: JSON.stringify(o.services),
        tags: JSON.stringify(o.tags ?? ['gold']),
        isolation_method: o.isolation ?? 'VLAN',
        required_capabilities: JSON.stringify(o.caps ?? {}),
        state: 'Enabled',
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    return id;
  };

  const providerId = await addProvider({ name: 'sim-provider' });
  const controllerIds: string[] = [];
  for (const c of opts.controllers ?? [{}]) controllerIds.push(await addController(providerId, c));
  const vpcOfferingId = await addOffering({ kind: 'vpc', services: { Connectivity: 'simulator' } });
  const networkOfferingId = await addOffering({
    kind: 'network',
    services: { Connectivity: 'simulator', Dhcp: 'simulator' },
  });
  const engines: Engine[] = [];
  return {
    db,
    hub,
    deps,
    logs,
    zoneId,
    physicalNetworkId,
    providerId,
    controllerIds,
    vpcOfferingId,
    networkOfferingId,
    engine(options = {}) {
      const e = new Engine(deps, {
        ...FAST,
        nodeId: `node-${engines.length}-${randomUUID().slice(0, 4)}`,
        ...options,
      });
      engines.push(e);
      return e;
    },
    addProvider,
    addPhysicalNetwork,
    addController,
    addOffering,
    async cleanup() {
      await Promise.allSettled(engines.map((e) => e.stop()));
      await db.drop();
      rmSync(keyDir, { recursive: true, force: true });
    },
  };
}

/** Waits until the job ends (any final state) and returns it. */
export async function waitForJob(engine: Engine, jobId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await engine.getJob(jobId);
    if (job && ['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`Job ${jobId} still ${job?.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A VPC with one tier, created (not implemented). */
export async function vpcWithTier(w: World, engine: Engine, cidr = '10.1.0.0/16', tierCidr = '10.1.1.0/24') {
  const vpc = await engine.createVpc(
    { name: 'vpc-a', zoneId: w.zoneId, offeringId: w.vpcOfferingId, cidr },
    'tester',
  );
  const tier = await engine.createTier(
    { vpcId: vpc.id, name: 'web', offeringId: w.networkOfferingId, cidr: tierCidr },
    'tester',
  );
  return { vpc, tier };
}
