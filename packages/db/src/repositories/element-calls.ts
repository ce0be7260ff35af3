// The element call log: one row per adapter call attempt, with outcome, category, vendor code and redacted summaries.
import type { Db } from '../connect';
import type { ElementCallsTable } from '../schema-engine';
import { keysetPage, type Page, type PageRequest, type SortSpec } from './keyset';

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
  outcome: 'ok' | 'failed';
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
  outcome: r.outcome as 'ok' | 'failed',
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

export type CallFilter = {
  vpcId?: string;
  jobId?: string;
  targetId?: string;
  controllerId?: string;
  outcome?: 'ok' | 'failed';
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
  );
}
