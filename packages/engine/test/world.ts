// Test world: a real database (either dialect), a real keyring, one zone with a physical network, a simulator
// provider with controllers (sim:// endpoints in a private hub), VPC and network offerings, and Engine instances.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdapterModule } from '@netplane/adapter-sdk';
import { createSimulatorAdapter, SimulatorHub } from '@netplane/adapter-simulator';
import {
  type DialectName,
  offeringsRepo,
  physicalNetworksRepo,
  providersRepo,
  zonesRepo,
} from '@netplane/db';
import { createTestDatabase, type TestDatabase } from '@netplane/db/testing';
import type {
  IsolationMethod,
  KindedRange,
  ProviderState,
  Service,
  ServiceCapabilities,
} from '@netplane/domain';
import { fileKeySource, Keyring, keyFilePath } from '@netplane/secrets';
import { Engine, type EngineAdapterRegistration, type EngineDeps, type EngineOptions } from '../src/index';

export type LogLine = { level: string; obj: object; msg?: string | undefined };

export type ControllerSeed = {
  name?: string;
  protocol?: string;
  config?: object;
  credentials?: object;
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
  opts: {
    controllers?: ControllerSeed[];
    extraAdapters?: EngineAdapterRegistration[];
    /** The simulator adapter to register (default: in process on this world's hub); e.g. one out of process. */
    simulatorModule?: AdapterModule;
  } = {},
): Promise<World> {
  const db = await createTestDatabase(dialect);
  const keyDir = mkdtempSync(join(tmpdir(), 'netplane-engine-keys-'));
  const keyring = new Keyring(fileKeySource(keyFilePath(keyDir)));
  const hub = new SimulatorHub('test');
  const module: AdapterModule = opts.simulatorModule ?? createSimulatorAdapter(hub);
  const logs: LogLine[] = [];
  const log = (level: string) => (obj: object, msg?: string) => logs.push({ level, obj, msg });
  const deps: EngineDeps = {
    db,
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    adapters: [{ id: 'simulator', status: 'Fully Loaded', module }, ...(opts.extraAdapters ?? [])],
    secrets: keyring,
    now: () => Date.now(),
  };
  const now = Date.now();
  const zoneId = randomUUID();
  await zonesRepo.insertZone(
    db.db,
    { id: zoneId, name: `zone-${zoneId.slice(0, 6)}`, description: '', state: 'Enabled' },
    now,
  );
  const insertPhysicalNetwork = async (p: {
    name: string;
    isolationMethods: IsolationMethod[];
    tags: string[];
    ranges: KindedRange[];
  }) => {
    const id = randomUUID();
    const trafficTypes = [{ type: 'Guest' as const, labels: {} }];
    await physicalNetworksRepo.insertPhysicalNetwork(
      db.db,
      { id, zoneId, ...p, trafficTypes, state: 'Enabled' },
      now,
    );
    return id;
  };
  const physicalNetworkId = await insertPhysicalNetwork({
    name: 'pn-1',
    isolationMethods: ['VLAN', 'VXLAN'],
    tags: ['Gold'],
    ranges: [
      { kind: 'vlan', start: 100, end: 199 },
      { kind: 'vni', start: 5000, end: 5999 },
    ],
  });

  const addProvider: World['addProvider'] = async (p) => {
    const id = randomUUID();
    await providersRepo.insertProvider(
      db.db,
      {
        id,
        physicalNetworkId: p.physicalNetworkId ?? physicalNetworkId,
        adapterId: p.adapterId ?? 'simulator',
        name: p.name,
        state: (p.state ?? 'Enabled') as ProviderState,
        enabledServices: p.services ?? [
          'Dhcp',
          'Dns',
          'Connectivity',
          'SourceNat',
          'StaticNat',
          'Lb',
          'PortForwarding',
          'NetworkACL',
        ],
        capabilityOverrides: {},
      },
      now,
    );
    return id;
  };
  const addPhysicalNetwork: World['addPhysicalNetwork'] = (p) =>
    insertPhysicalNetwork({
      name: p.name,
      isolationMethods: ['VLAN'],
      tags: p.tags ?? ['Gold'],
      ranges: [{ kind: 'vlan', ...p.vlan }],
    });
  const addController: World['addController'] = async (providerId, c = {}) => {
    const id = randomUUID();
    const credentials = c.credentials ?? { username: 'admin', password: 'canary-secret-pw' };
    const sealed = keyring.encrypt(JSON.stringify(credentials), id);
    await db.db
      .insertInto('controllers')
      .values({
        id,
        provider_id: providerId,
        name: c.name ?? `ctl-${id.slice(0, 6)}`,
        endpoint: c.endpoint ?? `sim://${id}`,
        protocol: c.protocol ?? 'SIMULATED',
        config: JSON.stringify(c.config ?? {}),
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
    if (c.endpoint === undefined) hub.controller(id);
    return id;
  };
  const addOffering: World['addOffering'] = async (o) => {
    const id = randomUUID();
    await offeringsRepo.insertOffering(
      db.db,
      {
        id,
        name: `${o.kind}-offering-${id.slice(0, 6)}`,
        description: '',
        kind: o.kind,
        guestType: 'Isolated',
        serviceProviders: o.services,
        tags: o.tags ?? ['gold'],
        isolationMethod: (o.isolation ?? 'VLAN') as IsolationMethod,
        requiredCapabilities: (o.caps ?? {}) as ServiceCapabilities,
        state: 'Enabled',
      },
      now,
    );
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

/** A world with one started engine; its cleanup stops the engine too. */
export async function startWorld(
  dialect: DialectName,
  opts: Parameters<typeof makeWorld>[1] & { engine?: Partial<EngineOptions> } = {},
): Promise<{ w: World; engine: Engine }> {
  const w = await makeWorld(dialect, opts);
  const engine = w.engine(opts.engine);
  await engine.start();
  return { w, engine };
}

/** Polls `read` until `accept` takes its value (or throws after `timeoutMs`, with the last value). */
export async function until<T>(
  read: () => Promise<T>,
  accept: (v: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (accept(v)) return v;
    if (Date.now() > deadline) throw new Error(`not met within ${timeoutMs} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Waits until the job ends (any final state) and returns it. The deadline catches a hung job, not a slow one: it
 * counts from the job's last visible progress (state, steps done), so a 500-NIC job on a machine at load 25 that
 * keeps moving is waited for (the test's own timeout still bounds it), while one that stalls fails after `stallMs`
 * (90 s: an OVN step of a flake loop's niced run beside a CI at load ~30 went 30 s without visible progress).
 */
export async function waitForJob(engine: Engine, jobId: string, stallMs = 90_000) {
  let deadline = Date.now() + stallMs;
  let seen = '';
  for (;;) {
    const job = await engine.getJob(jobId);
    if (job && ['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
    const now = `${job?.state}:${job?.progressDone}:${job?.steps.length}`;
    if (now !== seen) {
      seen = now;
      deadline = Date.now() + stallMs;
    }
    if (Date.now() > deadline)
      throw new Error(`Job ${jobId} still ${job?.state} with no progress for ${stallMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A VPC with one tier on the offering given (the world's network offering by default), created (not implemented). */
export async function vpcWithTier(
  w: World,
  engine: Engine,
  cidr = '10.1.0.0/16',
  tierCidr = '10.1.1.0/24',
  offeringId = w.networkOfferingId,
  vpcOfferingId = w.vpcOfferingId,
) {
  const vpc = await engine.createVpc(
    { name: 'vpc-a', zoneId: w.zoneId, offeringId: vpcOfferingId, cidr },
    'tester',
  );
  const tier = await engine.createTier({ vpcId: vpc.id, name: 'web', offeringId, cidr: tierCidr }, 'tester');
  return { vpc, tier };
}
