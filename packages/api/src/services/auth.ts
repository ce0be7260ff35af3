// Login, logout, the current user, and password change. Messages never say whether a username exists.
import { sessionsRepo, usersRepo } from '@netplane/db';
import { AppError, type Role } from '@netplane/domain';
import type { AuthUser, Context } from '../context';
import { recordAudit } from './audit';
import { hashPassword, verifyPassword } from './auth-passwords';
import { loginLimiterOf } from './auth-rate-limit';
import { createSession } from './sessions';

export type SessionView = { user: AuthUser; csrfToken: string; expiresAt: number };

/** Refuses with RATE_LIMITED (and the seconds to wait) when this ip+username or this ip failed too often. */
export async function assertNotThrottled(ctx: Context, username: string): Promise<void> {
  const limiter = await loginLimiterOf(ctx.deps);
  const wait = await limiter.secondsBlocked(ctx.ip, username);
  if (wait > 0) {
    throw new AppError('RATE_LIMITED', `Too many failed attempts; try again in ${wait} seconds`, {
      retryAfterSeconds: wait,
    });
  }
}

/** Starts a session for a user: sets the cookie and returns what the web app needs. */
export async function startSession(ctx: Context, user: AuthUser): Promise<SessionView> {
  const s = await createSession(ctx.deps, user.id);
  ctx.cookies.set(s.token, s.expiresAt);
  await usersRepo.updateUser(ctx.db, user.id, { lastLoginAt: ctx.deps.now() }, ctx.deps.now());
  return { user, csrfToken: s.csrfToken, expiresAt: s.expiresAt };
}

export async function login(ctx: Context, username: string, password: string): Promise<SessionView> {
  await assertNotThrottled(ctx, username);
  const limiter = await loginLimiterOf(ctx.deps);
  const u = await usersRepo.findUserByUsername(ctx.db, username);
  const ok = await verifyPassword(u?.passwordHash, password);
  if (!u || !ok) {
    await limiter.recordFailure(ctx.ip, username);
    ctx.deps.logger.warn({ username, ip: ctx.ip }, 'Login failed');
    throw new AppError('UNAUTHENTICATED', 'Wrong username or password', { reason: 'BAD_CREDENTIALS' });
  }
  if (u.disabled) throw new AppError('FORBIDDEN', 'This account is disabled; ask an admin');
  await limiter.recordSuccess(ctx.ip, username);
  const user: AuthUser = { id: u.id, username: u.username, role: u.role as Role };
  const view = await startSession(ctx, user);
  await recordAudit({ ...ctx, user }, 'auth.login', { type: 'user', id: u.id }, null, { ip: ctx.ip });
  return view;
}

export async function logout(ctx: Context): Promise<void> {
  if (ctx.sessionId) await sessionsRepo.deleteSession(ctx.db, ctx.sessionId);
  ctx.cookies.clear();
  if (ctx.user) await recordAudit(ctx, 'auth.logout', { type: 'user', id: ctx.user.id }, null, null);
}

export async function changePassword(
  ctx: Context & { user: AuthUser },
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  await assertNotThrottled(ctx, ctx.user.username);
  const u = await usersRepo.findUserById(ctx.db, ctx.user.id);
  if (!u) throw new AppError('NOT_FOUND', 'Your account no longer exists');
  if (!(await verifyPassword(u.passwordHash, currentPassword))) {
    await (await loginLimiterOf(ctx.deps)).recordFailure(ctx.ip, ctx.user.username);
    throw new AppError('FORBIDDEN', 'The current password is wrong', { reason: 'BAD_CREDENTIALS' });
  }
  const passwordHash = await hashPassword(newPassword);
  await usersRepo.updateUser(ctx.db, u.id, { passwordHash }, ctx.deps.now());
  // Other sessions may belong to whoever learnt the old password: end them, keep this one.
  await sessionsRepo.deleteSessionsOfUser(ctx.db, u.id, ctx.sessionId ?? undefined);
  await recordAudit(ctx, 'auth.changePassword', { type: 'user', id: u.id }, null, { passwordChanged: true });
}
