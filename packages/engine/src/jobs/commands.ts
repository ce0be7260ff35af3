// Job submission and control behind Engine.submitJob / cancel / retry / subscribe / watch, and the job read models.
import { randomUUID } from 'node:crypto';
import { type Db, inTransaction, jobsRepo, transitionsRepo } from '@netplane/db';
import { AppError } from '@netplane/domain';
import type { EngineCore } from '../lifecycle/core';
import { type JobDetail, type JobView, jobView } from '../views';
import type { JobEvent } from './events';
import type { JobKind, JobRef, SubmitJob, SubmitJobInput, WithJob } from './kinds';

const dbOf = (core: EngineCore) => core.deps.db.db;

/**
 * Inserts the job row, after `alongside` in the same transaction when given, then announces it (queued) and wakes
 * this node's worker. Nothing is announced unless both committed.
 */
export async function submitJob(
  core: EngineCore,
  wake: () => void,
  input: SubmitJobInput,
  alongside?: WithJob,
): Promise<string> {
  const id = input.id ?? randomUUID();
  const now = core.deps.now();
  const insert = (db: Db) =>
    jobsRepo.insertJob(db, {
      id,
      kind: input.kind,
      targetType: input.targetType,
      targetId: input.targetId,
      vpcId: input.vpcId,
      payload: JSON.stringify(input.payload ?? {}),
      progressTotal: input.total ?? 0,
      deadlineAt: now + core.options.jobTimeoutMs,
      createdBy: input.actor,
      now,
    });
  if (alongside) {
    await inTransaction(dbOf(core), async (trx) => {
      await alongside(trx);
      await insert(trx);
    });
  } else await insert(dbOf(core));
  core.events.emit({
    jobId: id,
    kind: input.kind,
    targetId: input.targetId,
    vpcId: input.vpcId,
    state: 'queued',
    progressDone: 0,
    progressTotal: input.total ?? 0,
    at: now,
  });
  wake();
  return id;
}

export async function getJob(core: EngineCore, id: string): Promise<JobDetail | undefined> {
  const job = await jobsRepo.getJob(dbOf(core), id);
  if (!job) return undefined;
  const steps = await jobsRepo.listSteps(dbOf(core), id);
  return { ...jobView(job), steps: steps.map(({ result: _r, ...s }) => s) };
}

export async function listJobs(core: EngineCore, filter: jobsRepo.JobFilter = {}): Promise<JobView[]> {
  return (await jobsRepo.listJobs(dbOf(core), filter)).map(jobView);
}

/** A queued job is cancelled at once; a running one stops at its next step. */
export async function cancelJob(
  core: EngineCore,
  jobId: string,
): Promise<'cancelled' | 'requested' | 'final'> {
  const r = await jobsRepo.requestCancel(dbOf(core), jobId, core.deps.now());
  if (r === 'cancelled') {
    const job = await jobsRepo.getJob(dbOf(core), jobId);
    if (job) core.events.emit({ ...eventOf(job), state: 'cancelled', at: core.deps.now() });
  }
  return r;
}

/** Listens to job events of this node (all jobs, or one). Returns the unsubscribe function. */
export function subscribeJobs(core: EngineCore, listener: (e: JobEvent) => void, jobId?: string): () => void {
  return core.events.on((e) => {
    if (!jobId || e.jobId === jobId) listener(e);
  });
}

/** Yields the job whenever it changes (local events, or a poll for jobs run by another node) until it ends. */
export async function* watchJob(
  core: EngineCore,
  jobId: string,
  signal?: AbortSignal,
  pollMs = 500,
): AsyncGenerator<JobView> {
  let wake: (() => void) | undefined;
  const off = subscribeJobs(core, () => wake?.(), jobId);
  try {
    let last = '';
    while (!signal?.aborted) {
      const job = await jobsRepo.getJob(dbOf(core), jobId);
      if (!job) return;
      const key = `${job.state}:${job.progressDone}:${job.progressTotal}`;
      if (key !== last) {
        last = key;
        yield jobView(job);
      }
      if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  } finally {
    off();
  }
}

/** Retries a failed or cancelled job, or the last failed operation on a target (tier, VPC or NIC in Error). */
export async function retryJob(
  core: EngineCore,
  submit: SubmitJob,
  ref: { jobId: string } | { targetId: string },
  actor: string,
): Promise<JobRef> {
  const db = dbOf(core);
  let job: jobsRepo.JobRow | undefined;
  let nicId: string | undefined;
  if ('jobId' in ref) job = await jobsRepo.getJob(db, ref.jobId);
  else {
    // The newest move into Error names the job to re-run (an entity retried often has thousands of transitions).
    const last = await transitionsRepo.latestJobTransitionTo(db, ref.targetId, 'Error');
    if (last?.jobId) job = await jobsRepo.getJob(db, last.jobId);
    if (last?.entityType === 'nic') nicId = ref.targetId;
    if (!job) {
      const [recent] = await jobsRepo.listJobs(db, { targetId: ref.targetId, limit: 1 });
      job = recent;
    }
  }
  if (!job) throw new AppError('NOT_FOUND', 'Nothing to retry: no failed job found');
  if (job.state === 'queued' || job.state === 'running') return { jobId: job.id };
  const payload = JSON.parse(job.payload) as Record<string, unknown>;
  const nicIds = nicId ? [nicId] : (payload.nicIds as string[] | undefined);
  const jobId = await submit({
    kind: job.kind as JobKind,
    targetType: job.targetType as SubmitJobInput['targetType'],
    targetId: job.targetId,
    vpcId: job.vpcId,
    payload: nicIds ? { ...payload, nicIds, retryOf: job.id } : { ...payload, retryOf: job.id },
    total: nicIds?.length ?? 0,
    actor,
  });
  return { jobId };
}

const eventOf = (j: jobsRepo.JobRow): JobEvent => ({
  jobId: j.id,
  kind: j.kind,
  targetId: j.targetId,
  vpcId: j.vpcId,
  state: j.state,
  progressDone: j.progressDone,
  progressTotal: j.progressTotal,
  at: j.updatedAt,
});
