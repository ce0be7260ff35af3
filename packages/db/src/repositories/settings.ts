// Key/value settings of the installation (e.g. the hash of the one-time setup token).
import type { Db } from '../connect';

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
