// Test support for static NAT and LB rules: a VPC with one implemented tier that offers StaticNat and Lb, with
// Reserved NICs, on whichever adapter the offerings name (the simulator or OVN).
import { randomUUID } from 'node:crypto';
import { type Db, publicIpsRepo } from '@netplane/db';
import { ipv4ToInt, type Service } from '@netplane/domain';
import { expect } from 'vitest';
import type { Drift, Engine } from '../src/index';
import type { OvnWorld } from './ovn-world';
import { vpcWithTier, type World, waitForJob } from './world';

/** A tier offering every kind of public-service rule (static NAT, LB, port forwarding) on top of its basics. */
export const RULE_SERVICES: Service[] = [
  'Connectivity',
  'Dhcp',
  'SourceNat',
  'StaticNat',
  'Lb',
  'PortForwarding',
];

export type EdgeTierOptions = {
  zoneId: string;
  vpcOfferingId: string;
  /** A network offering with StaticNat and Lb. */
  offeringId: string;
  /** Makes the VPC's CIDR 10.<net>.0.0/16 and its public IP range 203.0.<net>.10-250; one value per tier of a suite. */
  net: number;
  /** Where the public IP range goes (rules take acquired addresses); without it the tier has no `acquire`. */
  publicIps?: { db: Db; physicalNetworkId: string };
  count: number;
  /** The tier's name; web unless given. */
  tierName?: string;
};

/**
 * A VPC with one implemented tier and `count` Reserved NICs (vm0, vm1, ...). With `publicIps`, a range 203.0.<net>.10-250
 * of the zone is added first (so the tier's implement may take its source-NAT address from the zone's ranges) and
 * `acquire()` takes the next free address of that range for the VPC, as publicIps.acquire does.
 */
export async function edgeTier(engine: Engine, o: EdgeTierOptions) {
  const { net } = o;
  const rangeId = o.publicIps ? await addRange(o.publicIps, o.zoneId, net) : undefined;
  const vpc = await engine.createVpc(
    { name: `vpc-${net}`, zoneId: o.zoneId, offeringId: o.vpcOfferingId, cidr: `10.${net}.0.0/16` },
    't',
  );
  const tier = await engine.createTier(
    { vpcId: vpc.id, name: o.tierName ?? 'web', offeringId: o.offeringId, cidr: `10.${net}.1.0/24` },
    't',
  );
  const nics = await implementWithNics(engine, tier.id, o.count);
  const acquire = async (): Promise<{ id: string; address: string }> => {
    if (!o.publicIps || rangeId === undefined) throw new Error('edgeTier was given no publicIps');
    const r = await publicIpsRepo.acquirePublicIp(o.publicIps.db, {
      zoneId: o.zoneId,
      vpcId: vpc.id,
      purpose: 'User',
      acquiredBy: 't',
      rangeId,
      now: Date.now(),
    });
    if (!r.ok) throw new Error(`no public IP: ${r.reason}`);
    return { id: r.ip.id, address: r.ip.address };
  };
  return { vpc, tier, nics, acquire };
}

/** edgeTier in a test World: its zone, its VPC offering, and its physical network for the public IP range. */
export const worldEdgeTier = (
  w: World,
  engine: Engine,
  o: Pick<EdgeTierOptions, 'offeringId' | 'net' | 'count' | 'tierName'>,
) =>
  edgeTier(engine, {
    zoneId: w.zoneId,
    vpcOfferingId: w.vpcOfferingId,
    publicIps: { db: w.db.db, physicalNetworkId: w.physicalNetworkId },
    ...o,
  });

/** Adds the public IP range 203.0.<net>.10-250 (gateway .1) to the zone; returns its id. */
export async function addRange(p: { db: Db; physicalNetworkId: string }, zoneId: string, net: number) {
  const id = randomUUID();
  const [gateway, startIp, endIp] = [1, 10, 250].map((h) => `203.0.${net}.${h}`) as [string, string, string];
  await publicIpsRepo.insertRange(
    p.db,
    {
      id,
      zoneId,
      physicalNetworkId: p.physicalNetworkId,
      cidr: `203.0.${net}.0/24`,
      gateway,
      vlan: null,
      startIp,
      endIp,
      startNum: ipv4ToInt(startIp) ?? 0,
      endNum: ipv4ToInt(endIp) ?? 0,
      gatewayNum: ipv4ToInt(gateway) ?? 0,
    },
    Date.now(),
  );
  return id;
}

/** edgeTier on an OVN world's offering (10.<net>, `count` NICs), with public IPs to acquire from its zone. */
export const ovnEdgeTier = (ovn: OvnWorld, net: number, count: number) =>
  edgeTier(ovn.engine, {
    zoneId: ovn.w.zoneId,
    vpcOfferingId: ovn.vpcOfferingId,
    offeringId: ovn.offeringId,
    net,
    count,
    publicIps: { db: ovn.w.db.db, physicalNetworkId: ovn.w.physicalNetworkId },
  });

/** Implements the tier and prepares `count` NICs on it (vm0, vm1, ...), both jobs succeeding; returns the NICs. */
export async function implementWithNics(engine: Engine, tierId: string, count: number) {
  expect((await waitForJob(engine, (await engine.implementTier(tierId, 't')).jobId)).state).toBe('succeeded');
  const prepared = await engine.prepareNics(
    tierId,
    Array.from({ length: count }, (_, i) => ({ vmName: `vm${i}` })),
    't',
  );
  expect((await waitForJob(engine, prepared.jobId)).state).toBe('succeeded');
  return prepared.nics;
}

/**
 * An implemented VPC 10.<net>.0.0/16 with one tier 10.<net>.1.0/24 and `count` Reserved NICs, Synced=True by a first
 * reconcile (the drift tests' starting point).
 */
export async function syncedVpc(w: World, engine: Engine, net: number, count: number) {
  const { vpc, tier } = await vpcWithTier(w, engine, `10.${net}.0.0/16`, `10.${net}.1.0/24`);
  const nics = await implementWithNics(engine, tier.id, count);
  await waitForJob(engine, (await engine.reconcile(vpc.id, 't')).jobId);
  return { vpc, tier, nics };
}

/** "<phase>:<target type>:<outcome>" of a job's calls, oldest first. */
export const phasesOf = async (engine: Engine, jobId: string) =>
  (await engine.listCalls({ jobId }))
    .sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id))
    .map((c) => `${c.phase}:${c.targetType}:${c.outcome}`);

type LbRuleInput = Parameters<Engine['createLbRule']>[0];

/** An LB rule on the tier: port 80 to the same private port, tcp, roundrobin unless `over` says otherwise. */
export const lbRule = (
  networkId: string,
  name: string,
  publicIpId: string,
  nicIds: readonly string[],
  over: Partial<LbRuleInput> = {},
): LbRuleInput => {
  const publicPort = over.publicPort ?? 80;
  return {
    networkId,
    name,
    publicIpId,
    publicPort,
    privatePort: publicPort,
    protocol: 'tcp',
    algorithm: 'roundrobin',
    nicIds,
    ...over,
  };
};

/** Runs a reconcile of the VPC to its end; returns the drift it found. */
export async function reconcileDrift(engine: Engine, vpcId: string): Promise<Drift[]> {
  const job = await waitForJob(engine, (await engine.reconcile(vpcId, 't')).jobId);
  return (job.result as { drift: Drift[] }).drift;
}
