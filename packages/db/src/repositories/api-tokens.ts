// API tokens: personal access tokens for scripts. Only the secret's HMAC is stored (packages/api makes and checks
// it); this module never sees a whole token. Reads on the authentication path are one statement (token and user).
import { type SqlBool, sql } from 'kysely';
import type { Db } from '../connect';
import { keysetPage, type Page, type PageRequest, type SortSpec } from './keyset';

export type ApiTokenRecord = {
  id: string;
  userId: string;
  /** The owner's username (joined), for the admins' list of every token. */
  username: string;
  name: string;
  role: string;
  prefix: string;
  createdAt: number;
  expiresAt: number;
  lastUsedAt: number | null;
  lastUsedIp: string | null;
  revokedAt: number | null;
};

/** What authentication reads: the token with its hash and use marks, and its user's current role and state. */
export type ApiTokenAuthRow = ApiTokenRecord & {
  hash: string;
  useAuditedAt: number | null;
  userRole: string;
  userDisabled: boolean;
};

export type NewApiToken = {
  id: string;
  userId: string;
  name: string;
  role: string;
  prefix: string;
  hash: string;
  createdAt: number;
  expiresAt: number;
};

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toRecord(r: Record<string, unknown>): ApiTokenRecord {
  return {
    id: String(r.id),
    userId: String(r.user_id),
    username: String(r.username),
    name: String(r.name),
    role: String(r.role),
    prefix: String(r.prefix),
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    lastUsedAt: num(r.last_used_at),
    lastUsedIp: r.last_used_ip === null ? null : String(r.last_used_ip),
    revokedAt: num(r.revoked_at),
  };
}

const PUBLIC_COLUMNS = [
  'api_tokens.id',
  'api_tokens.user_id',
  'users.username',
  'api_tokens.name',
  'api_tokens.role',
  'api_tokens.prefix',
  'api_tokens.created_at',
  'api_tokens.expires_at',
  'api_tokens.last_used_at',
  'api_tokens.last_used_ip',
  'api_tokens.revoked_at',
] as const;

export async function insertToken(db: Db, t: NewApiToken): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      id: t.id,
      user_id: t.userId,
      name: t.name,
      role: t.role,
      prefix: t.prefix,
      hash: t.hash,
      created_at: t.createdAt,
      expires_at: t.expiresAt,
      last_used_at: null,
      last_used_ip: null,
      use_audited_at: null,
      revoked_at: null,
    })
    .execute();
}

/** The authentication read: the token named by its prefix, with its user, in one statement. */
export async function findForAuth(db: Db, prefix: string): Promise<ApiTokenAuthRow | undefined> {
  const r = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      ...PUBLIC_COLUMNS,
      'api_tokens.hash',
      'api_tokens.use_audited_at',
      'users.role as user_role',
      'users.disabled as user_disabled',
    ])
    .where('api_tokens.prefix', '=', prefix)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    ...toRecord(r),
    hash: r.hash,
    useAuditedAt: num(r.use_audited_at),
    userRole: r.user_role,
    userDisabled: Number(r.user_disabled) === 1,
  };
}

export async function findToken(db: Db, id: string): Promise<ApiTokenRecord | undefined> {
  const r = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(PUBLIC_COLUMNS)
    .where('api_tokens.id', '=', id)
    .executeTakeFirst();
  return r ? toRecord(r) : undefined;
}

const TOKEN_SORT: SortSpec<'createdAt'> = {
  columns: { createdAt: { column: 'api_tokens.created_at', type: 'number' } },
  id: { column: 'api_tokens.id', type: 'string' },
  defaultSort: 'createdAt',
  defaultDir: 'desc',
};

/** One keyset page of tokens, newest first: a user's own, or every user's when `userId` is absent. */
export function pageTokens(
  db: Db,
  q: PageRequest<'createdAt'> & { userId?: string },
): Promise<Page<ApiTokenRecord>> {
  let query = db.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id');
  if (q.userId !== undefined) query = query.where('api_tokens.user_id', '=', q.userId);
  return keysetPage(query, TOKEN_SORT, q, (s) => s.select(PUBLIC_COLUMNS), toRecord);
}

/** Tokens of a user neither revoked nor expired (the per-user cap counts these). */
export async function countActiveOfUser(db: Db, userId: string, now: number): Promise<number> {
  const r = await db
    .selectFrom('api_tokens')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Revokes one token; false when it was revoked already (or does not exist). */
export async function revokeToken(db: Db, id: string, now: number): Promise<boolean> {
  const res = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Revokes every live token of a user (the user was disabled); returns how many. */
export async function revokeTokensOfUser(db: Db, userId: string, now: number): Promise<number> {
  const res = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Records a use (time and address). Callers write it at most once a minute per token, not once per request. */
export async function touchUse(db: Db, id: string, now: number, ip: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: now, last_used_ip: ip.slice(0, 64) })
    .where('id', '=', id)
    .execute();
}

/**
 * Claims the right to write this token's "used" audit row: true for exactly one caller (of any node) per
 * `intervalMs`, the one whose conditional update moved `use_audited_at`.
 */
export async function claimUseAudit(db: Db, id: string, now: number, intervalMs: number): Promise<boolean> {
  const res = await db
    .updateTable('api_tokens')
    .set({ use_audited_at: now })
    .where('id', '=', id)
    .where(sql<SqlBool>`(use_audited_at is null or use_audited_at <= ${now - intervalMs})`)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
