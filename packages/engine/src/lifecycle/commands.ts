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
export type VpcJobKind = 'vpc.destroy' | 'vpc.reconcile' | 'vpc.repair';

/** A job command on one tier or VPC: Engine.implementTier / shutdownTier / destroyVpc / reconcile / repair. */
type TargetJobCommand<K extends JobKind> = (
  core: EngineCore,
  submit: SubmitJob,
  kind: K,
  targetId: string,
  actor: string,
) => Promise<JobRef>;

/**
 * The queued or running job of the same kind on the target (asking twice gives one job), or a new one. `busyName`
 * set: the target runs one job at a time, so a job of another kind is a CONFLICT naming it.
 */
async function sameOrNewJob(
  core: EngineCore,
  submit: SubmitJob,
  job: { kind: JobKind; targetType: 'network' | 'vpc'; targetId: string; vpcId: string; actor: string },
  busyName?: string,
): Promise<JobRef> {
  const active = await jobsRepo.activeJobsOn(dbOf(core), job.targetId);
  const same = active.find((j) => j.kind === job.kind);
  if (same) return { jobId: same.id };
  if (busyName !== undefined && active.length > 0) {
    throw new AppError(
      'CONFLICT',
      `${busyName} is busy with job ${active[0]?.kind}; wait for it or cancel it`,
    );
  }
  return { jobId: await submit(job) };
}

/** Implement, shut down or destroy a tier: the running job of that kind, or a new one when the tier is idle. */
export const tierJob: TargetJobCommand<TierJobKind> = async (core, submit, kind, tierId, actor) => {
  const tier = await networksRepo.getNetwork(dbOf(core), tierId);
  if (!tier || tier.state === 'Destroy') throw new AppError('NOT_FOUND', 'The tier does not exist');
  const job = { kind, targetType: 'network', targetId: tierId, vpcId: tier.vpcId, actor } as const;
  return sameOrNewJob(core, submit, job, `Tier ${tier.name}`);
};

/** Destroy, reconcile or repair a VPC: the queued or running job of that kind, or a new one. */
export const vpcJob: TargetJobCommand<VpcJobKind> = async (core, submit, kind, vpcId, actor) => {
  const vpc = await vpcsRepo.getVpc(dbOf(core), vpcId);
  if (!vpc || vpc.state === 'Destroy') throw new AppError('NOT_FOUND', 'The VPC does not exist');
  return sameOrNewJob(core, submit, { kind, targetType: 'vpc', targetId: vpcId, vpcId, actor });
};

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
