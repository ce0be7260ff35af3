// One unit of work on either dialect, reusing the caller's transaction when there is one (Kysely cannot nest them).
import type { Db, DbHandle } from './connect';

/** Runs `work` in a transaction: the one `db` already is, or a new one that commits when `work` resolves. */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/**
 * A new transaction at READ COMMITTED on MariaDB (its reads see every commit before each statement, not a snapshot
 * from the first read); SQLite has a single writer, so its default transaction already sees the latest commit.
 */
export function inReadCommitted<T>(handle: DbHandle, work: (trx: Db) => Promise<T>): Promise<T> {
  return handle.dialect === 'mysql'
    ? handle.db.transaction().setIsolationLevel('read committed').execute(work)
    : handle.db.transaction().execute(work);
}
