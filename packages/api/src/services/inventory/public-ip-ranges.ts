// Public IP ranges of a zone's Public traffic. The overlap check and the insert run in one transaction that first
// writes the zone row, so concurrent creates in one zone are serialised (row lock on MariaDB, one writer on SQLite),
// as physical-network ranges are.
import { randomUUID } from 'node:crypto';
import { type Db, physicalNetworksRepo, publicIpsRepo, zonesRepo } from '@netplane/db';
import {
  AppError,
  intToIpv4,
  ipv4ToInt,
  type PublicIpRange,
  type PublicIpRangeCreateInput,
  rangeOverlap,
  spanOf,
  vlanLabel,
} from '@netplane/domain';
import { recordAudit } from '../audit';
import { notFound, type ServiceCtx } from './context';

async function lockZone(db: Db, zoneId: string): Promise<void> {
  await db
    .updateTable('zones')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', zoneId)
    .execute();
}

const toView = (r: publicIpsRepo.RangeWithUsage): PublicIpRange => ({
  id: r.id,
  zoneId: r.zoneId,
  physicalNetworkId: r.physicalNetworkId,
  cidr: r.cidr,
  gateway: r.gateway,
  vlan: r.vlan,
  startIp: r.startIp,
  endIp: r.endIp,
  size: r.size,
  used: r.used,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  version: r.version,
});

/** The physical network that carries the zone's Public traffic: the one named, or the zone's only one. */
async function publicNetworkOf(db: Db, zoneId: string, wanted: string | undefined): Promise<string> {
  const pns = await physicalNetworksRepo.listPhysicalNetworks(db, zoneId);
  const carrying = pns.filter((pn) => pn.trafficTypes.some((t) => t.type === 'Public'));
  if (wanted !== undefined) {
    const pn = pns.find((p) => p.id === wanted);
    if (!pn) throw notFound('Physical network', wanted);
    if (!carrying.includes(pn))
      throw new AppError(
        'PRECONDITION_FAILED',
        `Physical network ${pn.name} does not carry Public traffic; add the Public traffic type to it first`,
        { physicalNetworkId: pn.id, reason: 'NO_PUBLIC_TRAFFIC' },
      );
    return pn.id;
  }
  const [only, ...more] = carrying;
  if (!only)
    throw new AppError(
      'PRECONDITION_FAILED',
      'No physical network of this zone carries Public traffic; add the Public traffic type to one first',
      { zoneId, reason: 'NO_PUBLIC_TRAFFIC' },
    );
  if (more.length > 0)
    throw new AppError(
      'BAD_INPUT',
      `Several physical networks carry Public traffic (${carrying.map((p) => p.name).join(', ')}); choose one with physicalNetworkId`,
      { field: 'physicalNetworkId' },
    );
  return only.id;
}

export async function listRanges(ctx: Pick<ServiceCtx, 'db'>, zoneId: string): Promise<PublicIpRange[]> {
  if (!(await zonesRepo.getZone(ctx.db, zoneId))) throw notFound('Zone', zoneId);
  return (await publicIpsRepo.listRangesWithUsage(ctx.db, zoneId)).map(toView);
}

async function getRangeView(db: Db, id: string): Promise<PublicIpRange> {
  const r = await publicIpsRepo.getRange(db, id);
  if (!r) throw notFound('Public IP range', id);
  const withUsage = (await publicIpsRepo.listRangesWithUsage(db, r.zoneId)).find((x) => x.id === id);
  if (!withUsage) throw notFound('Public IP range', id);
  return toView(withUsage);
}

export async function createRange(ctx: ServiceCtx, input: PublicIpRangeCreateInput): Promise<PublicIpRange> {
  if (!(await zonesRepo.getZone(ctx.db, input.zoneId))) throw notFound('Zone', input.zoneId);
  const physicalNetworkId = await publicNetworkOf(ctx.db, input.zoneId, input.physicalNetworkId);
  const span = spanOf(input);
  if (!span) throw new AppError('BAD_INPUT', 'cidr or gateway is not valid', { field: 'cidr' });
  const candidate = {
    cidr: input.cidr,
    gateway: input.gateway,
    vlan: input.vlan,
    startIp: intToIpv4(span.first),
    endIp: intToIpv4(span.last),
  };
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await lockZone(trx, input.zoneId);
    const conflicts = (await publicIpsRepo.listRangesOfZone(trx, input.zoneId)).flatMap((other) => {
      const why = rangeOverlap(candidate, other);
      return why ? [{ rangeId: other.id, cidr: other.cidr, vlan: other.vlan, reason: why }] : [];
    });
    if (conflicts.length > 0)
      throw new AppError(
        'RANGE_OVERLAP',
        `Public IP range ${candidate.cidr} (${vlanLabel(input.vlan)}) conflicts with this zone: ${conflicts.map((c) => c.reason).join('; ')}`,
        { conflicts },
      );
    await publicIpsRepo.insertRange(
      trx,
      {
        id,
        zoneId: input.zoneId,
        physicalNetworkId,
        ...candidate,
        startNum: span.first,
        endNum: span.last,
        gatewayNum: ipv4ToInt(input.gateway) ?? 0,
      },
      ctx.deps.now(),
    );
  });
  const view = await getRangeView(ctx.db, id);
  await recordAudit(ctx, 'publicIpRanges.create', { type: 'publicIpRange', id }, null, view);
  return view;
}

const inUse = (range: PublicIpRange, n: number) =>
  new AppError(
    'IN_USE',
    `Public IP range ${range.cidr} still has ${n} acquired address(es); release them first`,
    { acquired: n },
  );

export async function deleteRange(ctx: ServiceCtx, id: string): Promise<void> {
  const before = await getRangeView(ctx.db, id);
  if (before.used > 0) throw inUse(before, before.used);
  try {
    await publicIpsRepo.deleteRange(ctx.db, id);
  } catch (e) {
    // An acquire committed between the count and the delete: the foreign key refused the delete.
    if (publicIpsRepo.isReferencedRowViolation(e))
      throw inUse(before, await publicIpsRepo.countAddressesOfRange(ctx.db, id));
    throw e;
  }
  await recordAudit(ctx, 'publicIpRanges.delete', { type: 'publicIpRange', id }, before, null);
}
