// Diagnoses of resources in Error: one root cause per failing job, later failures linked to it by root_cause_id.
import { type SqlBool, sql } from 'kysely';
import type { Db } from '../connect';
import type { DiagnosesTable } from '../schema-diagnostics';
import { keysetPage, type Page, type PageRequest, type SortSpec } from './keyset';

export type DiagnosisRecord = {
  id: string;
  targetType: string;
  targetId: string;
  vpcId: string | null;
  jobId: string | null;
  category: string;
  title: string;
  sentence: string;
  evidence: unknown;
  remediation: string;
  actions: string[];
  rootCauseId: string | null;
  createdAt: number;
  resolvedAt: number | null;
};

export type NewDiagnosis = Omit<DiagnosisRecord, 'resolvedAt'>;

function toRecord(r: DiagnosesTable): DiagnosisRecord {
  return {
    id: r.id,
    targetType: r.target_type,
    targetId: r.target_id,
    vpcId: r.vpc_id,
    jobId: r.job_id,
    category: r.category,
    title: r.title,
    sentence: r.sentence,
    evidence: JSON.parse(r.evidence),
    remediation: r.remediation,
    actions: JSON.parse(r.actions) as string[],
    rootCauseId: r.root_cause_id,
    createdAt: Number(r.created_at),
    resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at),
  };
}

export async function insertDiagnosis(db: Db, d: NewDiagnosis): Promise<DiagnosisRecord> {
  await db
    .insertInto('diagnoses')
    .values({
      id: d.id,
      target_type: d.targetType,
      target_id: d.targetId,
      vpc_id: d.vpcId,
      job_id: d.jobId,
      category: d.category,
      title: d.title,
      sentence: d.sentence,
      evidence: JSON.stringify(d.evidence),
      remediation: d.remediation,
      actions: JSON.stringify(d.actions),
      root_cause_id: d.rootCauseId,
      created_at: d.createdAt,
      resolved_at: null,
    })
    .execute();
  return { ...d, resolvedAt: null };
}

