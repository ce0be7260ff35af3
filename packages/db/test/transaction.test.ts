// Transactions that InnoDB rolls back for a deadlock run again instead of failing the job that opened them, and a
// READ COMMITTED update that scans a small table does not wait for rows another transaction is still inserting (the
// cycle behind a flaky concurrent nics.prepareBulk on MariaDB: an allocation inserting NICs while a job's
// "UPDATE nics … WHERE id IN (…)" scanned the table and locked them). MariaDB only: SQLite has one writer and never
// deadlocks. Both cycles are built with real connections, ordered by promises, not by sleeps.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inReadCommitted, inTransaction } from '../src/index';
import { createTestDatabase, type TestDatabase, testDialects } from '../src/testing';

/** A promise with its resolver, to order two transactions' statements. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}

const mysqlOnly = testDialects().filter((d) => d === 'mysql');

describe.skipIf(mysqlOnly.length === 0)('transactions on mysql', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('mysql');
    await t.db
      .insertInto('settings')
      .values([
        { key: 'a', value: '0', updated_at: 0 },
        { key: 'b', value: '0', updated_at: 0 },
      ])
      .execute();
  });
  afterAll(async () => {
    await t?.drop();
  });

  const bump = (trx: typeof t.db, key: string) =>
    trx.updateTable('settings').set({ value: sql<string>`value + 1` }).where('key', '=', key).execute();

  it('runs the victim of a real deadlock again, so both transactions commit', async () => {
    // A locks a then wants b; B locks b then wants a: InnoDB finds the cycle at once and rolls one of them back.
    const aHolds = gate();
    const bHolds = gate();
    let runs = 0;
    const side = (
      first: string,
      second: string,
      mine: ReturnType<typeof gate>,
      theirs: ReturnType<typeof gate>,
    ) =>
      inTransaction(t.db, async (trx) => {
        runs++;
        await bump(trx, first);
        mine.open();
        await theirs.opened; // already open on a retry, which then simply runs through
        await bump(trx, second);
      });
    await Promise.all([side('a', 'b', aHolds, bHolds), side('b', 'a', bHolds, aHolds)]);
    expect(runs).toBe(3); // two first attempts, one retry of the victim
    const values = await t.db
      .selectFrom('settings')
      .select(['key', 'value'])
      .where('key', 'in', ['a', 'b'])
      .execute();
    expect(Object.fromEntries(values.map((v) => [v.key, v.value]))).toEqual({ a: '2', b: '2' });
  });

  it('lets a READ COMMITTED update of a scanned table pass rows another transaction is still inserting', async () => {
    const inserted = gate();
    const done = gate();
    const inserting = t.db.transaction().execute(async (trx) => {
      await trx.insertInto('settings').values({ key: 'c', value: '0', updated_at: 0 }).execute();
      inserted.open();
      await done.opened; // hold the inserted row's lock until the update below has finished
    });
    await inserted.opened;
    // No index on value: every row is scanned, including the uncommitted 'c'. At REPEATABLE READ this update waits
    // for the insert's lock (and a lock wait is half of a deadlock); at READ COMMITTED it skips the row.
    await inReadCommitted(t, (trx) =>
      trx.updateTable('settings').set({ updated_at: 1 }).where('value', '=', '2').execute(),
    );
    done.open();
    await inserting;
    const rows = await t.db.selectFrom('settings').select(['key', 'updated_at']).orderBy('key').execute();
    expect(rows.map((r) => [r.key, Number(r.updated_at)])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 0],
    ]);
  });
});
