// The console's hot list reads seek or walk an index on both dialects, asserted on the planner's own answer (SQLite
// EXPLAIN QUERY PLAN, MariaDB EXPLAIN) over a few thousand analysed rows: no timing, so the machine's load cannot
// decide the outcome. A plan that falls back to reading the table, or sorts in a temporary B-tree, fails here before
// it shows as a slow p99 in `npm run bench -- api` (docs/benchmarks.md).
import { type CompiledQuery, type KyselyPlugin, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, nicsRepo, vpcsRepo } from '../src/index';
import { createTestDatabase, type TestDatabase, testDialects } from '../src/testing';
import { seedPlanWorld } from './plan-world';

/** One table access of a plan: the table, how it is read (MariaDB's `type`), the index, and the rest. */
type Access = { table: string; how: string; index: string | null; extra: string };

async function explain(t: TestDatabase, q: CompiledQuery): Promise<Access[]> {
  const prefix = t.dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
  const r = await t.db.executeQuery({ ...q, sql: prefix + q.sql, query: sql``.toOperationNode() } as never);
  const rows = r.rows as Record<string, unknown>[];
  if (t.dialect === 'sqlite')
    return rows.map((row) => {
      const detail = String(row.detail);
      const m = /^(SCAN|SEARCH) (\S+)(?: USING (?:COVERING )?INDEX (\S+))?/.exec(detail);
      return { table: m?.[2] ?? '', how: m?.[1] ?? detail, index: m?.[3] ?? null, extra: detail };
    });
  return rows.map((row) => ({
    table: String(row.table ?? ''),
    how: String(row.type ?? ''),
    index: row.key === null || row.key === undefined ? null : String(row.key),
    extra: String(row.Extra ?? ''),
  }));
}

/** Every statement a repository call runs (a keyset page runs its page and its count), captured to be explained. */
async function statementsOf(t: TestDatabase, read: (db: Db) => Promise<unknown>): Promise<CompiledQuery[]> {
  const captured: CompiledQuery[] = [];
  const capture: KyselyPlugin = {
    transformQuery: (a) => {
      captured.push(t.db.getExecutor().compileQuery(a.node, a.queryId));
      return a.node;
    },
    transformResult: async (a) => a.result,
  };
  await read(t.db.withPlugin(capture));
  return captured;
}

/** No access reads a table without an index, and (unless `sortOk`) nothing is sorted outside one. */
function expectIndexed(plan: Access[], sqlText: string, sortOk = false): void {
  const where = `${sqlText}\n${JSON.stringify(plan, null, 1)}`;
  for (const a of plan) {
    if (a.table === '' && a.how !== 'ALL') continue; // SQLite's plan lines that are not a table access
    // A capped count's outer query reads its own LIMITed subquery (`capped`), not a table.
    if (/^(capped|<derived\d+>)$/.test(a.table)) continue;
    expect(a.index ?? (a.how === 'SEARCH' ? 'rowid/primary key' : null), where).not.toBeNull();
    expect(a.how, where).not.toBe('ALL');
    if (!sortOk) expect(a.extra, where).not.toMatch(/filesort|TEMP B-TREE/i);
  }
}

