// Zone use cases: create, update (compare-and-set), delete (refused while physical networks exist).
import { randomUUID } from 'node:crypto';
import { isUniqueViolation, physicalNetworksRepo, zonesRepo } from '@netplane/db';
import { AppError, type Zone, type ZoneCreateInput, type ZoneUpdateInput } from '@netplane/domain';
import { recordAudit } from '../audit';
import { checkVersion, notFound, type ServiceCtx, staleVersion } from './context';

const nameTaken = (name: string) =>
  new AppError('CONFLICT', `A zone named "${name}" already exists`, { name });

export async function getZone(ctx: ServiceCtx, id: string): Promise<Zone> {
  const zone = await zonesRepo.getZone(ctx.db, id);
  if (!zone) throw notFound('Zone', id);
  return zone;
}

export async function createZone(ctx: ServiceCtx, input: ZoneCreateInput): Promise<Zone> {
  if (await zonesRepo.findZoneByName(ctx.db, input.name)) throw nameTaken(input.name);
  const id = randomUUID();
  try {
    await zonesRepo.insertZone(ctx.db, { id, ...input }, ctx.deps.now());
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken(input.name);
    throw e;
  }
  const zone = await getZone(ctx, id);
  await recordAudit(ctx, 'zones.create', { type: 'zone', id }, null, zone);
  return zone;
}

export async function updateZone(ctx: ServiceCtx, input: ZoneUpdateInput): Promise<Zone> {
  const before = await getZone(ctx, input.id);
  const version = checkVersion('Zone', input.id, before.version, input.version);
  if (input.name !== undefined && input.name !== before.name) {
    const clash = await zonesRepo.findZoneByName(ctx.db, input.name);
    if (clash) throw nameTaken(input.name);
  }
  const { id, version: _v, ...patch } = input;
  let ok: boolean;
  try {
    ok = await zonesRepo.updateZone(ctx.db, id, version, patch, ctx.deps.now());
  } catch (e) {
    if (isUniqueViolation(e) && input.name !== undefined) throw nameTaken(input.name);
    throw e;
  }
  if (!ok) throw staleVersion('Zone', id);
  const after = await getZone(ctx, id);
  await recordAudit(ctx, 'zones.update', { type: 'zone', id }, before, after);
  return after;
}

export async function deleteZone(ctx: ServiceCtx, id: string): Promise<void> {
  const before = await getZone(ctx, id);
  const count = await physicalNetworksRepo.countPhysicalNetworksInZone(ctx.db, id);
  if (count > 0) {
    throw new AppError(
      'IN_USE',
      `Zone "${before.name}" still has ${count} physical network(s); delete them first`,
      {
        physicalNetworks: count,
      },
    );
  }
  await zonesRepo.deleteZone(ctx.db, id);
  await recordAudit(ctx, 'zones.delete', { type: 'zone', id }, before, null);
}
