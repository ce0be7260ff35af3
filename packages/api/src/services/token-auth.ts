// Authentication by API token (`Authorization: Bearer npt_<public id>_<secret>`). The public id finds the row; the
// secret is checked against an HMAC-SHA-256 in constant time. A fast hash is right here, unlike for passwords: the
// secret is 256 random bits, so no stolen hash can be brute-forced however fast the hash, and a slow one (argon2) would
// cost every scripted request tens of milliseconds of CPU. The HMAC key is the public id (not a secret): it binds a
// hash to its row and keeps it apart from the session ids, which are plain SHA-256 of other random values.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { apiTokensRepo } from '@netplane/db';
import { API_TOKEN_PATTERN, AppError, lowerRole, type Role, roleSchema } from '@netplane/domain';
import type { AuthUser } from '../context';
import type { ApiDeps } from '../deps';
import { recordAudit } from './audit';
import { tokenLimiterOf } from './token-limits';

/** A token's use is written at most this often (last_used_at / last_used_ip), not on every request. */
export const TOKEN_TOUCH_EVERY_MS = 60_000;
/** And audited (`tokens.use`) at most once per token per this interval, by whichever node claims it first. */
export const TOKEN_USE_AUDIT_EVERY_MS = 3_600_000;

export const hashTokenSecret = (publicId: string, secret: string) =>
  createHmac('sha256', `netplane-api-token:${publicId}`).update(secret).digest('hex');

export type NewTokenSecret = { token: string; prefix: string; hash: string };

export function generateToken(): NewTokenSecret {
  const publicId = randomBytes(9).toString('base64url');
  const secret = randomBytes(32).toString('base64url');
  return {
    token: `npt_${publicId}_${secret}`,
    prefix: `npt_${publicId}`,
    hash: hashTokenSecret(publicId, secret),
  };
}

export type BearerResult =
  | { status: 'none' }
  | { status: 'ok'; user: AuthUser; apiToken: { id: string; name: string } }
  | { status: 'refused'; error: AppError };

const refuse = (reason: string, message: string): BearerResult => ({
  status: 'refused',
  error: new AppError('UNAUTHENTICATED', message, { reason }),
});

/** The token of an `Authorization: Bearer` header; undefined for no header or another scheme (a proxy's Basic). */
export function bearerOf(header: string | undefined): string | undefined {
  const m = header?.match(/^Bearer(?:[ \t]+(.*))?$/is);
  return m ? (m[1] ?? '').trim() : undefined;
}

/**
 * Resolves a bearer token to its user with the token's role (never above the user's current one). Refusals are
 * typed 401s (429 when throttled) whose messages never repeat the token; a malformed or unknown token counts against
 * the caller's ip.
 */
export async function resolveBearer(deps: ApiDeps, token: string, ip: string): Promise<BearerResult> {
  const limiter = await tokenLimiterOf(deps);
  const wait = await limiter.secondsBlocked(ip);
  if (wait > 0) {
    return {
      status: 'refused',
      error: new AppError(
        'RATE_LIMITED',
        `Too many refused API tokens from this address; try again in ${wait} seconds`,
        {
          reason: 'TOKEN_FAILURES',
          retryAfterSeconds: wait,
        },
      ),
    };
  }
  const result = await check(deps, token, ip);
  if (result.status === 'refused') {
    const reason = result.error.details?.reason;
    // Only what could be guessing counts: a revoked or expired token had its secret right, and a CI farm still
    // holding one must not lock its address out for the other tokens it uses.
    if (reason === 'TOKEN_MALFORMED' || reason === 'TOKEN_INVALID') await limiter.recordFailure(ip);
    deps.logger.info({ ip, reason }, 'API token refused');
    return result;
  }
  if (result.status !== 'ok') return result;
  const over = await limiter.consumeRequest(result.apiToken.id);
  if (over > 0) {
    return {
      status: 'refused',
      error: new AppError(
        'RATE_LIMITED',
        `This API token made too many requests; try again in ${over} seconds`,
        {
          reason: 'TOKEN_RATE',
          retryAfterSeconds: over,
        },
      ),
    };
  }
  return result;
}

async function check(deps: ApiDeps, token: string, ip: string): Promise<BearerResult> {
  const m = API_TOKEN_PATTERN.exec(token);
  if (!m) return refuse('TOKEN_MALFORMED', 'The bearer token is not a Netplane API token (npt_...)');
  const [, publicId = '', secret = ''] = m;
  const db = deps.db.db;
  const row = await apiTokensRepo.findForAuth(db, `npt_${publicId}`);
  const expected = Buffer.from(row?.hash ?? '0'.repeat(64), 'hex');
  const given = Buffer.from(hashTokenSecret(publicId, secret), 'hex');
  // Compared even without a row, so an unknown id costs what a wrong secret costs.
  const same = timingSafeEqual(expected, given);
  if (!row || !same) return refuse('TOKEN_INVALID', 'The API token is not valid');
  const now = deps.now();
  if (row.revokedAt !== null) return refuse('TOKEN_REVOKED', 'This API token was revoked; create a new one');
  if (now >= row.expiresAt) {
    const when = new Date(row.expiresAt).toISOString();
    return refuse('TOKEN_EXPIRED', `This API token expired at ${when}; create a new one`);
  }
  const userRole = roleSchema.safeParse(row.userRole);
  const tokenRole = roleSchema.safeParse(row.role);
  if (row.userDisabled || !userRole.success || !tokenRole.success) {
    return refuse('TOKEN_USER_DISABLED', 'The user of this API token is disabled');
  }
  const user: AuthUser = {
    id: row.userId,
    username: row.username,
    role: lowerRole(tokenRole.data as Role, userRole.data as Role),
  };
  await markUse(deps, row, user, now, ip);
  return { status: 'ok', user, apiToken: { id: row.id, name: row.name } };
}

/** The write side of a use, kept to one write a minute and one audit row an hour per token (docs/api.md). */
async function markUse(
  deps: ApiDeps,
  row: apiTokensRepo.ApiTokenAuthRow,
  user: AuthUser,
  now: number,
  ip: string,
): Promise<void> {
  const db = deps.db.db;
  if (row.lastUsedAt === null || now - row.lastUsedAt >= TOKEN_TOUCH_EVERY_MS || row.lastUsedIp !== ip) {
    await apiTokensRepo.touchUse(db, row.id, now, ip);
  }
  const auditDue = row.useAuditedAt === null || now - row.useAuditedAt >= TOKEN_USE_AUDIT_EVERY_MS;
  if (auditDue && (await apiTokensRepo.claimUseAudit(db, row.id, now, TOKEN_USE_AUDIT_EVERY_MS))) {
    const apiToken = { id: row.id, name: row.name };
    await recordAudit({ db, deps, user, apiToken }, 'tokens.use', { type: 'apiToken', id: row.id }, null, {
      name: row.name,
      ip,
    });
  }
}
