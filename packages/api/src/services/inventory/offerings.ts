// Offering use cases: validate against the adapters' manifests and the registered providers, then store.
import { randomUUID } from 'node:crypto';
import { isUniqueViolation, offeringsRepo } from '@netplane/db';
import {
  AppError,
  type Offering,
  type OfferingDraft,
  type OfferingKind,
  type OfferingProblem,
  validateOffering,
} from '@netplane/domain';
import { recordAudit } from '../audit';
import { manifestViews } from './adapters';
import { providerViews } from './capabilities';
import { notFound, type ServiceCtx } from './context';

export async function checkOffering(ctx: ServiceCtx, draft: OfferingDraft): Promise<OfferingProblem[]> {
  return validateOffering(draft, { manifests: manifestViews(ctx.deps), providers: await providerViews(ctx) });
}

export async function getOffering(ctx: Pick<ServiceCtx, 'db'>, id: string): Promise<Offering> {
  const o = await offeringsRepo.getOffering(ctx.db, id);
  if (!o) throw notFound('Offering', id);
  return o;
}

export const listOfferings = (ctx: Pick<ServiceCtx, 'db'>, kind?: OfferingKind) =>
  offeringsRepo.listOfferings(ctx.db, kind);

export async function createOffering(ctx: ServiceCtx, draft: OfferingDraft): Promise<Offering> {
  const problems = await checkOffering(ctx, draft);
  if (problems.length > 0) {
    throw new AppError(
      'OFFERING_INVALID',
      `Offering "${draft.name}" is invalid: ${problems.map((p) => p.message).join('; ')}`,
      {
        problems,
      },
    );
  }
  const id = randomUUID();
  const nameTaken = new AppError('CONFLICT', `An offering named "${draft.name}" already exists`, {
    name: draft.name,
  });
  if ((await offeringsRepo.listOfferings(ctx.db)).some((o) => o.name === draft.name)) throw nameTaken;
  try {
    await offeringsRepo.insertOffering(ctx.db, { id, ...draft, state: 'Enabled' }, ctx.deps.now());
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken;
    throw e;
  }
  const offering = await getOffering(ctx, id);
  await recordAudit(ctx, 'offerings.create', { type: 'offering', id }, null, offering);
  return offering;
}

export async function deleteOffering(ctx: ServiceCtx, id: string): Promise<void> {
  const before = await getOffering(ctx, id);
  // VPCs and tiers keep a reference to their offering (even destroyed ones, for their history).
  const users = await offeringsRepo.countOfferingUsers(ctx.db, id);
  if (users > 0) {
    throw new AppError(
      'IN_USE',
      `${users} VPC(s) or tier(s) were created from this offering; it cannot be deleted`,
    );
  }
  await offeringsRepo.deleteOffering(ctx.db, id);
  await recordAudit(ctx, 'offerings.delete', { type: 'offering', id }, before, null);
}
