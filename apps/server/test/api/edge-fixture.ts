// What the public-service API suites share (public-services.test.ts, rule-addresses.test.ts): a zone with a simulator
// provider giving SourceNat, StaticNat and Lb (Lb narrowed to round robin), a public IP range 198.51.100.10-250,
// the offerings, and implemented tiers with Reserved NICs; `failure` reads a refusal's codes and reason.
import { randomUUID } from 'node:crypto';
import { SimulatorHub } from '@netplane/adapter-simulator';
import { type DialectName, publicIpsRepo } from '@netplane/db';
import { ipv4ToInt } from '@netplane/domain';
import { expect } from 'vitest';
import {
  insertOffering,
  insertSimulatorProvider,
  insertZone,
} from '../../../../packages/api/test/fixtures/inventory';
import { makeTestDeps, simulatorRegistration, type TestDeps, waitDone } from './fixtures';

// A job here fails the wait after 30 s without progress (twice the fixture's default): edge services add steps to
// every tier and NIC job. It was 1200, a poll count from when waitDone counted polls: read as milliseconds of stall, a
// machine at load ~30 failed jobs that were merely slow.
export const STALL_MS = 30_000;

/** The AppError behind a TRPCError: its code and details (reason...). */
export async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    const err = e as {
      code?: string;
      message?: string;
      cause?: { code?: string; details?: { reason?: string } };
    };
    return {
      code: err.code,
      appCode: err.cause?.code,
      reason: err.cause?.details?.reason,
      message: err.message,
    };
  }
  throw new Error('expected the call to fail');
}

export type EdgeApi = {
  t: TestDeps;
  hub: SimulatorHub;
  zoneId: string;
  controllerId: string;
  vpcOfferingId: string;
  natLbOfferingId: string;
  plainOfferingId: string;
};

/** The deps with their engine started; stop with `stopEdgeApi`. */
export async function startEdgeApi(dialect: DialectName, hubName: string): Promise<EdgeApi> {
  const hub = new SimulatorHub(hubName);
  const t = await makeTestDeps(dialect, {
    adapters: [simulatorRegistration(hub)],
    engineOptions: { pollMs: 20, heartbeatMs: 200, leaseMs: 2000 },
  });
  const db = t.db.db;
  const now = Date.now();
  const zoneId = await insertZone(db, { name: 'z-ps', now });
  const { controllerId } = await insertSimulatorProvider(db, t.keyring, {
    zoneId,
    vlan: { start: 400, end: 420 },
    providerName: 'sim-edge',
    enabledServices: ['Connectivity', 'Dhcp', 'SourceNat', 'StaticNat', 'Lb'],
    // The admin narrowed the simulator's Lb algorithms to round robin.
    capabilityOverrides: { Lb: { SupportedLbAlgorithms: ['roundrobin'] } },
    password: 'canary-pw-ps',
    now,
  });
  const offering = (kind: string, name: string, serviceProviders: Record<string, string>) =>
    insertOffering(db, { name, kind, serviceProviders, now });
  const base = { Connectivity: 'simulator', Dhcp: 'simulator' };
  const vpcOfferingId = await offering('vpc', 'vpc-o', base);
  const natLbOfferingId = await offering('network', 'edge-tier', {
    ...base,
    SourceNat: 'simulator',
    StaticNat: 'simulator',
    Lb: 'simulator',
  });
  const plainOfferingId = await offering('network', 'plain-tier', base);
  // The zone's public IP range: source-NAT addresses at implement and the addresses rules take come from it.
  const pn = await db
    .selectFrom('physical_networks')
    .select('id')
    .where('zone_id', '=', zoneId)
    .executeTakeFirst();
  const [gateway, startIp, endIp] = ['198.51.100.1', '198.51.100.10', '198.51.100.250'];
  await publicIpsRepo.insertRange(
    db,
    {
      id: randomUUID(),
      zoneId,
      physicalNetworkId: pn?.id ?? '',
      cidr: '198.51.100.0/24',
      gateway,
      vlan: null,
      startIp,
      endIp,
      startNum: ipv4ToInt(startIp) ?? 0,
      endNum: ipv4ToInt(endIp) ?? 0,
      gatewayNum: ipv4ToInt(gateway) ?? 0,
    },
    now,
  );
  await t.deps.engine.start();
  return { t, hub, zoneId, controllerId, vpcOfferingId, natLbOfferingId, plainOfferingId };
}

export async function stopEdgeApi(e: EdgeApi | undefined): Promise<void> {
  if (!e) return;
  await e.t.deps.engine.stop();
  await e.t.cleanup();
}

export async function tierWithNics(e: EdgeApi, cidr: string, offeringId: string, count: number) {
  const { t, zoneId, vpcOfferingId } = e;
  const op = t.callerAs('operator');
  const vpc = await op.vpcs.create({
    name: `v-${randomUUID().slice(0, 6)}`,
    zoneId,
    offeringId: vpcOfferingId,
    cidr: `${cidr}.0.0/16`,
  });
  const tier = await op.tiers.create({ vpcId: vpc.id, name: 'web', offeringId, cidr: `${cidr}.1.0/24` });
  expect((await waitDone(t, (await op.tiers.implement({ id: tier.id })).jobId, STALL_MS)).state).toBe(
    'succeeded',
  );
  const prepared = await op.nics.prepareBulk({
    tierId: tier.id,
    nics: Array.from({ length: count }, (_, i) => ({ vmName: `vm${i}` })),
  });
  expect((await waitDone(t, prepared.jobId, STALL_MS)).state).toBe('succeeded');
  return { vpc, tier, nics: prepared.nics };
}
