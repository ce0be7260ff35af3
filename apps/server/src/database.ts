// Opens and migrates the database for every command, turning driver errors into a StartupError that names
// DATABASE_URL (or the data dir) and the fix: unreachable server, wrong credentials, unknown database, corrupt file.
import { connect, type DbHandle, dialectOf, migrateToLatest, sqlitePath } from '@netplane/db';
import type { Env } from './env';
import { StartupError } from './startup-error';

/** user@host:port/database, never the password. */
function describeMysql(url: string): { where: string; user: string; database: string } {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  const user = decodeURIComponent(u.username) || '(no user)';
  return { where: `${u.hostname}:${u.port || '3306'}`, user, database };
}

function codeOf(e: unknown): string | undefined {
  const err = e as { code?: unknown; errors?: { code?: unknown }[] } | undefined;
  if (typeof err?.code === 'string') return err.code;
  // Node's happy-eyeballs connect (a host name with several addresses) fails with an AggregateError.
  const inner = err?.errors?.[0]?.code;
  return typeof inner === 'string' ? inner : undefined;
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'PROTOCOL_CONNECTION_LOST',
]);

function mysqlFailure(e: unknown, url: string): StartupError | undefined {
  const code = codeOf(e);
  if (code === undefined) return undefined;
  const { where, user, database } = describeMysql(url);
  if (UNREACHABLE.has(code))
    return new StartupError(
      'DATABASE_URL',
      `cannot reach the database server at ${where} (${code})`,
      `Start MariaDB/MySQL there, or correct the host and port in DATABASE_URL; check DNS and firewalls.`,
      { cause: e },
    );
  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR')
    return new StartupError(
      'DATABASE_URL',
      `the database server at ${where} refused user "${user}" (wrong user or password)`,
      'Correct the user and password in DATABASE_URL (percent-encode special characters), or grant that user access from this host.',
      { cause: e },
    );
  if (code === 'ER_BAD_DB_ERROR')
    return new StartupError(
      'DATABASE_URL',
      `database "${database}" does not exist on ${where}`,
      `Create it (CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin) or correct the database name in DATABASE_URL.`,
      { cause: e },
    );
  if (code === 'ER_DBACCESS_DENIED_ERROR' || code === 'ER_TABLEACCESS_DENIED_ERROR')
    return new StartupError(
      'DATABASE_URL',
      `user "${user}" may not use database "${database}" on ${where}`,
      `Grant it: GRANT ALL ON \`${database}\`.* TO '${user}'@'<this host>'.`,
      { cause: e },
    );
  return undefined;
}

function sqliteFailure(e: unknown, url: string, env: Env): StartupError | undefined {
  const code = codeOf(e);
  const path = sqlitePath(url);
  // The default database lives in the data dir: send the operator there rather than to a variable they never set.
  const setting = path.startsWith(env.dataDir) ? 'NETPLANE_DATA_DIR' : 'DATABASE_URL';
  switch (code) {
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return new StartupError(
        setting,
        `the SQLite file ${path} is corrupt or not a database (${code})`,
        'Restore it from a backup, or move it away to start with an empty database (what it held is then lost).',
        { cause: e },
      );
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new StartupError(
        setting,
        `the SQLite file ${path} cannot be opened for writing (${code})`,
        "Give the server's user write access to the file and its directory, or point DATABASE_URL elsewhere.",
        { cause: e },
      );
    case 'ENOTDIR':
    case 'EEXIST':
      return new StartupError(
        setting,
        `the directory of the SQLite file ${path} is not a directory (${code})`,
        'Move the file that is in the way, or point DATABASE_URL at a path inside a directory.',
        { cause: e },
      );
    default:
      return undefined;
  }
}

export function classifyDatabaseError(e: unknown, env: Env): unknown {
  if (e instanceof StartupError) return e;
  const url = env.databaseUrl;
  return (dialectOf(url) === 'mysql' ? mysqlFailure(e, url) : sqliteFailure(e, url, env)) ?? e;
}

/** Connects and runs the migrations; a failure closes the pool and throws a StartupError when it can be explained. */
export async function openDatabase(
  env: Env,
  onConnectionError?: (err: Error) => void,
): Promise<{ db: DbHandle; applied: string[] }> {
  let db: DbHandle;
  try {
    db = connect(env.databaseUrl, onConnectionError ? { onConnectionError } : {});
  } catch (e) {
    throw classifyDatabaseError(e, env);
  }
  try {
    return { db, applied: await migrateToLatest(db.db) };
  } catch (e) {
    await db.close().catch(() => {});
    throw classifyDatabaseError(e, env);
  }
}
