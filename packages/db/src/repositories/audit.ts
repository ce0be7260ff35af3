// The audit log: one row per mutation, who/what/when with before/after already stripped of secrets.
import { type SqlBool, sql } from 'kysely';
import type { Db } from '../connect';
import type { AuditLogTable } from '../schema';
import { keysetPage, type Page, type PageRequest, type SortSpec } from './keyset';

export type AuditEntry = {
  actorId: string | null;
  actorName: string;
  /** The API token the actor authenticated with, if any. */
  actorTokenId?: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
};

export type AuditRow = AuditEntry & { id: number; at: number; actorTokenId: string | null };

export async function insertAudit(db: Db, entry: AuditEntry, at: number): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at,
      actor_id: entry.actorId,
      actor_name: entry.actorName,
      actor_token_id: entry.actorTokenId ?? null,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      before: entry.before === undefined || entry.before === null ? null : JSON.stringify(entry.before),
      after: entry.after === undefined || entry.after === null ? null : JSON.stringify(entry.after),
    })
    .execute();
}

export const AUDIT_SORTS = ['at'] as const;
export type AuditSort = (typeof AUDIT_SORTS)[number];

const AUDIT_SORT: SortSpec<AuditSort> = {
  columns: { at: { column: 'at', type: 'number' } },
  id: { column: 'id', type: 'number' },
  defaultSort: 'at',
  defaultDir: 'desc',
};

export type AuditPageRequest = PageRequest<AuditSort> & {
  targetType?: string;
  targetId?: string;
  actorName?: string;
  /** An exact action ("vpc.create") or a prefix ending in a dot ("vpc."). */
  action?: string;
};

/** One keyset page of the audit log, newest first. */
export function listAudit(db: Db, q: AuditPageRequest): Promise<Page<AuditRow>> {
  let query = db.selectFrom('audit_log');
  if (q.targetType !== undefined) query = query.where('target_type', '=', q.targetType);
  if (q.targetId !== undefined) query = query.where('target_id', '=', q.targetId);
  if (q.actorName !== undefined) query = query.where('actor_name', '=', q.actorName);
  if (q.action !== undefined)
    query = q.action.endsWith('.')
      ? query.where(sql<SqlBool>`action like ${`${q.action.replace(/[!%_]/g, (c) => `!${c}`)}%`} escape '!'`)
      : query.where('action', '=', q.action);
  return keysetPage(
    query,
    AUDIT_SORT,
    q,
    (s) => s.selectAll(),
    (r) => toAudit(r as unknown as AuditLogTable),
  );
}

const toAudit = (r: AuditLogTable): AuditRow => ({
  id: Number(r.id),
  at: Number(r.at),
  actorId: r.actor_id,
  actorName: r.actor_name,
  actorTokenId: (r.actor_token_id as unknown as string | null | undefined) ?? null,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  before: r.before === null ? null : JSON.parse(r.before),
  after: r.after === null ? null : JSON.parse(r.after),
});
