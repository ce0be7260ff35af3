// publicIps use cases (CloudStack's associateIpAddress / disassociateIpAddress): a VPC acquires a free address of
// its zone's public IP ranges and releases it. The VPC's source-NAT address is the engine's (acquired at implement,
// released at destroy), so releasing it by hand is refused, as CloudStack refuses it.
import { publicIpsRepo, publicIpUseRepo, vpcsRepo } from '@netplane/db';
import { AppError, type PublicIpView, vlanLabel } from '@netplane/domain';
import type { Context } from '../context';
import { recordAudit } from './audit';
import { actorOf } from './engine';
import { notFound } from './inventory/context';

type Ctx = Pick<Context, 'db' | 'user' | 'deps'>;

export const toPublicIpView = (r: publicIpsRepo.PublicIpListed): PublicIpView => ({
  id: r.id,
  zoneId: r.zoneId,
  rangeId: r.rangeId,
  vpcId: r.vpcId,
  address: r.address,
  gateway: r.gateway,
  vlan: r.vlan,
  purpose: r.purpose,
  acquiredBy: r.acquiredBy,
  acquiredAt: r.acquiredAt,
});

async function viewOf(ctx: Ctx, ip: publicIpsRepo.PublicIpRow): Promise<PublicIpView> {
  const range = await publicIpsRepo.getRange(ctx.db, ip.rangeId);
  return toPublicIpView({ ...ip, gateway: range?.gateway ?? '', vlan: range?.vlan ?? null });
}

export async function acquirePublicIp(
  ctx: Ctx,
  input: { vpcId: string; rangeId?: string | undefined },
): Promise<PublicIpView> {
  const vpc = await vpcsRepo.getVpc(ctx.db, input.vpcId);
  if (!vpc || vpc.state === 'Destroy') throw notFound('VPC', input.vpcId);
  if (vpc.state === 'Shutdown')
    throw new AppError('INVALID_STATE', `VPC ${vpc.name} is being destroyed`, { state: vpc.state });
  if (input.rangeId !== undefined) {
    const range = await publicIpsRepo.getRange(ctx.db, input.rangeId);
    if (!range || range.zoneId !== vpc.zoneId) throw notFound('Public IP range', input.rangeId);
  }
  const r = await publicIpsRepo.acquirePublicIp(ctx.db, {
    zoneId: vpc.zoneId,
    vpcId: vpc.id,
    purpose: 'User',
    acquiredBy: actorOf(ctx),
    ...(input.rangeId !== undefined && { rangeId: input.rangeId }),
    now: ctx.deps.now(),
  });
  if (!r.ok) {
    const ranges = r.ranges.map((x) => `${x.cidr} (${vlanLabel(x.vlan)}, ${x.used}/${x.size} used)`);
    throw new AppError(
      'PRECONDITION_FAILED',
      r.reason === 'NO_RANGE'
        ? `The zone of VPC ${vpc.name} has no public IP range${input.rangeId ? ' by that id' : ''}; an admin adds one first`
        : `No free public IP left in the zone of VPC ${vpc.name}: ${ranges.join(', ')}`,
      {
        reason: r.reason === 'NO_RANGE' ? 'NO_PUBLIC_IP_RANGE' : 'PUBLIC_IP_EXHAUSTED',
        ranges: r.ranges.map((x) => x.id),
      },
    );
  }
  const view = await viewOf(ctx, r.ip);
  await recordAudit(ctx, 'publicIps.acquire', { type: 'publicIp', id: r.ip.id }, null, view);
  return view;
}

export async function releasePublicIp(ctx: Ctx, id: string): Promise<void> {
  const ip = await publicIpsRepo.getPublicIp(ctx.db, id);
  if (!ip) throw notFound('Public IP', id);
  if (ip.purpose === 'SourceNat')
    throw new AppError(
      'PRECONDITION_FAILED',
      `${ip.address} is the source-NAT address of its VPC; it is released when the VPC is destroyed`,
      { reason: 'SOURCE_NAT' },
    );
  const users = await publicIpUseRepo.addressUse(ctx.db, ip.id);
  if (users.length > 0) throw inUse(ip, users);
  const before = await viewOf(ctx, ip);
  try {
    if (!(await publicIpsRepo.deletePublicIp(ctx.db, id))) throw notFound('Public IP', id);
  } catch (e) {
    // A rule took the address between the check and the delete: its public_ip_id still references the row.
    if (!publicIpsRepo.isReferencedRowViolation(e)) throw e;
    throw inUse(ip, await publicIpUseRepo.addressUse(ctx.db, ip.id));
  }
  await recordAudit(ctx, 'publicIps.release', { type: 'publicIp', id }, before, null);
}

function inUse(ip: publicIpsRepo.PublicIpRow, users: readonly publicIpUseRepo.AddressUser[]): AppError {
  const names = users.map((u) => u.label);
  return new AppError(
    'IN_USE',
    `${ip.address} is used by ${names.join(', ') || 'a rule'}; remove ${users.length === 1 ? 'it' : 'them'} first`,
    { rules: users.map((u) => ({ kind: u.kind, id: u.id })) },
  );
}
