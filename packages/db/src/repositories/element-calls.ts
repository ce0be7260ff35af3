// The element call log: one row per adapter call attempt, with outcome, category, vendor code and redacted summaries.
// A row is written before its call is sent (outcome inFlight) and completed after, so a node that dies mid-call leaves
// a row that the survivor marks abandoned instead of no trace at all.
import { CALL_OUTCOMES, type CallOutcome } from '@netplane/domain';
import { sql } from 'kysely';
import type { Db, DialectName } from '../connect';
import type { ElementCallsTable } from '../schema-engine';
import { keysetPage, LOG_COUNT_CAP, type Page, type PageRequest, type SortSpec } from './keyset';

export type ElementCallRow = {
  id: string;
  phase: string;
  adapterId: string;
  providerId: string;
  controllerId: string;
  jobId: string | null;
  stepKey: string | null;
  vpcId: string | null;
  networkId: string | null;
  targetType: string;
  targetId: string;
  attempt: number;
  purpose: string;
  batchSize: number;
  startedAt: number;
  durationMs: number;
  outcome: CallOutcome;
  errorCategory: string | null;
  errorMessage: string | null;
  vendorCode: string | null;
  vendorMessage: string | null;
  retryable: boolean | null;
  requestSummary: string;
  responseSummary: string | null;
  nodeId: string;
  fencingToken: number | null;
};

/** A value no release wrote reads as failed rather than breaking every list that contains it. */
const outcomeOf = (v: string): CallOutcome =>
  (CALL_OUTCOMES as readonly string[]).includes(v) ? (v as CallOutcome) : 'failed';

const toCall = (r: ElementCallsTable): ElementCallRow => ({
  id: r.id,
  phase: r.phase,
  adapterId: r.adapter_id,
  providerId: r.provider_id,
  controllerId: r.controller_id,
  jobId: r.job_id,
  stepKey: r.step_key,
  vpcId: r.vpc_id,
  networkId: r.network_id,
  targetType: r.target_type,
  targetId: r.target_id,
  attempt: Number(r.attempt),
  purpose: r.purpose,
  batchSize: Number(r.batch_size),
  startedAt: Number(r.started_at),
  durationMs: Number(r.duration_ms),
  outcome: outcomeOf(r.outcome),
  errorCategory: r.error_category,
  errorMessage: r.error_message,
  vendorCode: r.vendor_code,
  vendorMessage: r.vendor_message,
  retryable: r.retryable === null ? null : Number(r.retryable) === 1,
  requestSummary: r.request_summary,
  responseSummary: r.response_summary,
  nodeId: r.node_id,
  fencingToken: r.fencing_token === null ? null : Number(r.fencing_token),
});

const toInsert = (c: ElementCallRow) => ({
  id: c.id,
  phase: c.phase,
  adapter_id: c.adapterId,
  provider_id: c.providerId,
  controller_id: c.controllerId,
  job_id: c.jobId,
  step_key: c.stepKey,
  vpc_id: c.vpcId,
  network_id: c.networkId,
  target_type: c.targetType,
  target_id: c.targetId,
  attempt: c.attempt,
  purpose: c.purpose,
  batch_size: c.batchSize,
  started_at: c.startedAt,
  duration_ms: c.durationMs,
  outcome: c.outcome,
  error_category: c.errorCategory,
  error_message: c.errorMessage,
  vendor_code: c.vendorCode,
  vendor_message: c.vendorMessage,
  retryable: c.retryable === null ? null : c.retryable ? 1 : 0,
  request_summary: c.requestSummary,
  response_summary: c.responseSummary,
  node_id: c.nodeId,
  fencing_token: c.fencingToken,
});

/** Rows per statement: 26 columns each stays far below SQLite's and MySQL's bound-parameter limits. */
const INSERT_CHUNK = 200;

/** Several call rows in as few statements as possible (the engine's call-log writer groups them). */
export async function insertCalls(db: Db, rows: readonly ElementCallRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await db
      .insertInto('element_calls')
      .values(rows.slice(i, i + INSERT_CHUNK).map(toInsert))
      .execute();
  }
}

/**
 * Writes call rows, inserting new ones and completing announced ones (same id) in one statement per chunk: a call is
 * announced (`inFlight`) before it is sent and completed afterwards, and both go through the call-log writer's groups.
 * A completion changes only what was unknown at the announce: duration, outcome, error and response.
 */
export async function writeCalls(
  db: Db,
  dialect: DialectName,
  rows: readonly ElementCallRow[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const q = db.insertInto('element_calls').values(rows.slice(i, i + INSERT_CHUNK).map(toInsert));
    if (dialect === 'sqlite') {
      await q
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            duration_ms: eb.ref('excluded.duration_ms'),
            outcome: eb.ref('excluded.outcome'),
            error_category: eb.ref('excluded.error_category'),
            error_message: eb.ref('excluded.error_message'),
            vendor_code: eb.ref('excluded.vendor_code'),
            vendor_message: eb.ref('excluded.vendor_message'),
            retryable: eb.ref('excluded.retryable'),
            response_summary: eb.ref('excluded.response_summary'),
          })),
        )
        .execute();
    } else {
      await q
        .onDuplicateKeyUpdate({
          duration_ms: sql`VALUES(duration_ms)`,
          outcome: sql`VALUES(outcome)`,
          error_category: sql`VALUES(error_category)`,
          error_message: sql`VALUES(error_message)`,
          vendor_code: sql`VALUES(vendor_code)`,
          vendor_message: sql`VALUES(vendor_message)`,
          retryable: sql`VALUES(retryable)`,
          response_summary: sql`VALUES(response_summary)`,
        })
        .execute();
    }
  }
}

