// Recorded connectivity checks and reachability matrices (migration 018). Bounded per VPC: the newest
// TRACES_KEPT (1,000) checks someone asked for and MATRICES_KEPT (20) matrices (a matrix's own traces go with it) survive each
// insert; older ones are deleted in the same call, so a VPC traced in a loop does not grow the tables for ever.
import type { Db } from '../connect';
import type { ConnectivityMatricesTable, ConnectivityTracesTable } from '../schema-connectivity';
import { keysetPage, type Page, type PageRequest, type SortSpec } from './keyset';

export const TRACES_KEPT = 1_000;
export const MATRICES_KEPT = 20;

export type TraceRecordRow = {
  id: string;
  vpcId: string;
  matrixId: string | null;
  actor: string;
  outcome: string;
  reason: string;
  input: string;
  result: string;
  controllerId: string | null;
  durationMs: number;
  createdAt: number;
};

export type MatrixRow = {
  id: string;
  vpcId: string;
  kind: string;
  changeId: string | null;
  changeLabel: string | null;
  actor: string;
  protocols: string;
  matrix: string;
  durationMs: number;
  createdAt: number;
};

const toTrace = (r: ConnectivityTracesTable): TraceRecordRow => ({
  id: r.id,
  vpcId: r.vpc_id,
  matrixId: r.matrix_id,
  actor: r.actor,
  outcome: r.outcome,
  reason: r.reason,
  input: r.input,
  result: r.result,
  controllerId: r.controller_id,
  durationMs: Number(r.duration_ms),
  createdAt: Number(r.created_at),
});

const toMatrix = (r: ConnectivityMatricesTable): MatrixRow => ({
  id: r.id,
  vpcId: r.vpc_id,
  kind: r.kind,
  changeId: r.change_id,
  changeLabel: r.change_label,
  actor: r.actor,
  protocols: r.protocols,
  matrix: r.matrix,
  durationMs: Number(r.duration_ms),
  createdAt: Number(r.created_at),
});

/** Multi-row inserts of at most 100 rows (a matrix records hundreds of traces at once). */
export async function insertTraces(db: Db, rows: readonly TraceRecordRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) {
    await db
      .insertInto('connectivity_traces')
      .values(
        rows.slice(i, i + 100).map((t) => ({
          id: t.id,
          vpc_id: t.vpcId,
          matrix_id: t.matrixId,
          actor: t.actor,
          outcome: t.outcome,
          reason: t.reason,
          input: t.input,
          result: t.result,
          controller_id: t.controllerId,
          duration_ms: Math.round(t.durationMs),
          created_at: t.createdAt,
        })),
      )
      .execute();
  }
}

/** Deletes the VPC's checks (not matrix cells) beyond the newest `keep`. */
export async function pruneTraces(db: Db, vpcId: string, keep = TRACES_KEPT): Promise<void> {
  const old = await db
    .selectFrom('connectivity_traces')
    .select('id')
    .where('vpc_id', '=', vpcId)
    .where('matrix_id', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1_000)
    .offset(keep)
    .execute();
  if (old.length > 0)
    await db
      .deleteFrom('connectivity_traces')
      .where(
        'id',
        'in',
        old.map((r) => r.id),
      )
      .execute();
}

export async function getTrace(db: Db, id: string): Promise<TraceRecordRow | undefined> {
  const r = await db.selectFrom('connectivity_traces').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toTrace(r) : undefined;
}

const TRACE_SORT: SortSpec<'createdAt'> = {
  columns: { createdAt: { column: 'created_at', type: 'number' } },
  id: { column: 'id', type: 'string' },
  defaultSort: 'createdAt',
  defaultDir: 'desc',
};

/** The VPC's checks, newest first; a matrix's cells are not listed (the matrix shows them). */
export function pageTracesOfVpc(
  db: Db,
  q: PageRequest<'createdAt'> & { vpcId: string },
): Promise<Page<TraceRecordRow>> {
  const query = db
    .selectFrom('connectivity_traces')
    .where('vpc_id', '=', q.vpcId)
    .where('matrix_id', 'is', null);
  return keysetPage(
    query,
    TRACE_SORT,
    q,
    (s) => s.selectAll(),
    (row) => toTrace(row as unknown as ConnectivityTracesTable),
  );
}

/** The newest checks of every VPC (the support bundle). */
export async function recentTraces(db: Db, limit: number): Promise<TraceRecordRow[]> {
  const rows = await db
    .selectFrom('connectivity_traces')
    .selectAll()
    .where('matrix_id', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toTrace);
}

export async function insertMatrix(db: Db, m: MatrixRow): Promise<void> {
  await db
    .insertInto('connectivity_matrices')
    .values({
      id: m.id,
      vpc_id: m.vpcId,
      kind: m.kind,
      change_id: m.changeId,
      change_label: m.changeLabel,
      actor: m.actor,
      protocols: m.protocols,
      matrix: m.matrix,
      duration_ms: Math.round(m.durationMs),
      created_at: m.createdAt,
    })
    .execute();
}

/** Deletes the VPC's matrices beyond the newest `keep`, with their traces. */
export async function pruneMatrices(db: Db, vpcId: string, keep = MATRICES_KEPT): Promise<void> {
  const old = await db
    .selectFrom('connectivity_matrices')
    .select('id')
    .where('vpc_id', '=', vpcId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1_000)
    .offset(keep)
    .execute();
  if (old.length === 0) return;
  const ids = old.map((r) => r.id);
  await db.deleteFrom('connectivity_traces').where('matrix_id', 'in', ids).execute();
  await db.deleteFrom('connectivity_matrices').where('id', 'in', ids).execute();
}

export async function getMatrix(db: Db, id: string): Promise<MatrixRow | undefined> {
  const r = await db.selectFrom('connectivity_matrices').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toMatrix(r) : undefined;
}

/** The VPC's newest matrix (whose protocols an ACL change's before/after snapshots reuse). */
export async function latestMatrixOfVpc(db: Db, vpcId: string): Promise<MatrixRow | undefined> {
  const r = await db
    .selectFrom('connectivity_matrices')
    .selectAll()
    .where('vpc_id', '=', vpcId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? toMatrix(r) : undefined;
}

const MATRIX_SORT: SortSpec<'createdAt'> = {
  columns: { createdAt: { column: 'created_at', type: 'number' } },
  id: { column: 'id', type: 'string' },
  defaultSort: 'createdAt',
  defaultDir: 'desc',
};

/** The VPC's matrices, newest first. */
export function pageMatricesOfVpc(
  db: Db,
  q: PageRequest<'createdAt'> & { vpcId: string },
): Promise<Page<MatrixRow>> {
  return keysetPage(
    db.selectFrom('connectivity_matrices').where('vpc_id', '=', q.vpcId),
    MATRIX_SORT,
    q,
    (s) => s.selectAll(),
    (row) => toMatrix(row as unknown as ConnectivityMatricesTable),
  );
}

/** The newest matrices of every VPC (the support bundle). */
export async function recentMatrices(db: Db, limit: number): Promise<MatrixRow[]> {
  const rows = await db
    .selectFrom('connectivity_matrices')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toMatrix);
}
