// Durable jobs: submit, claim with a lease (SKIP LOCKED on MySQL/MariaDB, one writer statement on SQLite), heartbeat,
// fenced step writes, finish, cancel, stuck flags. A fencing token grows at every claim; a stale one writes nothing.
import { sql } from 'kysely';
import type { Db, DialectName } from '../connect';
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

export type Claim = { id: string; fencingToken: number };

/**
 * Claims up to `limit` jobs that are queued, or running with an expired lease (their node died or was fenced).
 * MySQL/MariaDB: SELECT ... FOR UPDATE SKIP LOCKED inside a transaction, so nodes never wait on each other's rows.
 * SQLite: one UPDATE ... WHERE id IN (SELECT ...) RETURNING statement, atomic because SQLite has a single writer.
 */
export async function claimJobs(
  db: Db,
  dialect: DialectName,
  node: string,
  limit: number,
  leaseMs: number,
  now: number,
): Promise<Claim[]> {
  if (limit <= 0) return [];
  const expires = now + leaseMs;
  if (dialect === 'sqlite') {
    const rows = await sql<{ id: string; fencing_token: number }>`
      UPDATE jobs SET state = 'running', lease_owner = ${node}, lease_expires_at = ${expires},
        fencing_token = fencing_token + 1, attempts = attempts + 1,
        started_at = COALESCE(started_at, ${now}), updated_at = ${now}
      WHERE id IN (
        SELECT id FROM jobs
        WHERE (state = 'queued') OR (state = 'running' AND lease_expires_at < ${now})
        ORDER BY created_at LIMIT ${limit}
      )
      RETURNING id, fencing_token`.execute(db);
    return rows.rows.map((r) => ({ id: r.id, fencingToken: Number(r.fencing_token) }));
  }
  // READ COMMITTED: the locking read takes row locks only, no gap locks, so NIC requests inserting new jobs never
  // wait for a claim; and one UPDATE for all picked rows keeps the transaction (and its row locks) to 3 round trips.
  return db
    .transaction()
    .setIsolationLevel('read committed')
    .execute(async (trx) => {
      const picked = await sql<{ id: string; fencing_token: number }>`
        SELECT id, fencing_token FROM jobs
        WHERE (state = 'queued') OR (state = 'running' AND lease_expires_at < ${now})
        ORDER BY created_at LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`.execute(trx);
      if (picked.rows.length === 0) return [];
      await trx
        .updateTable('jobs')
        .set((eb) => ({
          state: 'running',
          lease_owner: node,
          lease_expires_at: expires,
          fencing_token: eb('fencing_token', '+', 1),
          attempts: eb('attempts', '+', 1),
          started_at: eb.fn.coalesce('started_at', eb.val(now)),
          updated_at: now,
        }))
        .where(
          'id',
          'in',
          picked.rows.map((r) => r.id),
        )
        .execute();
      return picked.rows.map((r) => ({ id: r.id, fencingToken: Number(r.fencing_token) + 1 }));
    });
}

/** Extends the lease; false when the job is no longer ours (taken over or finished): the caller must stop. */
export async function heartbeat(
  db: Db,
  id: string,
  node: string,
  token: number,
  leaseMs: number,
  now: number,
): Promise<boolean> {
  const res = await db
    .updateTable('jobs')
    .set({ lease_expires_at: now + leaseMs, updated_at: now })
    .where('id', '=', id)
    .where('lease_owner', '=', node)
    .where('fencing_token', '=', token)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Reads whether (node, token) still holds the job: checked before every element call. */
export async function holdsLease(db: Db, id: string, node: string, token: number): Promise<boolean> {
  const r = await db
    .selectFrom('jobs')
    .select(['lease_owner', 'fencing_token', 'state', 'cancel_requested'])
    .where('id', '=', id)
    .executeTakeFirst();
  return !!r && r.lease_owner === node && Number(r.fencing_token) === token && r.state === 'running';
}

/** Like holdsLease, also returning the lease expiry (epoch ms) when held, or null when not held. */
export async function leaseExpiry(db: Db, id: string, node: string, token: number): Promise<number | null> {
  const r = await db
    .selectFrom('jobs')
    .select(['lease_owner', 'fencing_token', 'state', 'lease_expires_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  const held = !!r && r.lease_owner === node && Number(r.fencing_token) === token && r.state === 'running';
  return held ? Number(r?.lease_expires_at ?? 0) : null;
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

/**
 * Records a finished step, fenced: the job row is updated only if (node, token) still holds it, in the same
 * transaction as the step insert. Returns false (and writes nothing) when fenced out.
 */
export async function recordStep(
  db: Db,
  s: {
    jobId: string;
    key: string;
    state: string;
    result: string | null;
    node: string;
    token: number;
    now: number;
    progressDelta: number;
    /** Order of the step in the job; counted from the table when absent. */
    seq?: number;
  },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('jobs')
      .set((eb) => ({ updated_at: s.now, progress_done: eb('progress_done', '+', s.progressDelta) }))
      .where('id', '=', s.jobId)
      .where('lease_owner', '=', s.node)
      .where('fencing_token', '=', s.token)
      .where('state', '=', 'running')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return false;
    const seq =
      s.seq ??
      Number(
        (
          await trx
            .selectFrom('job_steps')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('job_id', '=', s.jobId)
            .executeTakeFirst()
        )?.n ?? 0,
      ) + 1;
    await trx
      .insertInto('job_steps')
      .values({
        job_id: s.jobId,
        step_key: s.key,
        seq,
        state: s.state,
        result: s.result,
        at: s.now,
        node_id: s.node,
        fencing_token: s.token,
      })
      .execute();
    return true;
  });
}

export async function setProgressTotal(db: Db, id: string, total: number): Promise<void> {
  await db.updateTable('jobs').set({ progress_total: total }).where('id', '=', id).execute();
}

/** Ends a job, fenced like a step write. */
export async function finishJob(
  db: Db,
  f: {
    id: string;
    node: string;
    token: number;
    state: JobState;
    result: string | null;
    error: string | null;
    now: number;
  },
): Promise<boolean> {
  const res = await db
    .updateTable('jobs')
    .set({
      state: f.state,
      result: f.result,
      error: f.error,
      finished_at: f.now,
      updated_at: f.now,
      lease_owner: null,
      lease_expires_at: null,
    })
    .where('id', '=', f.id)
    .where('lease_owner', '=', f.node)
    .where('fencing_token', '=', f.token)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Hands a lease back (drain): the job becomes claimable at once by another node, resuming from its steps. */
export async function releaseLease(
  db: Db,
  id: string,
  node: string,
  token: number,
  now: number,
): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ state: 'queued', lease_owner: null, lease_expires_at: null, updated_at: now })
    .where('id', '=', id)
    .where('lease_owner', '=', node)
    .where('fencing_token', '=', token)
    .where('state', '=', 'running')
    .execute();
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

// The console's paged list lives beside, to keep this file about the job lifecycle.
export { JOB_SORTS, type JobPageRequest, type JobSort, pageJobs } from './job-pages';
