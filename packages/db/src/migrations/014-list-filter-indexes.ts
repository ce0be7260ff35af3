// The VPC list's condition filter (the dashboard's "not Synced" count, the console's Ready/Synced filter) matched a
// condition inside the JSON `conditions` text of every VPC: no index reaches into it, so the count read all 10,000
// rows (SQLite 12–16 ms of CPU, MariaDB a full table scan; docs/benchmarks.md). Each condition type the list filters
// on now has a column of its own, `ready_status` / `synced_status` (the status of the first element of that type, NULL
// when there is none or the JSON is malformed), written by the same statement that writes `conditions`
// (repositories/vpc-conditions.ts), and an index leading with it in the list's default order.
// And the NIC list's keyset order: a tier's NICs by (ip_index, id). The unique (network_id, ip_index) of migration 002
// holds the rows in that order, but MariaDB does not read the id tiebreaker out of it and sorted every page (EXPLAIN:
// `Using filesort`); this index matches the ORDER BY column for column on both dialects.
// Self-contained on purpose: the backfill repeats the derivation here, so a later change there cannot rewrite history.
import { type Kysely, sql } from 'kysely';

const COLUMNS = { Ready: 'ready_status', Synced: 'synced_status' } as const;

const INDEXES: { name: string; table: string; columns: string[] }[] = [
  // (status, created_at, id) is the page's seek and order; state makes the count (state != 'Destroy') covering.
  { name: 'vpcs_by_synced_created', table: 'vpcs', columns: ['synced_status', 'created_at', 'id', 'state'] },
  { name: 'vpcs_by_ready_created', table: 'vpcs', columns: ['ready_status', 'created_at', 'id', 'state'] },
  { name: 'nics_by_network_ip_id', table: 'nics', columns: ['network_id', 'ip_index', 'id'] },
];

/** The status per condition type of a stored conditions value, as the repositories derive it. */
function statusesOf(conditions: string): Record<keyof typeof COLUMNS, string | null> {
  const out: Record<keyof typeof COLUMNS, string | null> = { Ready: null, Synced: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(conditions);
  } catch {
    return out;
  }
  if (!Array.isArray(parsed)) return out;
  for (const type of Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]) {
    const c = parsed.find((e) => typeof e === 'object' && e !== null && e.type === type) as
      | { status?: unknown }
      | undefined;
    out[type] = typeof c?.status === 'string' && c.status.length <= 32 ? c.status : null;
  }
  return out;
}

const BATCH = 500;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of Object.values(COLUMNS))
    await db.schema.alterTable('vpcs').addColumn(column, 'varchar(32)').execute();
  // Backfill in keyset batches by id; the rows of a batch that share both statuses take one UPDATE (a handful of
  // statements per batch, not one per VPC).
  let after = '';
  for (;;) {
    const rows = (
      await sql<{ id: string; conditions: string }>`select id, conditions from vpcs where id > ${after}
        order by id limit ${BATCH}`.execute(db)
    ).rows;
    if (rows.length === 0) break;
    const groups = new Map<string, { s: Record<keyof typeof COLUMNS, string | null>; ids: string[] }>();
    for (const r of rows) {
      const s = statusesOf(r.conditions);
      const key = JSON.stringify(s);
      const g = groups.get(key) ?? { s, ids: [] };
      g.ids.push(r.id);
      groups.set(key, g);
    }
    for (const { s, ids } of groups.values())
      await sql`update vpcs set ready_status = ${s.Ready}, synced_status = ${s.Synced}
        where id in (${sql.join(ids)})`.execute(db);
    after = rows[rows.length - 1]?.id ?? after;
    if (rows.length < BATCH) break;
  }
  for (const i of INDEXES)
    await db.schema.createIndex(i.name).ifNotExists().on(i.table).columns(i.columns).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const i of INDEXES) await db.schema.dropIndex(i.name).ifExists().on(i.table).execute();
  for (const column of Object.values(COLUMNS))
    await db.schema.alterTable('vpcs').dropColumn(column).execute();
}
