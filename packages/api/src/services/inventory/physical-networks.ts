// Physical network use cases. Range overlap across the zone is checked inside a transaction that first writes the
// zone row, so two concurrent creates in one zone are serialised on MySQL (row lock) and on SQLite (one writer).
import { randomUUID } from 'node:crypto';
import {
  type Db,
  isUniqueViolation,
  physicalNetworksRepo,
  providersRepo,
  publicIpsRepo,
  zonesRepo,
} from '@netplane/db';
import {
  AppError,
  describeRangeConflict,
  type EnableState,
  findRangeConflicts,
  type KindedRange,
  type PhysicalNetwork,
  type PhysicalNetworkCreateInput,
  type PhysicalNetworkUpdateInput,
  RANGE_BOUNDS,
  rangeIsolationProblems,
  toKindedRanges,
} from '@netplane/domain';
import { recordAudit } from '../audit';
import { checkVersion, notFound, type ServiceCtx, staleVersion } from './context';

const nameTaken = (name: string) =>
  new AppError('CONFLICT', `A physical network named "${name}" already exists in this zone`, { name });

export async function getPhysicalNetwork(ctx: Pick<ServiceCtx, 'db'>, id: string): Promise<PhysicalNetwork> {
  const pn = await physicalNetworksRepo.getPhysicalNetwork(ctx.db, id);
  if (!pn) throw notFound('Physical network', id);
  return pn;
}

async function lockZone(db: Db, zoneId: string): Promise<void> {
  await db
    .updateTable('zones')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', zoneId)
    .execute();
}

async function assertNoOverlap(db: Db, zoneId: string, selfId: string | null, ranges: KindedRange[]) {
  const others = (await physicalNetworksRepo.listPhysicalNetworks(db, zoneId))
    .filter((pn) => pn.id !== selfId)
    .map((pn) => ({ physicalNetworkId: pn.id, name: pn.name, ranges: toKindedRanges(pn) }));
  const conflicts = findRangeConflicts(ranges, others);
  if (conflicts.length > 0) {
    throw new AppError('RANGE_OVERLAP', conflicts.map(describeRangeConflict).join('; '), { conflicts });
  }
}

function assertRangesMatchIsolation(v: Parameters<typeof rangeIsolationProblems>[0]) {
  const problems = rangeIsolationProblems(v);
  if (problems.length > 0) {
    throw new AppError('BAD_INPUT', problems.map((p) => p.message).join('; '), { problems });
  }
}

export async function createPhysicalNetwork(
  ctx: ServiceCtx,
  input: PhysicalNetworkCreateInput,
): Promise<PhysicalNetwork> {
  const zone = await zonesRepo.getZone(ctx.db, input.zoneId);
  if (!zone) throw notFound('Zone', input.zoneId);
  assertRangesMatchIsolation(input);
  const id = randomUUID();
  const ranges = toKindedRanges(input);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await lockZone(trx, input.zoneId);
      await assertNoOverlap(trx, input.zoneId, null, ranges);
      const { zoneId, vlanRanges: _a, vniRanges: _b, ...fields } = input;
      await physicalNetworksRepo.insertPhysicalNetwork(
        trx,
        { id, zoneId, ...fields, ranges },
        ctx.deps.now(),
      );
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken(input.name);
    throw e;
  }
  const pn = await getPhysicalNetwork(ctx, id);
  await recordAudit(ctx, 'physicalNetworks.create', { type: 'physicalNetwork', id }, null, pn);
  return pn;
}

/** A range may only shrink or disappear when none of the ids it loses is allocated to a network. */
async function assertUsedIdsKept(db: Db, pnId: string, ranges: KindedRange[]) {
  const used = await physicalNetworksRepo.usedSegmentIds(db, pnId);
  const lost = used.filter((u) => !ranges.some((r) => r.kind === u.kind && r.start <= u.id && u.id <= r.end));
  if (lost.length > 0) {
    const list = lost.map((u) => `${RANGE_BOUNDS[u.kind].label} ${u.id}`).join(', ');
    throw new AppError('IN_USE', `The new ranges drop ids still used by networks: ${list}`, { lost });
  }
}

