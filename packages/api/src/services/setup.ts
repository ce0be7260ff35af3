// First-run setup: with no user yet, a one-time token (only its hash stored) lets the setup page create the first
// admin; NETPLANE_ADMIN_PASSWORD creates `admin` directly for automation.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { isUniqueViolation, settingsRepo, usersRepo } from '@netplane/db';
import { AppError } from '@netplane/domain';
import type { Context } from '../context';
import type { ApiDeps } from '../deps';
import { recordAudit } from './audit';
import { assertNotThrottled, type SessionView, startSession } from './auth';
import { hashPassword } from './auth-passwords';
import { loginLimiterOf } from './auth-rate-limit';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Each valid token is one row `setup_token_sha256:<hash>`: every node starting on an empty database adds its own. */
export const SETUP_TOKEN_KEY = 'setup_token_sha256';
const SETUP_CLAIM_KEY = 'setup_claim';
export const setupTokenKey = (token: string) => `${SETUP_TOKEN_KEY}:${sha256(token)}`;

export type FirstRun =
  | { kind: 'ready' }
  | { kind: 'admin-created'; username: string }
  | { kind: 'token'; token: string };

/**
 * Called at start. Each node starting on an empty database prints its own token and every printed token works (a
 * cluster started at once must not leave the operator guessing which banner is current); the first setup burns all.
 */
export async function prepareFirstRun(deps: ApiDeps, adminPassword: string | undefined): Promise<FirstRun> {
  const db = deps.db.db;
  if ((await usersRepo.countUsers(db)) > 0) {
    await settingsRepo.deleteSettingsUnder(db, SETUP_TOKEN_KEY);
    await settingsRepo.deleteSetting(db, SETUP_CLAIM_KEY);
    return { kind: 'ready' };
  }
  if (adminPassword) {
    const id = randomUUID();
    const passwordHash = await hashPassword(adminPassword);
    try {
      await usersRepo.insertUser(db, { id, username: 'admin', passwordHash, role: 'admin' }, deps.now());
    } catch (e) {
      // Nodes started together on an empty database all get here; the unique username lets one insert win. The others
      // find that admin and carry on (no second admin, no crash), whichever dialect reported the duplicate.
      if (!isUniqueViolation(e) || !(await usersRepo.findUserByUsername(db, 'admin'))) throw e;
      return { kind: 'ready' };
    }
    await recordAudit({ db, deps, user: null }, 'user.create', { type: 'user', id }, null, {
      username: 'admin',
      role: 'admin',
      via: 'NETPLANE_ADMIN_PASSWORD',
    });
    return { kind: 'admin-created', username: 'admin' };
  }
  const token = randomBytes(18).toString('base64url');
  await settingsRepo.setSetting(db, setupTokenKey(token), sha256(token), deps.now());
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
  // Looked up by the token's hash: the row exists only for a token some node printed (the hash is the key, so there
  // is nothing secret to compare in constant time).
  const stored = await settingsRepo.getSetting(ctx.db, setupTokenKey(input.token));
  if (stored === undefined) {
    await (await loginLimiterOf(ctx.deps)).recordFailure(ctx.ip, '#setup');
    throw new AppError('FORBIDDEN', 'Wrong setup token; use one the server printed at its start', {
      reason: 'BAD_SETUP_TOKEN',
    });
  }
  const passwordHash = await hashPassword(input.password);
  // One claim row, inserted once: two requests racing (even with two different valid tokens) create one admin.
  if (!(await settingsRepo.claimSetting(ctx.db, SETUP_CLAIM_KEY, 'claimed', ctx.deps.now()))) {
    throw new AppError('CONFLICT', 'Setup is already under way from another request');
  }
  const id = randomUUID();
  try {
    // Under the claim: a request that checked before another finished must not add a second admin.
    if (!(await isSetupNeeded(ctx.deps))) {
      throw new AppError('PRECONDITION_FAILED', 'Setup is already done; log in instead', {
        reason: 'SETUP_DONE',
      });
    }
    await usersRepo.insertUser(
      ctx.db,
      { id, username: input.username, passwordHash, role: 'admin' },
      ctx.deps.now(),
    );
    await settingsRepo.deleteSettingsUnder(ctx.db, SETUP_TOKEN_KEY);
  } finally {
    await settingsRepo.deleteSetting(ctx.db, SETUP_CLAIM_KEY);
  }
  const user = { id, username: input.username, role: 'admin' as const };
  await recordAudit({ ...ctx, user }, 'auth.setup', { type: 'user', id }, null, {
    username: input.username,
    role: 'admin',
  });
  return startSession(ctx, user);
}
