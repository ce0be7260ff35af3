// Users: the accounts that log in to the console. Password hashes stay in this module and the auth service.
import type { Role } from '@netplane/domain';
import type { Db } from '../connect';

export type UserRecord = {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
  lastLoginAt: number | null;
};

export type UserWithHash = UserRecord & { passwordHash: string };

type Row = {
  id: string;
  username: string;
  password_hash: string;
  role: string;
  disabled: number;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
};

function toUser(r: Row): UserWithHash {
  return {
    id: r.id,
    username: r.username,
    passwordHash: r.password_hash,
    // The column only ever receives a Role (the API validates it).
    role: r.role as Role,
    disabled: Number(r.disabled) === 1,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    lastLoginAt: r.last_login_at === null ? null : Number(r.last_login_at),
  };
}

/** Drops the hash: what may leave the service layer. */
export function withoutHash(u: UserWithHash): UserRecord {
  const { passwordHash: _omit, ...rest } = u;
  return rest;
}

export async function insertUser(
  db: Db,
  u: { id: string; username: string; passwordHash: string; role: string },
  now: number,
): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: u.id,
      username: u.username,
      password_hash: u.passwordHash,
      role: u.role,
      disabled: 0,
      created_at: now,
      updated_at: now,
      last_login_at: null,
    })
    .execute();
}

export async function findUserById(db: Db, id: string): Promise<UserWithHash | undefined> {
  const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toUser(r) : undefined;
}

export async function findUserByUsername(db: Db, username: string): Promise<UserWithHash | undefined> {
  const r = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  return r ? toUser(r) : undefined;
}

export async function listUsers(db: Db): Promise<UserRecord[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('username').execute();
  return rows.map((r) => withoutHash(toUser(r)));
}

export async function countUsers(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function updateUser(
  db: Db,
  id: string,
  patch: { role?: string; disabled?: boolean; passwordHash?: string; lastLoginAt?: number },
  now: number,
): Promise<boolean> {
  const res = await db
    .updateTable('users')
    .set({
      updated_at: now,
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled ? 1 : 0 } : {}),
      ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
      ...(patch.lastLoginAt !== undefined ? { last_login_at: patch.lastLoginAt } : {}),
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function deleteUser(db: Db, id: string): Promise<boolean> {
  const res = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