export async function updatePhysicalNetwork(
  ctx: ServiceCtx,
  input: PhysicalNetworkUpdateInput,
): Promise<PhysicalNetwork> {
  const before = await getPhysicalNetwork(ctx, input.id);
  const version = checkVersion('Physical network', input.id, before.version, input.version);
  const merged = {
    isolationMethods: input.isolationMethods ?? before.isolationMethods,
    vlanRanges: input.vlanRanges ?? before.vlanRanges,
    vniRanges: input.vniRanges ?? before.vniRanges,
  };
  assertRangesMatchIsolation(merged);
  if (input.trafficTypes !== undefined && !input.trafficTypes.some((t) => t.type === 'Public'))
    await assertNoPublicRanges(ctx.db, before.name, before.id, 'left without Public traffic');
  const ranges = toKindedRanges(merged);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await lockZone(trx, before.zoneId);
      await assertNoOverlap(trx, before.zoneId, before.id, ranges);
      await assertUsedIdsKept(trx, before.id, ranges);
      const ok = await physicalNetworksRepo.updatePhysicalNetwork(
        trx,
        before.id,
        version,
        {
          ...(input.name !== undefined && { name: input.name }),
          ...(input.tags !== undefined && { tags: input.tags }),
          ...(input.trafficTypes !== undefined && { trafficTypes: input.trafficTypes }),
          ...(input.mtu !== undefined && { mtu: input.mtu }),
          isolationMethods: merged.isolationMethods,
          ranges,
        },
        ctx.deps.now(),
      );
      if (!ok) throw staleVersion('Physical network', before.id);
    });
  } catch (e) {
    if (isUniqueViolation(e) && input.name !== undefined) throw nameTaken(input.name);
    throw e;
  }
  const after = await getPhysicalNetwork(ctx, before.id);
  await recordAudit(
    ctx,
    'physicalNetworks.update',
    { type: 'physicalNetwork', id: before.id },
    before,
    after,
  );
  return after;
}

export async function setPhysicalNetworkState(ctx: ServiceCtx, id: string, state: EnableState) {
  const before = await getPhysicalNetwork(ctx, id);
  if (before.state === state) return before;
  const ok = await physicalNetworksRepo.updatePhysicalNetwork(
    ctx.db,
    id,
    before.version,
    { state },
    ctx.deps.now(),
  );
  if (!ok) throw staleVersion('Physical network', id);
  const after = await getPhysicalNetwork(ctx, id);
  await recordAudit(ctx, 'physicalNetworks.setState', { type: 'physicalNetwork', id }, before, after);
  return after;
}

/** Public IP ranges hang off the network carrying Public traffic: it keeps that traffic (and exists) while they do. */
async function assertNoPublicRanges(db: Db, name: string, id: string, what: string): Promise<void> {
  const ranges = await publicIpsRepo.countRangesOfPhysicalNetwork(db, id);
  if (ranges > 0)
    throw new AppError(
      'IN_USE',
      `Physical network "${name}" still has ${ranges} public IP range(s) and cannot be ${what}; delete them first`,
      { publicIpRanges: ranges },
    );
}

export async function deletePhysicalNetwork(ctx: ServiceCtx, id: string): Promise<void> {
  const before = await getPhysicalNetwork(ctx, id);
  const providers = await providersRepo.countProvidersOnPhysicalNetwork(ctx.db, id);
  if (providers > 0) {
    throw new AppError(
      'IN_USE',
      `Physical network "${before.name}" still has ${providers} provider(s); delete them first`,
      {
        providers,
      },
    );
  }
  await assertNoPublicRanges(ctx.db, before.name, id, 'deleted');
  await physicalNetworksRepo.deletePhysicalNetwork(ctx.db, id);
  await recordAudit(ctx, 'physicalNetworks.delete', { type: 'physicalNetwork', id }, before, null);
}

/** Per range: its size and how many ids networks use (the engine fills the allocations; see usedSegmentIds). */
export async function rangeUsage(ctx: ServiceCtx, id: string) {
  const pn = await getPhysicalNetwork(ctx, id);
  const used = await physicalNetworksRepo.usedSegmentIds(ctx.db, id);
  return toKindedRanges(pn).map((r) => ({
    ...r,
    size: r.end - r.start + 1,
    used: used.filter((u) => u.kind === r.kind && r.start <= u.id && u.id <= r.end).length,
  }));
}
