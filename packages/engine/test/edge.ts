// Test support for static NAT and LB rules: a VPC with one implemented tier that offers StaticNat and Lb, with
// Reserved NICs, on whichever adapter the offerings name (the simulator or OVN).
import { expect } from 'vitest';
import type { Engine } from '../src/index';
import { waitForJob } from './world';

export type EdgeTierOptions = {
  zoneId: string;
  vpcOfferingId: string;
  /** A network offering with StaticNat and Lb. */
  offeringId: string;
  /** Makes the VPC's CIDR 10.<net>.0.0/16 and the public IPs 203.0.<net>.x; one value per tier of a suite. */
  net: number;
  count: number;
  /** The tier's name; web unless given. */
  tierName?: string;
};

/** A VPC with one implemented tier and `count` Reserved NICs (vm0, vm1, ...). */
export async function edgeTier(engine: Engine, o: EdgeTierOptions) {
  const { net } = o;
  const vpc = await engine.createVpc(
    { name: `vpc-${net}`, zoneId: o.zoneId, offeringId: o.vpcOfferingId, cidr: `10.${net}.0.0/16` },
    't',
  );
  const tier = await engine.createTier(
    { vpcId: vpc.id, name: o.tierName ?? 'web', offeringId: o.offeringId, cidr: `10.${net}.1.0/24` },
    't',
  );
  const nics = await implementWithNics(engine, tier.id, o.count);
  return { vpc, tier, nics, publicIp: (host: number) => `203.0.${net}.${host}` };
}

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
  publicIp: string,
  nicIds: readonly string[],
  over: Partial<LbRuleInput> = {},
): LbRuleInput => {
  const publicPort = over.publicPort ?? 80;
  return {
    networkId,
    name,
    publicIp,
    publicPort,
    privatePort: publicPort,
    protocol: 'tcp',
    algorithm: 'roundrobin',
    nicIds,
    ...over,
  };
};