/** The root causes recorded for a job, earliest first (ties broken by id, so every node agrees on the first). */
export async function listJobRoots(db: Db, jobId: string): Promise<DiagnosisRecord[]> {
  const rows = await db
    .selectFrom('diagnoses')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('root_cause_id', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

export async function linkToRoot(db: Db, id: string, rootCauseId: string): Promise<void> {
  await db.updateTable('diagnoses').set({ root_cause_id: rootCauseId }).where('id', '=', id).execute();
  // Anything already linked to the demoted diagnosis follows it to the real root.
  await db
    .updateTable('diagnoses')
    .set({ root_cause_id: rootCauseId })
    .where('root_cause_id', '=', id)
    .execute();
}

export async function getDiagnosis(db: Db, id: string): Promise<DiagnosisRecord | undefined> {
  const row = await db.selectFrom('diagnoses').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export type DiagnosisQuery = {
  vpcId?: string;
  /** Any of these VPCs (the support queue reads a page's VPCs in one query); an empty list matches nothing. */
  vpcIds?: readonly string[];
  jobId?: string;
  openOnly?: boolean;
  limit: number;
};

/** Oldest first, as support reads a failure: the root cause before what it caused. */
export async function listDiagnoses(db: Db, q: DiagnosisQuery): Promise<DiagnosisRecord[]> {
  let query = db.selectFrom('diagnoses').selectAll().orderBy('created_at').orderBy('id').limit(q.limit);
  if (q.vpcId !== undefined) query = query.where('vpc_id', '=', q.vpcId);
  if (q.vpcIds !== undefined) {
    if (q.vpcIds.length === 0) return [];
    query = query.where('vpc_id', 'in', q.vpcIds);
  }
  if (q.jobId !== undefined) query = query.where('job_id', '=', q.jobId);
  if (q.openOnly) query = query.where('resolved_at', 'is', null);
  return (await query.execute()).map(toRecord);
}

export async function listOpenForTarget(
  db: Db,
  targetType: string,
  targetId: string,
): Promise<DiagnosisRecord[]> {
  const rows = await db
    .selectFrom('diagnoses')
    .selectAll()
    .where('target_type', '=', targetType)
    .where('target_id', '=', targetId)
    .where('resolved_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map(toRecord);
}

/** Closes the open diagnoses of a target (it left Error). Linked ones are closed with their own target. */
export async function resolveForTarget(
  db: Db,
  targetType: string,
  targetId: string,
  at: number,
): Promise<number> {
  const r = await db
    .updateTable('diagnoses')
    .set({ resolved_at: at })
    .where('target_type', '=', targetType)
    .where('target_id', '=', targetId)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Closes the open diagnoses of one category on a target: a condition that is not an Error (Realized=False) resolves
 * its own diagnosis when it clears, whatever else is open on the target.
 */
export async function resolveCategoryForTarget(
  db: Db,
  q: { targetType: string; targetId: string; category: string },
  at: number,
): Promise<number> {
  const r = await db
    .updateTable('diagnoses')
    .set({ resolved_at: at })
    .where('target_type', '=', q.targetType)
    .where('target_id', '=', q.targetId)
    .where('category', '=', q.category)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function resolveById(db: Db, ids: readonly string[], at: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('diagnoses')
    .set({ resolved_at: at })
    .where('id', 'in', [...ids])
    .execute();
}

/** VPC ids with open diagnoses and the time of their first one, oldest first (the triage queue's failures). */
export async function listVpcsWithOpenDiagnoses(
  db: Db,
  limit: number,
): Promise<{ vpcId: string; since: number }[]> {
  const rows = await db
    .selectFrom('diagnoses')
    .select(['vpc_id', (eb) => eb.fn.min('created_at').as('since')])
    .where('resolved_at', 'is', null)
    .where('vpc_id', 'is not', null)
    .groupBy('vpc_id')
    .orderBy('since')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ vpcId: r.vpc_id as string, since: Number(r.since) }));
}

export const DIAGNOSIS_SORTS = ['createdAt'] as const;
export type DiagnosisSort = (typeof DIAGNOSIS_SORTS)[number];

const DIAGNOSIS_SORT: SortSpec<DiagnosisSort> = {
  columns: { createdAt: { column: 'd.created_at', type: 'number' } },
  id: { column: 'd.id', type: 'string' },
  defaultSort: 'createdAt',
  defaultDir: 'asc',
};

export type DiagnosisPageRequest = PageRequest<DiagnosisSort> & {
  vpcId?: string;
  openOnly?: boolean;
  category?: string;
};

/**
 * One keyset page of the diagnoses shown at the top level: root causes, and failures whose root does not pass the
 * same filters (resolved, or of another VPC) and so stand on their own. What each caused is read with listCaused.
 */
export function pageTopLevel(db: Db, f: DiagnosisPageRequest): Promise<Page<DiagnosisRecord>> {
  const rootPasses = [
    sql`r.id = d.root_cause_id`,
    ...(f.openOnly ? [sql`r.resolved_at is null`] : []),
    ...(f.vpcId !== undefined ? [sql`r.vpc_id = ${f.vpcId}`] : []),
    ...(f.category !== undefined ? [sql`r.category = ${f.category}`] : []),
  ];
  let q = db
    .selectFrom('diagnoses as d')
    .where(
      sql<SqlBool>`(d.root_cause_id is null or not exists (select 1 from diagnoses r where ${sql.join(rootPasses, sql` and `)}))`,
    );
  if (f.vpcId !== undefined) q = q.where('d.vpc_id', '=', f.vpcId);
  if (f.openOnly) q = q.where('d.resolved_at', 'is', null);
  if (f.category !== undefined) q = q.where('d.category', '=', f.category);
  return keysetPage(
    q,
    DIAGNOSIS_SORT,
    f,
    (s) => s.selectAll('d'),
    (r) => toRecord(r as unknown as DiagnosesTable),
  );
}

/** The failures linked to these roots that pass the same filters, oldest first. */
export async function listCaused(
  db: Db,
  rootIds: readonly string[],
  f: Omit<DiagnosisPageRequest, keyof PageRequest<DiagnosisSort>>,
): Promise<DiagnosisRecord[]> {
  const out: DiagnosisRecord[] = [];
  for (let i = 0; i < rootIds.length; i += 500) {
    let q = db
      .selectFrom('diagnoses')
      .selectAll()
      .where('root_cause_id', 'in', rootIds.slice(i, i + 500))
      .orderBy('created_at')
      .orderBy('id');
    if (f.vpcId !== undefined) q = q.where('vpc_id', '=', f.vpcId);
    if (f.openOnly) q = q.where('resolved_at', 'is', null);
    if (f.category !== undefined) q = q.where('category', '=', f.category);
    out.push(...(await q.execute()).map(toRecord));
  }
  return out;
}
