// Key/value settings of the installation (e.g. the hash of the one-time setup token).
import type { Db } from '../connect';
import { isLockConflict, isUniqueViolation } from './inventory-util';

export async function getSetting(db: Db, key: string): Promise<string | undefined> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return r?.value;
}

export async function setSetting(db: Db, key: string, value: string, now: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const res = await tx
      .updateTable('settings')
      .set({ value, updated_at: now })
      .where('key', '=', key)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) {
      await tx.insertInto('settings').values({ key, value, updated_at: now }).execute();
    }
  });
}

/** Deletes a setting; true when it existed. Used to burn one-time tokens exactly once. */
export async function deleteSetting(db: Db, key: string, expectedValue?: string): Promise<boolean> {
  let q = db.deleteFrom('settings').where('key', '=', key);
  if (expectedValue !== undefined) q = q.where('value', '=', expectedValue);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Inserts a setting only if the key is free; false when another writer holds it (a claim taken exactly once). */
export async function claimSetting(db: Db, key: string, value: string, now: number): Promise<boolean> {
  try {
    await db.insertInto('settings').values({ key, value, updated_at: now }).execute();
    return true;
  } catch (e) {
    // Someone else holds the key. Not "is the row there now": the holder may already have finished and deleted it
    // (a setup claim lives milliseconds), and that lost race would then surface as a 500.
    if (isUniqueViolation(e) || isLockConflict(e)) return false;
    throw e;
  }
}

/** Deletes every setting whose key is `${prefix}:…`; returns how many went. */
export async function deleteSettingsUnder(db: Db, prefix: string): Promise<number> {
  // A range instead of LIKE: the prefix may hold LIKE wildcards (`_`). ';' is the character after ':'.
  const res = await db
    .deleteFrom('settings')
    .where('key', '>', `${prefix}:`)
    .where('key', '<', `${prefix};`)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
