// One unit of work on either dialect, reusing the caller's transaction when there is one (Kysely cannot nest them).
import type { Db } from './connect';

/** Runs `work` in a transaction: the one `db` already is, or a new one that commits when `work` resolves. */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
