// Login sessions: a random 32-byte token in the cookie, only its SHA-256 in the database; idle and absolute expiry.
import { createHash, randomBytes } from 'node:crypto';
import { sessionsRepo, usersRepo } from '@netplane/db';
import { type Role, roleSchema } from '@netplane/domain';
import type { AuthUser } from '../context';
import type { ApiDeps, SessionPolicy } from '../deps';

export const SESSION_COOKIE = 'np_session';
export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
// Writing last_seen_at on every request would make every read a write; a minute of slack is plenty.
const TOUCH_EVERY_MS = 60_000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function policyOf(deps: ApiDeps): SessionPolicy {
  return deps.sessionPolicy ?? DEFAULT_SESSION_POLICY;
}

export type NewSession = { token: string; sessionId: string; csrfToken: string; expiresAt: number };

export async function createSession(deps: ApiDeps, userId: string): Promise<NewSession> {
  const now = deps.now();
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const sessionId = hashToken(token);
  const expiresAt = now + policyOf(deps).absoluteMs;
  await sessionsRepo.insertSession(deps.db.db, {
    id: sessionId,
    userId,
    csrfToken,
    createdAt: now,
    expiresAt,
    lastSeenAt: now,
  });
  return { token, sessionId, csrfToken, expiresAt };
}

export type ResolvedSession =
  | { status: 'none' }
  | { status: 'expired' }
  | { status: 'ok'; user: AuthUser; sessionId: string; csrfToken: string };

/** Looks up the session a cookie token names; ends it when expired or when its user is gone or disabled. */
export async function resolveSession(deps: ApiDeps, token: string | undefined): Promise<ResolvedSession> {
  if (!token || token.length > 128) return { status: 'none' };
  const db = deps.db.db;
  const now = deps.now();
  const id = hashToken(token);
  const s = await sessionsRepo.findSession(db, id);
  if (!s) return { status: 'none' };
  const policy = policyOf(deps);
  if (now >= s.expiresAt || now - s.lastSeenAt >= policy.idleMs) {
    await sessionsRepo.deleteSession(db, id);
    return { status: 'expired' };
  }
  const u = await usersRepo.findUserById(db, s.userId);
  const role = roleSchema.safeParse(u?.role);
  if (!u || u.disabled || !role.success) {
    await sessionsRepo.deleteSession(db, id);
    return { status: 'none' };
  }
  if (now - s.lastSeenAt >= TOUCH_EVERY_MS) await sessionsRepo.touchSession(db, id, now);
  const user: AuthUser = { id: u.id, username: u.username, role: role.data as Role };
  return { status: 'ok', user, sessionId: id, csrfToken: s.csrfToken };
}

/** Housekeeping (the server runs it periodically): deletes sessions past either expiry. */
export function purgeExpiredSessions(deps: ApiDeps): Promise<number> {
  return sessionsRepo.deleteExpiredSessions(deps.db.db, deps.now(), policyOf(deps).idleMs);
}