describe.each(testDialects())('query plans of the console reads on %s', (dialect) => {
  let t: TestDatabase;
  let tierId = '';
  let bigTierId = '';
  let vpcId = '';
  let deepCursor = '';
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    ({ tierId, bigTierId, vpcId } = await seedPlanWorld(t));
    let cursor: string | undefined;
    for (let i = 0; i < 5; i++)
      cursor = (await vpcsRepo.listVpcs(t.db, { limit: 200, cursor })).nextCursor ?? '';
    deepCursor = cursor ?? '';
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
  });

  // What each read's statements must use: the index it seeks or walks, per dialect (a covering or primary index
  // is named by the engine as it likes: SQLite's autoindex, MariaDB's PRIMARY).
  const reads: [string, (db: Db) => Promise<unknown>, RegExp, { sortOk?: boolean }?][] = [
    ['vpcs.list first page', (db) => vpcsRepo.listVpcs(db, { limit: 50 }), /vpcs_by_/],
    ['vpcs.list deep cursor', (db) => vpcsRepo.listVpcs(db, { limit: 50, cursor: deepCursor }), /vpcs_by_/],
    [
      'vpcs.list name search',
      (db) => vpcsRepo.listVpcs(db, { limit: 50, nameContains: 'vpc-12' }),
      /vpcs_by_created_state_name|PRIMARY|autoindex/,
    ],
    [
      'dashboard count: not Synced',
      (db) => vpcsRepo.listVpcs(db, { limit: 1, condition: { type: 'Synced', status: 'False' } }),
      /vpcs_by_synced_created/,
    ],
    [
      'condition filter: not Ready',
      (db) => vpcsRepo.listVpcs(db, { limit: 50, condition: { type: 'Ready', status: 'False' } }),
      /vpcs_by_ready_created/,
    ],
    [
      'dashboard count: in Error',
      (db) => vpcsRepo.listVpcs(db, { limit: 1, state: 'Error' }),
      /vpcs_by_state/,
    ],
    ['vpcs.get', (db) => vpcsRepo.getVpc(db, vpcId), /PRIMARY|autoindex/],
    // A tier of 10 NICs: MariaDB reads them by the unique (network_id, ip_index) and sorts the ten (its cost model
    // ties the two indexes; it does not read the id tiebreaker out of a unique index); the sort of 10 rows is not
    // the cost, the 2,000-NIC tier below is where a sort would be, and there it reads nics_by_network_ip_id in order.
    [
      'nics.list of a tier',
      (db) => nicsRepo.pageNics(db, { networkId: tierId, limit: 50 }),
      /nics_/,
      { sortOk: dialect === 'mysql' },
    ],
    [
      'nics.list of a tier of 2,000 NICs',
      (db) => nicsRepo.pageNics(db, { networkId: bigTierId, limit: 50 }),
      // SQLite: the unique (network_id, ip_index) already orders a tier's rows (its planner knows the id after a
      // unique key changes nothing); MariaDB: the index of migration 014 for the page (no sort asserted above), any
      // index on network_id for its count.
      /sqlite_autoindex_nics|nics_network_ip|nics_by_network_ip_id/,
    ],
  ];

  it.each(reads)('%s reads an index, never the whole table nor a sort', async (_name, read, index, opts) => {
    const statements = await statementsOf(t, read);
    expect(statements.length).toBeGreaterThan(0);
    for (const q of statements) {
      const plan = await explain(t, q);
      if (process.env.PRINT_PLANS) console.log(q.sql, JSON.stringify(plan));
      expectIndexed(plan, q.sql, opts?.sortOk);
      const first = plan.find((a) => a.table !== '' && !/^(capped|<derived\d+>)$/.test(a.table));
      expect(first?.index ?? '', `${q.sql}\n${JSON.stringify(plan)}`).toMatch(index);
    }
  });

  it('counts at most NAME_SEARCH_COUNT_CAP matches of a name search, exactly under it, by its page when it fits', async () => {
    const broad = await vpcsRepo.listVpcs(t.db, { limit: 50, nameContains: 'bench-vpc' });
    expect([broad.total, broad.totalCapped, broad.items.length]).toEqual([
      vpcsRepo.NAME_SEARCH_COUNT_CAP,
      true,
      50,
    ]);
    // bench-vpc-12, -120…-129, -1200…-1299
    const narrow = await vpcsRepo.listVpcs(t.db, { limit: 50, nameContains: 'vpc-12' });
    expect([narrow.total, narrow.totalCapped]).toEqual([111, undefined]);
    // A first page that holds every match is its own count (no second scan).
    const statements = await statementsOf(t, (db) =>
      vpcsRepo.listVpcs(db, { limit: 50, nameContains: 'vpc-1999' }),
    );
    expect(statements.some((q) => /count\(\*\)/.test(q.sql))).toBe(false);
    const one = await vpcsRepo.listVpcs(t.db, { limit: 50, nameContains: 'vpc-1999' });
    expect([one.total, one.items.map((v) => v.name), one.nextCursor]).toEqual([1, ['bench-vpc-1999'], null]);
  });
});
