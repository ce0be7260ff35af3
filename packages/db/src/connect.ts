// Opens a Kysely instance on either dialect from one URL: sqlite:<path> (embedded default) or mysql://user:pass@host/db.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, MysqlDialect, SqliteDialect } from 'kysely';
import { createPool } from 'mysql2';
import type { Database } from './schema';

export type DialectName = 'sqlite' | 'mysql';
export type Db = Kysely<Database>;
export type DbHandle = { db: Db; dialect: DialectName; close(): Promise<void> };

export function dialectOf(url: string): DialectName {
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) return 'mysql';
  if (url.startsWith('sqlite:') || url.startsWith('file:')) return 'sqlite';
  throw new Error(`DATABASE_URL must start with sqlite: or mysql:// (got "${url.split(':')[0]}:")`);
}

export function sqlitePath(url: string): string {
  return url.replace(/^(sqlite|file):(\/\/)?/, '');
}

export type ConnectOptions = {
  poolSize?: number;
  /**
   * MariaDB only: seconds a connection may sit idle inside an open transaction before the server rolls it back and
   * closes it. A process paused (SIGSTOP, VM freeze) mid-transaction would otherwise keep its row locks forever and a
   * `FOR UPDATE SKIP LOCKED` job claim would pass the job by, so nobody could take it over. Keep it below the job
   * lease; our transactions are a few statements long and never wait on anything slow. 0 disables it.
   */
  idleTransactionTimeoutS?: number;
  /**
   * Told about errors of pooled connections that no query was waiting for (the server or the path to it went away
   * while the connection sat idle). The pool drops such a connection and opens a new one on demand; this is for logs.
   */
  onConnectionError?: (err: Error) => void;
};

/** Default below the shortest lease used in practice (tests run 3 s; production 15 s). */
export const DEFAULT_IDLE_TRANSACTION_TIMEOUT_S = 2;

export function connect(url: string, options: ConnectOptions = {}): DbHandle {
  const dialect = dialectOf(url);
  if (dialect === 'sqlite') {
    const path = sqlitePath(url);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const database = new SQLite(path);
    // WAL lets readers run beside the single writer; busy_timeout makes concurrent writers wait instead of failing.
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    database.pragma('synchronous = NORMAL');
    cachePreparedStatements(database);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    return { db, dialect, close: () => db.destroy() };
  }
  const pool = createPool({
    uri: url.replace(/^mariadb:/, 'mysql:'),
    connectionLimit: options.poolSize ?? 10,
    // Dates are stored as epoch milliseconds (BIGINT) on both dialects; BIGINTs come back as numbers.
    supportBigNumbers: true,
    bigNumberStrings: false,
    charset: 'utf8mb4',
    timezone: 'Z',
  });
  const idleTimeout = options.idleTransactionTimeoutS ?? DEFAULT_IDLE_TRANSACTION_TIMEOUT_S;
  pool.on('connection', (connection) => {
    guardConnection(connection, options.onConnectionError);
    if (idleTimeout <= 0) return;
    // Runs before any query of the new connection: mysql2 queues commands per connection in order. Its callback
    // swallows the error: a connection that dies here fails the query queued behind it, which its caller handles.
    connection.query(`SET SESSION idle_transaction_timeout = ${Math.ceil(idleTimeout)}`, () => {});
  });
  const db = new Kysely<Database>({ dialect: new MysqlDialect({ pool }) });
  return { db, dialect, close: () => db.destroy() };
}

/**
 * A mysql2 connection emits 'error' when it dies with no command waiting, and again for a command sent to it after
 * death; the pool listens only once. An 'error' without a listener is an uncaught exception that kills the process,
 * so every pooled connection (Kysely's and the login limiter's) gets a permanent listener here.
 */
export function guardConnection(
  connection: { on(event: 'error', listener: (err: Error) => void): unknown },
  onError?: (err: Error) => void,
): void {
  connection.on('error', (err) => onError?.(err));
}

/**
 * Kysely prepares every query anew, and preparing costs as much as running a small query. better-sqlite3 statements
 * are reusable, so identical SQL reuses its statement (bounded; Kysely never iterates two of them at once here).
 */
function cachePreparedStatements(database: SQLite.Database): void {
  const prepare = database.prepare.bind(database);
  const cache = new Map<string, ReturnType<typeof prepare>>();
  database.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      statement = prepare(source);
      if (cache.size < 2_000) cache.set(source, statement);
    }
    return statement;
  }) as typeof database.prepare;
}
