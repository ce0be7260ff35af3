// One unit of work on either dialect, reusing the caller's transaction when there is one (Kysely cannot nest them).
// A new transaction that InnoDB picks as a deadlock victim (or whose lock wait times out) has been rolled back whole,
// so it runs again, a few times, after a short random pause: MariaDB's own advice ("try restarting transaction").
// Two NIC writers on one small table deadlock without any bug on our side (a scan locks rows the other just
// inserted), so every transaction the engine opens must expect it. The work must only touch the database: a retry
// runs it from the start on a fresh transaction.
import type { Db, DbHandle } from './connect';
import { isLockConflict } from './repositories/inventory-util';

/** Attempts of one transaction before a lock conflict is given to the caller. */
export const LOCK_CONFLICT_ATTEMPTS = 5;

async function retryingLockConflicts<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (attempt >= LOCK_CONFLICT_ATTEMPTS || !isLockConflict(e)) throw e;
      // jittered so that the two victims of one cycle do not meet again at the same instant
      await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** attempt));
    }
  }
}

/** Runs `work` in a transaction: the one `db` already is, or a new one that commits when `work` resolves. */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return retryingLockConflicts(() => db.transaction().execute(work));
}

/**
 * A new transaction at READ COMMITTED on MariaDB (its reads see every commit before each statement, not a snapshot
 * from the first read, and an UPDATE that scans skips rows other transactions are still inserting instead of
 * waiting for them); SQLite has a single writer, so its default transaction already sees the latest commit.
 */
export function inReadCommitted<T>(handle: DbHandle, work: (trx: Db) => Promise<T>): Promise<T> {
  return retryingLockConflicts(() =>
    handle.dialect === 'mysql'
      ? handle.db.transaction().setIsolationLevel('read committed').execute(work)
      : handle.db.transaction().execute(work),
  );
}
