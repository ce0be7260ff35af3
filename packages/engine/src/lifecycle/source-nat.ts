// The VPC's source-NAT address (CloudStack: the VPC's source NAT IP): acquired from the zone's public IP ranges when
// a tier whose offering has SourceNat, StaticNat or Lb (the address of the VPC's gateway) is implemented, kept by the
// VPC across its tiers, released when the VPC is destroyed. Exhaustion fails the implement with CAPACITY_EXHAUSTED
// naming the zone and each range's usage; a zone with no range at all passes no address (see below).
import {
  auditRepo,
  type networksRepo,
  offeringsRepo,
  publicIpsRepo,
  vpcsRepo,
  zonesRepo,
} from '@netplane/db';
import { JobFailure } from '../errors';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from './core';

/**
 * SourceNat translates to the VPC address; StaticNat and Lb need it too, as the address of the VPC's gateway on the
 * public network (a controller routes their public IPs through that gateway).
 */
const needsVpcAddress = (services: Partial<Record<string, unknown>>) =>
  services.SourceNat !== undefined || services.StaticNat !== undefined || services.Lb !== undefined;

/** The address for the tier's implement, or undefined when its offering has none of SourceNat, StaticNat, Lb. */
export async function sourceNatForTier(
  core: EngineCore,
  ctx: JobContext,
  network: networksRepo.NetworkRow,
): Promise<string | undefined> {
  const db = core.deps.db.db;
  const offering = await offeringsRepo.getOffering(db, network.offeringId);
  if (!offering || !needsVpcAddress(offering.serviceProviders)) return undefined;
  const vpc = await vpcsRepo.getVpc(db, network.vpcId);
  if (!vpc) throw new JobFailure('NOT_FOUND', `VPC ${network.vpcId} does not exist`);
  const now = core.deps.now();
  const r = await publicIpsRepo.acquirePublicIp(db, {
    zoneId: vpc.zoneId,
    vpcId: vpc.id,
    purpose: 'SourceNat',
    acquiredBy: ctx.actor,
    now,
  });
  if (r.ok) {
    if (!r.existing)
      await auditRepo.insertAudit(
        db,
        {
          actorId: null,
          actorName: ctx.actor,
          action: 'publicIps.acquire',
          targetType: 'publicIp',
          targetId: r.ip.id,
          before: null,
          after: { ...r.ip, jobId: ctx.job.id, reason: `source NAT of VPC ${vpc.name}` },
        },
        now,
      );
    return r.ip.address;
  }
  // A zone without any public IP range keeps working as before ranges existed: no address is passed, and the
  // adapter uses its own fallback (OVN: the controller's snatExternalIp) or declines SourceNat with its reason.
  if (r.reason === 'NO_RANGE') return undefined;
  const zone = await zonesRepo.getZone(db, vpc.zoneId);
  const zoneName = zone?.name ?? vpc.zoneId;
  const ranges = r.ranges.map((x) => ({ id: x.id, cidr: x.cidr, used: x.used, size: x.size }));
  const message = `No free public IP in zone ${zoneName} for the source-NAT address of VPC ${vpc.name}: ${ranges.map((x) => `range ${x.cidr} ${x.used}/${x.size} used`).join(', ')}`;
  await core.state.transition({
    entity: 'network',
    id: network.id,
    actor: ctx.actor,
    jobId: ctx.job.id,
    fence: { jobId: ctx.job.id, node: ctx.nodeId, token: ctx.token },
    to: 'Error',
    reason: message,
    conditions: [{ type: 'Ready', status: 'False', reason: 'CapacityExhausted', message }],
    error: {
      code: 'CAPACITY_EXHAUSTED',
      category: 'CAPACITY_EXHAUSTED',
      message,
      capacity: { resource: 'publicIp', zone: { id: vpc.zoneId, name: zoneName }, ranges },
    },
  });
  throw new JobFailure('CAPACITY_EXHAUSTED', message, { zoneId: vpc.zoneId, ranges, reason: r.reason });
}

/** Releases every public IP the VPC holds (its source NAT and any acquired by hand), once the VPC is destroyed. */
export async function releaseVpcAddresses(core: EngineCore, ctx: JobContext, vpcId: string): Promise<void> {
  const db = core.deps.db.db;
  for (const ip of await publicIpsRepo.listPublicIpsOfVpc(db, vpcId)) {
    if (!(await publicIpsRepo.deletePublicIp(db, ip.id))) continue; // a replay after a take-over already did
    await auditRepo.insertAudit(
      db,
      {
        actorId: null,
        actorName: ctx.actor,
        action: 'publicIps.release',
        targetType: 'publicIp',
        targetId: ip.id,
        before: ip,
        after: { jobId: ctx.job.id, reason: 'VPC destroyed' },
      },
      core.deps.now(),
    );
  }
}
