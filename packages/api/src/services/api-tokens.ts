// Personal API tokens: create (the token shown once), list, revoke. A token's role is at most its creator's; its
// expiry is required and at most API_TOKEN_MAX_DAYS; only its HMAC is stored (token-auth.ts). Every change is audited.
import { randomUUID } from 'node:crypto';
import { apiTokensRepo, type Page } from '@netplane/db';
import {
  API_TOKEN_MAX_ACTIVE,
  AppError,
  type CreateApiTokenInput,
  type Role,
  roleAtMost,
} from '@netplane/domain';
import type { AuthUser, Context } from '../context';
import { recordAudit } from './audit';
import { generateToken } from './token-auth';

type AuthedCtx = Context & { user: AuthUser };
const DAY_MS = 86_400_000;

export type TokenStatus = 'active' | 'expired' | 'revoked';
export type TokenView = Omit<apiTokensRepo.ApiTokenRecord, 'role'> & { role: Role; status: TokenStatus };

function view(r: apiTokensRepo.ApiTokenRecord, now: number): TokenView {
  const status: TokenStatus = r.revokedAt !== null ? 'revoked' : now >= r.expiresAt ? 'expired' : 'active';
  // The column only ever receives a Role (create validates it).
  return { ...r, role: r.role as Role, status };
}

export async function createApiToken(
  ctx: AuthedCtx,
  input: CreateApiTokenInput,
): Promise<{ token: string; item: TokenView }> {
  // A token may not mint tokens: a stolen short-lived token must not become a year-long one.
  if (ctx.apiToken) {
    throw new AppError('FORBIDDEN', 'API tokens are created in the console, not with another token', {
      reason: 'TOKEN_CANNOT_CREATE_TOKEN',
    });
  }
  if (!roleAtMost(input.role, ctx.user.role)) {
    throw new AppError('FORBIDDEN', `A token's role can be at most your own (${ctx.user.role})`, {
      reason: 'ROLE_ABOVE_OWN',
      field: 'role',
    });
  }
  const now = ctx.deps.now();
  if ((await apiTokensRepo.countActiveOfUser(ctx.db, ctx.user.id, now)) >= API_TOKEN_MAX_ACTIVE) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `You hold ${API_TOKEN_MAX_ACTIVE} live tokens already; revoke one first`,
      { reason: 'TOO_MANY_TOKENS', max: API_TOKEN_MAX_ACTIVE },
    );
  }
  const id = randomUUID();
  const secret = generateToken();
  await apiTokensRepo.insertToken(ctx.db, {
    id,
    userId: ctx.user.id,
    name: input.name,
    role: input.role,
    prefix: secret.prefix,
    hash: secret.hash,
    createdAt: now,
    expiresAt: now + input.expiresInDays * DAY_MS,
  });
  const row = await apiTokensRepo.findToken(ctx.db, id);
  if (!row) throw new AppError('NOT_FOUND', 'Your account no longer exists');
  const item = view(row, now);
  await recordAudit(ctx, 'tokens.create', { type: 'apiToken', id }, null, {
    name: item.name,
    role: item.role,
    prefix: item.prefix,
    expiresAt: item.expiresAt,
  });
  return { token: secret.token, item };
}

export async function listApiTokens(
  ctx: AuthedCtx,
  input: { all?: boolean | undefined; cursor?: string | undefined; limit: number },
): Promise<Page<TokenView>> {
  if (input.all && ctx.user.role !== 'admin') {
    throw new AppError('FORBIDDEN', "Only admins list every user's tokens");
  }
  const page = await apiTokensRepo.pageTokens(ctx.db, {
    limit: input.limit,
    ...(input.cursor !== undefined ? { cursor: input.cursor } : {}),
    ...(input.all ? {} : { userId: ctx.user.id }),
  });
  const now = ctx.deps.now();
  return { ...page, items: page.items.map((r) => view(r, now)) };
}

/** Revokes one's own token (admins: anyone's). Someone else's token is "not found" to a non-admin. */
export async function revokeApiToken(ctx: AuthedCtx, id: string): Promise<TokenView> {
  const row = await apiTokensRepo.findToken(ctx.db, id);
  if (!row || (row.userId !== ctx.user.id && ctx.user.role !== 'admin')) {
    throw new AppError('NOT_FOUND', 'No such API token', { id });
  }
  const now = ctx.deps.now();
  if (await apiTokensRepo.revokeToken(ctx.db, id, now)) {
    await recordAudit(
      ctx,
      'tokens.revoke',
      { type: 'apiToken', id },
      { name: row.name, owner: row.username },
      { revokedAt: now },
    );
  }
  const after = await apiTokensRepo.findToken(ctx.db, id);
  return view(after ?? row, now);
}
