// Durable jobs: submit, read, list, cancel, stuck flags. Claims, leases and fenced writes are job-leases.ts.
import type { Db } from '../connect';
import type { JobsTable } from '../schema-engine';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export type JobRow = {
  id: string;
  kind: string;
  targetType: string;
  targetId: string;
  vpcId: string | null;
  state: JobState;
  payload: string;
  result: string | null;
  progressDone: number;
  progressTotal: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  fencingToken: number;
  attempts: number;
  deadlineAt: number;
  stuck: boolean;
  cancelRequested: boolean;
  createdBy: string;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  updatedAt: number;
  error: string | null;
};

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export const toJob = (r: JobsTable): JobRow => ({
  id: r.id,
  kind: r.kind,
  targetType: r.target_type,
  targetId: r.target_id,
  vpcId: r.vpc_id,
  state: r.state as JobState,
  payload: r.payload,
  result: r.result,
  progressDone: Number(r.progress_done),
  progressTotal: Number(r.progress_total),
  leaseOwner: r.lease_owner,
  leaseExpiresAt: num(r.lease_expires_at),
  fencingToken: Number(r.fencing_token),
  attempts: Number(r.attempts),
  deadlineAt: Number(r.deadline_at),
  stuck: Number(r.stuck) === 1,
  cancelRequested: Number(r.cancel_requested) === 1,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  startedAt: num(r.started_at),
  finishedAt: num(r.finished_at),
  updatedAt: Number(r.updated_at),
  error: r.error,
});

export type NewJob = {
  id: string;
  kind: string;
  targetType: string;
  targetId: string;
  vpcId: string | null;
  payload: string;
  progressTotal: number;
  deadlineAt: number;
  createdBy: string;
  now: number;
};

export async function insertJob(db: Db, j: NewJob): Promise<void> {
  await db
    .insertInto('jobs')
    .values({
      id: j.id,
      kind: j.kind,
      target_type: j.targetType,
      target_id: j.targetId,
      vpc_id: j.vpcId,
      state: 'queued',
      payload: j.payload,
      result: null,
      progress_done: 0,
      progress_total: j.progressTotal,
      lease_owner: null,
      lease_expires_at: null,
      fencing_token: 0,
      attempts: 0,
      deadline_at: j.deadlineAt,
      stuck: 0,
      cancel_requested: 0,
      created_by: j.createdBy,
      created_at: j.now,
      started_at: null,
      finished_at: null,
      updated_at: j.now,
      error: null,
    })
    .execute();
}

export async function getJob(db: Db, id: string): Promise<JobRow | undefined> {
  const r = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toJob(r) : undefined;
}

export type JobFilter = {
  state?: JobState;
  targetId?: string;
  vpcId?: string;
  kind?: string;
  stuck?: boolean;
  limit?: number;
};

export async function listJobs(db: Db, f: JobFilter = {}): Promise<JobRow[]> {
  let q = db
    .selectFrom('jobs')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(f.limit ?? 100);
  if (f.state) q = q.where('state', '=', f.state);
  if (f.targetId) q = q.where('target_id', '=', f.targetId);
  if (f.vpcId) q = q.where('vpc_id', '=', f.vpcId);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.stuck !== undefined) q = q.where('stuck', '=', f.stuck ? 1 : 0);
  return (await q.execute()).map(toJob);
}

/** Active (queued or running) jobs on a target: a second lifecycle job on the same tier waits or is refused. */
export async function activeJobsOn(db: Db, targetId: string): Promise<JobRow[]> {
  const rows = await db
    .selectFrom('jobs')
    .selectAll()
    .where('target_id', '=', targetId)
    .where('state', 'in', ['queued', 'running'])
    .execute();
  return rows.map(toJob);
}

/** Queued or running jobs of a VPC, read in one statement (two reads, one per state, miss a job claimed between). */
export async function activeJobsOfVpc(db: Db, vpcId: string): Promise<JobRow[]> {
  const rows = await db
    .selectFrom('jobs')
    .selectAll()
    .where('vpc_id', '=', vpcId)
    .where('state', 'in', ['queued', 'running'])
    .execute();
  return rows.map(toJob);
}

/**
 * Jobs of a VPC that may have written to it at some moment from `since` on: running ones, queued ones that already ran
 * (handed back on a drain), and those that ended at `since` or later. The reconcile asks this when it found drift.
 */
export async function jobsOfVpcActiveSince(db: Db, vpcId: string, since: number): Promise<JobRow[]> {
  const rows = await db
    .selectFrom('jobs')
    .selectAll()
    .where('vpc_id', '=', vpcId)
    .where((eb) =>
      eb.or([
        eb('state', '=', 'running'),
        eb.and([eb('state', '=', 'queued'), eb('started_at', 'is not', null)]),
        eb('finished_at', '>=', since),
      ]),
    )
    .execute();
  return rows.map(toJob);
}

export type StepRow = {
  key: string;
  seq: number;
  state: string;
  result: string | null;
  at: number;
  nodeId: string;
};

export async function listSteps(db: Db, jobId: string): Promise<StepRow[]> {
  const rows = await db
    .selectFrom('job_steps')
    .selectAll()
    .where('job_id', '=', jobId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    key: r.step_key,
    seq: Number(r.seq),
    state: r.state,
    result: r.result,
    at: Number(r.at),
    nodeId: r.node_id,
  }));
}

export async function setProgressTotal(db: Db, id: string, total: number): Promise<void> {
  await db.updateTable('jobs').set({ progress_total: total }).where('id', '=', id).execute();
}

/** Cancels a queued job at once; a running one gets cancel_requested and stops between steps. */
export async function requestCancel(
  db: Db,
  id: string,
  now: number,
): Promise<'cancelled' | 'requested' | 'final'> {
  const queued = await db
    .updateTable('jobs')
    .set({ state: 'cancelled', finished_at: now, updated_at: now })
    .where('id', '=', id)
    .where('state', '=', 'queued')
    .executeTakeFirst();
  if (Number(queued.numUpdatedRows) === 1) return 'cancelled';
  const running = await db
    .updateTable('jobs')
    .set({ cancel_requested: 1, updated_at: now })
    .where('id', '=', id)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(running.numUpdatedRows) === 1 ? 'requested' : 'final';
}

export async function isCancelRequested(db: Db, id: string): Promise<boolean> {
  const r = await db.selectFrom('jobs').select('cancel_requested').where('id', '=', id).executeTakeFirst();
  return Number(r?.cancel_requested ?? 0) === 1;
}

/** Flags running or queued jobs past their deadline; returns the ids newly flagged. */
export async function flagStuck(db: Db, now: number): Promise<string[]> {
  const rows = await db
    .selectFrom('jobs')
    .select('id')
    .where('state', 'in', ['queued', 'running'])
    .where('deadline_at', '<', now)
    .where('stuck', '=', 0)
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  await db.updateTable('jobs').set({ stuck: 1, updated_at: now }).where('id', 'in', ids).execute();
  return ids;
}

// Leases and fencing, and the console's paged list, live beside, to keep this file about submitting and reading jobs.
export {
  type Claim,
  claimJobs,
  type Fence,
  finishJob,
  heartbeat,
  holdsLease,
  insertSteps,
  leaseExpiry,
  type NewStep,
  recordStep,
  releaseLease,
  touchIfHeld,
} from './job-leases';
export { JOB_SORTS, type JobPageRequest, type JobSort, pageJobs } from './job-pages';
