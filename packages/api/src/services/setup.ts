// First-run setup: with no user yet, a one-time token (only its hash stored) lets the setup page create the first
// admin; NETPLANE_ADMIN_PASSWORD creates `admin` directly for automation.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { settingsRepo, usersRepo } from '@netplane/db';
import { AppError } from '@netplane/domain';
import type { Context } from '../context';
import type { ApiDeps } from '../deps';
import { recordAudit } from './audit';
import { assertNotThrottled, type SessionView, startSession } from './auth';
import { hashPassword } from './auth-passwords';
import { loginLimiterOf } from './auth-rate-limit';

export const SETUP_TOKEN_KEY = 'setup_token_sha256';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export type FirstRun =
  | { kind: 'ready' }
  | { kind: 'admin-created'; username: string }
  | { kind: 'token'; token: string };

/** Called at start. Each node starting on an empty database prints its own token; the last one printed is valid. */
export async function prepareFirstRun(deps: ApiDeps, adminPassword: string | undefined): Promise<FirstRun> {
  const db = deps.db.db;
  if ((await usersRepo.countUsers(db)) > 0) {
    await settingsRepo.deleteSetting(db, SETUP_TOKEN_KEY);
    return { kind: 'ready' };
  }
  if (adminPassword) {
    const id = randomUUID();
    const passwordHash = await hashPassword(adminPassword);
    await usersRepo.insertUser(db, { id, username: 'admin', passwordHash, role: 'admin' }, deps.now());
    await recordAudit({ db, deps, user: null }, 'user.create', { type: 'user', id }, null, {
      username: 'admin',
      role: 'admin',
      via: 'NETPLANE_ADMIN_PASSWORD',
    });
    return { kind: 'admin-created', username: 'admin' };
  }
  const token = randomBytes(18).toString('base64url');
  await settingsRepo.setSetting(db, SETUP_TOKEN_KEY, sha256(token), deps.now());
  return { kind: 'token', token };
}

export async function isSetupNeeded(deps: ApiDeps): Promise<boolean> {
  return (await usersRepo.countUsers(deps.db.db)) === 0;
}

export async function completeSetup(
  ctx: Context,
  input: { token: string; username: string; password: string },
): Promise<SessionView> {
  await assertNotThrottled(ctx, '#setup');
  if (!(await isSetupNeeded(ctx.deps))) {
    throw new AppError('PRECONDITION_FAILED', 'Setup is already done; log in instead', {
      reason: 'SETUP_DONE',
    });
  }
  const stored = await settingsRepo.getSetting(ctx.db, SETUP_TOKEN_KEY);
  const given = Buffer.from(sha256(input.token));
  if (!stored || stored.length !== given.length || !timingSafeEqual(Buffer.from(stored), given)) {
    await (await loginLimiterOf(ctx.deps)).recordFailure(ctx.ip, '#setup');
    throw new AppError('FORBIDDEN', 'Wrong setup token; use the one the server printed at its last start', {
      reason: 'BAD_SETUP_TOKEN',
    });
  }
  const passwordHash = await hashPassword(input.password);
  // Deleting the exact hash burns the token once, even when two requests race with it.
  if (!(await settingsRepo.deleteSetting(ctx.db, SETUP_TOKEN_KEY, stored))) {
    throw new AppError('CONFLICT', 'Setup is already under way from another request');
  }
  const id = randomUUID();
  await usersRepo.insertUser(
    ctx.db,
    { id, username: input.username, passwordHash, role: 'admin' },
    ctx.deps.now(),
  );
  const user = { id, username: input.username, role: 'admin' as const };
  await recordAudit({ ...ctx, user }, 'auth.setup', { type: 'user', id }, null, {
    username: input.username,
    role: 'admin',
  });
  return startSession(ctx, user);
}
