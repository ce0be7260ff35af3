// Allocation without controller calls for VPCs and tiers: VPC rows, tier rows with a VLAN/VNI from the physical
// network's ranges (segments.ts). NIC rows: allocate.ts.
import { randomUUID } from 'node:crypto';
import {
  networksRepo,
  offeringsRepo,
  physicalNetworksRepo,
  transitionsRepo,
  vpcsRepo,
  zonesRepo,
} from '@netplane/db';
import { AppError, initialConditions, tagsSatisfy } from '@netplane/domain';
import type { EngineCore } from './core';
import { cidrContains, cidrsOverlap, hostAt, parseCidr } from './ipv4';
import { allocateSegment } from './segments';
import { broadcastUriOf } from './specs';

export type CreateVpcInput = { name: string; zoneId: string; offeringId: string; cidr: string };
export type CreateTierInput = {
  vpcId: string;
  name: string;
  offeringId: string;
  cidr: string;
  physicalNetworkId?: string;
};

async function recordCreation(
  core: EngineCore,
  entityType: string,
  id: string,
  actor: string,
  reason: string,
) {
  await transitionsRepo.insertTransition(core.deps.db.db, {
    entityType,
    entityId: id,
    from: 'None',
    to: 'Allocated',
    at: core.deps.now(),
    actor,
    reason,
    jobId: null,
  });
}

export async function createVpc(
  core: EngineCore,
  input: CreateVpcInput,
  actor: string,
): Promise<vpcsRepo.VpcRow> {
  const db = core.deps.db.db;
  if (!(await zonesRepo.getZone(db, input.zoneId)))
    throw new AppError('NOT_FOUND', 'The zone does not exist');
  const offering = await offeringsRepo.getOffering(db, input.offeringId);
  if (offering?.kind !== 'vpc') throw new AppError('BAD_INPUT', 'Choose a VPC offering');
  if (offering.state !== 'Enabled')
    throw new AppError('PRECONDITION_FAILED', `Offering ${offering.name} is disabled`);
  const cidr = parseCidr(input.cidr);
  const now = core.deps.now();
  const row = {
    id: randomUUID(),
    name: input.name,
    zoneId: input.zoneId,
    offeringId: input.offeringId,
    cidr: cidr.text,
    state: 'Allocated',
    conditions: JSON.stringify(initialConditions(now, 'VPC')),
    createdBy: actor,
    createdAt: now,
  };
  await vpcsRepo.insertVpc(db, row);
  await recordCreation(core, 'vpc', row.id, actor, 'VPC created');
  return { ...row, updatedAt: now, version: 1 };
}

export async function createTier(core: EngineCore, input: CreateTierInput, actor: string) {
  const db = core.deps.db.db;
  const vpc = await vpcsRepo.getVpc(db, input.vpcId);
  if (!vpc || vpc.state === 'Destroy') throw new AppError('NOT_FOUND', 'The VPC does not exist');
  if (vpc.state === 'Shutdown') throw new AppError('INVALID_STATE', 'The VPC is being destroyed');
  const offering = await offeringsRepo.getOffering(db, input.offeringId);
  if (offering?.kind !== 'network') throw new AppError('BAD_INPUT', 'Choose a network offering');
  if (offering.state !== 'Enabled')
    throw new AppError('PRECONDITION_FAILED', `Offering ${offering.name} is disabled`);
  const cidr = parseCidr(input.cidr);
  if (!cidrContains(parseCidr(vpc.cidr), cidr)) {
    throw new AppError('BAD_INPUT', `The tier CIDR ${cidr.text} is not inside the VPC CIDR ${vpc.cidr}`);
  }
  for (const other of await networksRepo.listNetworksOfVpc(db, vpc.id)) {
    if (cidrsOverlap(parseCidr(other.cidr), cidr)) {
      throw new AppError(
        'CONFLICT',
        `The tier CIDR ${cidr.text} overlaps tier ${other.name} (${other.cidr})`,
      );
    }
  }
  const candidates = (await physicalNetworksRepo.listPhysicalNetworks(db, vpc.zoneId)).filter(
    (pn) => input.physicalNetworkId === undefined || pn.id === input.physicalNetworkId,
  );
  // Prefer an Enabled physical network that carries the offering's isolation method and tags; when none does, take
  // the closest one and let negotiation explain what is missing (TAG_MISMATCH, ISOLATION_UNSUPPORTED...).
  const carries = (p: (typeof candidates)[number]) => p.isolationMethods.includes(offering.isolationMethod);
  const enabled = candidates.filter((p) => p.state === 'Enabled');
  const pn =
    enabled.find((p) => carries(p) && tagsSatisfy(p.tags, offering.tags)) ??
    enabled.find(carries) ??
    enabled[0] ??
    candidates[0];
  if (!pn) throw new AppError('PRECONDITION_FAILED', 'The VPC zone has no physical network');
  const kind = offering.isolationMethod === 'VLAN' ? 'vlan' : 'vni';
  const ranges = kind === 'vlan' ? pn.vlanRanges : pn.vniRanges;
  const now = core.deps.now();
  const pool = { zoneId: vpc.zoneId, kind, ranges, name: pn.name } as const;
  const row = await allocateSegment(core, pool, async (segmentId) => {
    const r = {
      id: randomUUID(),
      vpcId: vpc.id,
      zoneId: vpc.zoneId,
      name: input.name,
      offeringId: offering.id,
      physicalNetworkId: pn.id,
      cidr: cidr.text,
      gateway: hostAt(cidr, 1),
      isolationMethod: offering.isolationMethod,
      segmentKind: kind,
      segmentId,
      broadcastUri: broadcastUriOf(offering.isolationMethod, segmentId),
      state: 'Allocated',
      conditions: JSON.stringify(initialConditions(now, 'tier')),
      createdAt: now,
    };
    await networksRepo.insertNetwork(db, r);
    return r;
  });
  await recordCreation(core, 'network', row.id, actor, `Tier created on ${pn.name} with ${row.broadcastUri}`);
  return { ...row, updatedAt: now, version: 1 };
}
