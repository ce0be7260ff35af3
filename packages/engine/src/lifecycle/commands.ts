// The lifecycle commands behind Engine.createVpc / createTier / implementTier / ... / reconcile / repair: the checks
// that need the database, then the job (or the existing one when the same job is already queued or running).
import { jobsRepo, networksRepo, nicsRepo, vpcsRepo } from '@netplane/db';
import { AppError } from '@netplane/domain';
import type { JobKind, JobRef, SubmitJob } from '../jobs/kinds';
import { type NicView, nicView, type TierView, tierViews, type VpcView, vpcView } from '../views';
import { allocateNics, type NicRequest } from './allocate';
import type { EngineCore } from './core';
import { type CreateTierInput, type CreateVpcInput, createTier, createVpc } from './create';
import { reconcileSweep } from './reconcile-sweep';

const dbOf = (core: EngineCore) => core.deps.db.db;

export async function createVpcCommand(
  core: EngineCore,
  input: CreateVpcInput,
  actor: string,
): Promise<VpcView> {
  return vpcView(await createVpc(core, input, actor));
}

export async function createTierCommand(
  core: EngineCore,
  input: CreateTierInput,
  actor: string,
): Promise<TierView> {
  const row = await createTier(core, input, actor);
  const [view] = await tierViews(dbOf(core), [row]);
  return view as TierView;
}

export type TierJobKind = 'network.implement' | 'network.shutdown' | 'network.destroy';

/** Implement, shut down or destroy a tier: the running job of that kind, or a new one when the tier is idle. */
export async function tierJob(
  core: EngineCore,
  submit: SubmitJob,
  kind: TierJobKind,
  tierId: string,
  actor: string,
): Promise<JobRef> {
  const db = dbOf(core);
  const tier = await networksRepo.getNetwork(db, tierId);
  if (!tier || tier.state === 'Destroy') throw new AppError('NOT_FOUND', 'The tier does not exist');
  const active = await jobsRepo.activeJobsOn(db, tierId);
  const same = active.find((j) => j.kind === kind);
  if (same) return { jobId: same.id };
  if (active.length > 0) {
    throw new AppError(
      'CONFLICT',
      `Tier ${tier.name} is busy with job ${active[0]?.kind}; wait for it or cancel it`,
    );
  }
  return { jobId: await submit({ kind, targetType: 'network', targetId: tierId, vpcId: tier.vpcId, actor }) };
}

export type VpcJobKind = 'vpc.destroy' | 'vpc.reconcile' | 'vpc.repair';

/** Destroy, reconcile or repair a VPC: the queued or running job of that kind, or a new one. */
export async function vpcJob(
  core: EngineCore,
  submit: SubmitJob,
  kind: VpcJobKind,
  vpcId: string,
  actor: string,
): Promise<JobRef> {
  const db = dbOf(core);
  const vpc = await vpcsRepo.getVpc(db, vpcId);
  if (!vpc || vpc.state === 'Destroy') throw new AppError('NOT_FOUND', 'The VPC does not exist');
  const active = (await jobsRepo.activeJobsOn(db, vpcId)).find((j) => j.kind === kind);
  if (active) return { jobId: active.id };
  return { jobId: await submit({ kind, targetType: 'vpc', targetId: vpcId, vpcId, actor }) };
}

/** The scheduled reconcile: one job per Implemented VPC (every one, page by page), paced over the interval. */
export function reconcileAll(core: EngineCore, submit: SubmitJob, signal?: AbortSignal): Promise<string[]> {
  const o = core.options;
  return reconcileSweep(dbOf(core), async (vpcId) => vpcJob(core, submit, 'vpc.reconcile', vpcId, 'engine'), {
    intervalMs: o.reconcileIntervalMs,
    pageSize: o.reconcilePageSize,
    concurrency: o.reconcileConcurrency,
    spread: o.reconcileSpread,
    ...(signal ? { signal } : {}),
  });
}

/** Allocates NIC rows (IP and MAC) and their job at once, then prepares them in that job (batched where it can). */
export async function prepareNewNics(
  core: EngineCore,
  wake: () => void,
  tierId: string,
  requests: readonly NicRequest[],
  actor: string,
  opts: { batchSize?: number } = {},
): Promise<JobRef & { nics: NicView[] }> {
  if (requests.length === 0) throw new AppError('BAD_INPUT', 'Ask for at least one NIC');
  const tier = await networksRepo.getNetwork(dbOf(core), tierId);
  if (!tier || tier.state === 'Destroy') throw new AppError('NOT_FOUND', 'The tier does not exist');
  if (tier.state !== 'Implemented')
    throw new AppError('INVALID_STATE', `Tier ${tier.name} is ${tier.state}; implement it first`);
  // NIC rows, transitions and the job row in one transaction; the job is announced (queued event) once committed.
  const { rows, jobId } = await allocateNics(core, tier, requests, { actor, ...opts });
  wake();
  return { jobId, nics: rows.map((r) => nicView({ ...r, updatedAt: r.createdAt, version: 1 })) };
}

/**
 * Prepares NICs that already exist (released, or in Error; repeating it on Reserved NICs is a no-op), or releases
 * them: one job on their tier.
 */
export async function existingNicsJob(
  core: EngineCore,
  submit: SubmitJob,
  kind: Extract<JobKind, 'nic.prepare' | 'nic.release'>,
  nicIds: readonly string[],
  actor: string,
): Promise<JobRef> {
  const { tier, ids } = await nicsOfOneTier(core, nicIds);
  const jobId = await submit({
    kind,
    targetType: 'network',
    targetId: tier.id,
    vpcId: tier.vpcId,
    payload: { nicIds: ids },
    total: ids.length,
    actor,
  });
  return { jobId };
}

async function nicsOfOneTier(core: EngineCore, nicIds: readonly string[]) {
  const db = dbOf(core);
  const nics = await nicsRepo.getNics(db, [...new Set(nicIds)]);
  if (nics.length === 0 || nics.length !== new Set(nicIds).size)
    throw new AppError('NOT_FOUND', 'Some NICs do not exist');
  const tierIds = new Set(nics.map((n) => n.networkId));
  if (tierIds.size !== 1) throw new AppError('BAD_INPUT', 'All NICs of one request must be on the same tier');
  const tier = await networksRepo.getNetwork(db, nics[0]?.networkId ?? '');
  if (!tier) throw new AppError('NOT_FOUND', 'The tier does not exist');
  return { tier, ids: nics.map((n) => n.id) };
}
