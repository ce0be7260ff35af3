// User administration (admin only). Never returns a hash; keeps at least one enabled admin.
import { randomUUID } from 'node:crypto';
import { apiTokensRepo, sessionsRepo, usersRepo } from '@netplane/db';
import { AppError, type Role } from '@netplane/domain';
import type { AuthUser, Context } from '../context';
import { recordAudit } from './audit';
import { hashPassword } from './auth-passwords';

type AdminCtx = Context & { user: AuthUser };
type UserRecord = usersRepo.UserRecord;

async function getOr404(ctx: Context, id: string) {
  const u = await usersRepo.findUserById(ctx.db, id);
  if (!u) throw new AppError('NOT_FOUND', 'No such user', { id });
  return u;
}

/** Refuses a change that would leave no enabled admin to administer the installation. */
async function assertKeepsAnAdmin(ctx: Context, target: { role: string; disabled: boolean }): Promise<void> {
  if (target.role !== 'admin' || target.disabled) return;
  if ((await usersRepo.countActiveAdmins(ctx.db)) <= 1) {
    throw new AppError('PRECONDITION_FAILED', 'This is the last enabled admin; make another admin first', {
      reason: 'LAST_ADMIN',
    });
  }
}

export function listUsers(ctx: Context): Promise<UserRecord[]> {
  return usersRepo.listUsers(ctx.db);
}

export async function createUser(
  ctx: AdminCtx,
  input: { username: string; password: string; role: Role },
): Promise<UserRecord> {
  if (await usersRepo.findUserByUsername(ctx.db, input.username)) {
    throw new AppError('CONFLICT', `The username "${input.username}" is taken`);
  }
  const id = randomUUID();
  const passwordHash = await hashPassword(input.password);
  try {
    await usersRepo.insertUser(
      ctx.db,
      { id, username: input.username, passwordHash, role: input.role },
      ctx.deps.now(),
    );
  } catch (e) {
    // A concurrent create of the same name loses on the unique index.
    if (await usersRepo.findUserByUsername(ctx.db, input.username)) {
      throw new AppError('CONFLICT', `The username "${input.username}" is taken`);
    }
    throw e;
  }
  const created = usersRepo.withoutHash(await getOr404(ctx, id));
  await recordAudit(ctx, 'user.create', { type: 'user', id }, null, created);
  return created;
}

export async function updateRole(ctx: AdminCtx, id: string, role: Role): Promise<UserRecord> {
  const before = await getOr404(ctx, id);
  if (before.role !== role) await assertKeepsAnAdmin(ctx, before);
  await usersRepo.updateUser(ctx.db, id, { role }, ctx.deps.now());
  const after = usersRepo.withoutHash(await getOr404(ctx, id));
  await recordAudit(ctx, 'user.updateRole', { type: 'user', id }, { role: before.role }, { role });
  return after;
}

export async function setDisabled(ctx: AdminCtx, id: string, disabled: boolean): Promise<UserRecord> {
  const before = await getOr404(ctx, id);
  if (disabled && id === ctx.user.id)
    throw new AppError('PRECONDITION_FAILED', 'You cannot disable yourself');
  if (disabled) await assertKeepsAnAdmin(ctx, before);
  await usersRepo.updateUser(ctx.db, id, { disabled }, ctx.deps.now());
  // A disabled user's sessions end and API tokens are revoked (re-enabling brings neither back).
  let tokensRevoked = 0;
  if (disabled) {
    await sessionsRepo.deleteSessionsOfUser(ctx.db, id);
    tokensRevoked = await apiTokensRepo.revokeTokensOfUser(ctx.db, id, ctx.deps.now());
  }
  const after = usersRepo.withoutHash(await getOr404(ctx, id));
  await recordAudit(
    ctx,
    'user.setDisabled',
    { type: 'user', id },
    { disabled: before.disabled },
    disabled ? { disabled, tokensRevoked } : { disabled },
  );
  return after;
}

export async function resetPassword(ctx: AdminCtx, id: string, password: string): Promise<void> {
  await getOr404(ctx, id);
  const passwordHash = await hashPassword(password);
  await usersRepo.updateUser(ctx.db, id, { passwordHash }, ctx.deps.now());
  await sessionsRepo.deleteSessionsOfUser(
    ctx.db,
    id,
    id === ctx.user.id ? (ctx.sessionId ?? undefined) : undefined,
  );
  await recordAudit(ctx, 'user.resetPassword', { type: 'user', id }, null, { passwordReset: true });
}

export async function deleteUser(ctx: AdminCtx, id: string): Promise<void> {
  const before = await getOr404(ctx, id);
  if (id === ctx.user.id) throw new AppError('PRECONDITION_FAILED', 'You cannot delete yourself');
  await assertKeepsAnAdmin(ctx, before);
  await sessionsRepo.deleteSessionsOfUser(ctx.db, id);
  await usersRepo.deleteUser(ctx.db, id);
  await recordAudit(ctx, 'user.delete', { type: 'user', id }, usersRepo.withoutHash(before), null);
}
