// Leases and fencing of durable jobs: claim with a lease (SKIP LOCKED on MySQL/MariaDB, one writer statement on
// SQLite), heartbeat, the fence check that guards every write of a running job, fenced step writes, finish, hand back.
// A fencing token grows at every claim; a stale one writes nothing. Re-exported by jobs.ts (jobsRepo).
import { sql } from 'kysely';
import type { Db, DialectName } from '../connect';
import { inTransaction } from '../transaction';
import type { JobState } from './jobs';

/** Who runs a job: the node holding its lease and the fencing token of that claim. */
export type Fence = { jobId: string; node: string; token: number };

/**
 * The fence check: touches the job (and adds `progressDelta` to its progress) only if `fence` still holds it, running.
 * Run it first in the transaction of the writes it guards; false means taken over, and the caller must write nothing.
 */
export async function touchIfHeld(db: Db, fence: Fence, now: number, progressDelta = 0): Promise<boolean> {
  const res = await db
    .updateTable('jobs')
    .set((eb) =>
      progressDelta === 0
        ? { updated_at: now }
        : { updated_at: now, progress_done: eb('progress_done', '+', progressDelta) },
    )
    .where('id', '=', fence.jobId)
    .where('lease_owner', '=', fence.node)
    .where('fencing_token', '=', fence.token)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export type NewStep = { key: string; seq: number; state: string; result: string | null };

/** Inserts finished steps of a job in one statement; run it after touchIfHeld, in the same transaction. */
export async function insertSteps(
  db: Db,
  fence: Fence,
  steps: readonly NewStep[],
  now: number,
): Promise<void> {
  if (steps.length === 0) return;
  await db
    .insertInto('job_steps')
    .values(
      steps.map((st) => ({
        job_id: fence.jobId,
        step_key: st.key,
        seq: st.seq,
        state: st.state,
        result: st.result,
        at: now,
        node_id: fence.node,
        fencing_token: fence.token,
      })),
    )
    .execute();
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
  const fence = { jobId: s.jobId, node: s.node, token: s.token };
  return inTransaction(db, async (trx) => {
    if (!(await touchIfHeld(trx, fence, s.now, s.progressDelta))) return false;
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
    await insertSteps(trx, fence, [{ key: s.key, seq, state: s.state, result: s.result }], s.now);
    return true;
  });
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
): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({ state: 'queued', lease_owner: null, lease_expires_at: null, updated_at: now })
    .where('id', '=', id)
    .where('lease_owner', '=', node)
    .where('fencing_token', '=', token)
    .where('state', '=', 'running')
    .executeTakeFirst();
  // false: the lease was no longer this node's (taken over meanwhile), so there was nothing to hand back.
  return Number(r.numUpdatedRows) === 1;
}