/** An announced call that was never sent after all (lease lost or aborted while it queued): nothing to show. */
export async function deleteCall(db: Db, id: string): Promise<void> {
  await db.deleteFrom('element_calls').where('id', '=', id).where('outcome', '=', 'inFlight').execute();
}

async function abandonWhere(
  db: Db,
  where: {
    jobId?: string;
    beforeToken?: number;
    nodeId?: string;
    silentBefore?: number;
    startedBefore?: number;
  },
  now: number,
  summaryOf: (nodeId: string) => string,
): Promise<number> {
  let nodes = db.selectFrom('element_calls').select('node_id').distinct().where('outcome', '=', 'inFlight');
  if (where.jobId !== undefined) nodes = nodes.where('job_id', '=', where.jobId);
  if (where.nodeId !== undefined) nodes = nodes.where('node_id', '=', where.nodeId);
  const silentBefore = where.silentBefore;
  if (silentBefore !== undefined) {
    nodes = nodes.where('node_id', 'in', (eb) =>
      eb.selectFrom('nodes').select('id').where('heartbeat_at', '<', silentBefore),
    );
  }
  let total = 0;
  for (const { node_id } of await nodes.execute()) {
    let q = db
      .updateTable('element_calls')
      .set((eb) => ({
        outcome: 'abandoned',
        error_message: summaryOf(node_id),
        duration_ms: eb(eb.val(now), '-', eb.ref('started_at')),
      }))
      .where('outcome', '=', 'inFlight')
      .where('node_id', '=', node_id);
    if (where.jobId !== undefined) q = q.where('job_id', '=', where.jobId);
    if (where.beforeToken !== undefined) q = q.where('fencing_token', '<', where.beforeToken);
    if (where.startedBefore !== undefined) q = q.where('started_at', '<', where.startedBefore);
    total += Number((await q.executeTakeFirst()).numUpdatedRows);
  }
  return total;
}

/**
 * A job taken over: the calls its earlier holders (older fencing tokens) left in flight are abandoned — their node
 * died or stalled past its lease, and nobody will ever record how they ended. Returns how many rows changed.
 */
export function abandonCallsOfJob(
  db: Db,
  jobId: string,
  beforeToken: number,
  now: number,
  summaryOf: (nodeId: string) => string,
): Promise<number> {
  return abandonWhere(db, { jobId, beforeToken }, now, summaryOf);
}

/** The in-flight calls of nodes whose heartbeat is older than `heartbeatBefore` (dead), jobs or not. */
export function abandonCallsOfSilentNodes(
  db: Db,
  heartbeatBefore: number,
  now: number,
  summaryOf: (nodeId: string) => string,
): Promise<number> {
  return abandonWhere(db, { silentBefore: heartbeatBefore }, now, summaryOf);
}

/** A node starting again under the same id: what its previous process left in flight is abandoned. */
export function abandonCallsOfNode(
  db: Db,
  nodeId: string,
  startedBefore: number,
  now: number,
  summaryOf: (nodeId: string) => string,
): Promise<number> {
  return abandonWhere(db, { nodeId, startedBefore }, now, summaryOf);
}

export type CallFilter = {
  vpcId?: string;
  jobId?: string;
  targetId?: string;
  controllerId?: string;
  outcome?: CallOutcome;
  limit?: number;
};

/** Newest first. */
export async function listCalls(db: Db, f: CallFilter): Promise<ElementCallRow[]> {
  let q = db
    .selectFrom('element_calls')
    .selectAll()
    .orderBy('started_at', 'desc')
    .limit(f.limit ?? 200);
  if (f.vpcId) q = q.where('vpc_id', '=', f.vpcId);
  if (f.jobId) q = q.where('job_id', '=', f.jobId);
  if (f.targetId) q = q.where('target_id', '=', f.targetId);
  if (f.controllerId) q = q.where('controller_id', '=', f.controllerId);
  if (f.outcome) q = q.where('outcome', '=', f.outcome);
  return (await q.execute()).map(toCall);
}

export const CALL_SORTS = ['startedAt', 'durationMs'] as const;
export type CallSort = (typeof CALL_SORTS)[number];

const CALL_SORT: SortSpec<CallSort> = {
  columns: {
    startedAt: { column: 'started_at', type: 'number' },
    durationMs: { column: 'duration_ms', type: 'number' },
  },
  id: { column: 'id', type: 'string' },
  defaultSort: 'startedAt',
  defaultDir: 'desc',
};

export type CallPageRequest = Omit<CallFilter, 'limit'> & PageRequest<CallSort>;

/** One keyset page of the call log, newest first unless sorted otherwise. */
export function pageCalls(db: Db, f: CallPageRequest): Promise<Page<ElementCallRow>> {
  let q = db.selectFrom('element_calls');
  if (f.vpcId !== undefined) q = q.where('vpc_id', '=', f.vpcId);
  if (f.jobId !== undefined) q = q.where('job_id', '=', f.jobId);
  if (f.targetId !== undefined) q = q.where('target_id', '=', f.targetId);
  if (f.controllerId !== undefined) q = q.where('controller_id', '=', f.controllerId);
  if (f.outcome !== undefined) q = q.where('outcome', '=', f.outcome);
  return keysetPage(
    q,
    CALL_SORT,
    f,
    (s) => s.selectAll(),
    (r) => toCall(r as unknown as ElementCallsTable),
    { countCap: { db, cap: LOG_COUNT_CAP } },
  );
}

/** One call by id, as the engine left it (the in-flight tests read rows between announce and completion). */
export async function getCall(db: Db, id: string): Promise<ElementCallRow | undefined> {
  const r = await db.selectFrom('element_calls').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toCall(r) : undefined;
}
