// The Realized condition (issue 12): beside Ready and Synced, whether the controller made our resources work
// (compiled, bound, in effect). VPCs get a `realized_status` column like migration 014's `ready_status` /
// `synced_status` (the status of the first Realized element of the JSON, NULL when there is none), with the same kind
// of index, so "Implemented and Synced but not Realized" is counted and filtered by a seek. Static NAT, LB and port
// forwarding rules had no conditions: they get a JSON `conditions` column ('[]' for the rules that exist).
// Self-contained on purpose: no VPC carries a Realized condition before this migration, so the column starts NULL
// for every row and nothing needs a backfill.
import { type Kysely, MysqlAdapter } from 'kysely';

const RULE_TABLES = ['static_nat_rules', 'lb_rules', 'port_forwarding_rules'] as const;
const INDEX = {
  name: 'vpcs_by_realized_created',
  columns: ['realized_status', 'created_at', 'id', 'state'],
} as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('vpcs').addColumn('realized_status', 'varchar(32)').execute();
  // A default, so the rule inserts need not name the column; a bounded varchar takes one on both dialects (the
  // engine caps what it writes: one Realized condition with a short message).
  for (const table of RULE_TABLES)
    await db.schema
      .alterTable(table)
      .addColumn('conditions', 'varchar(4000)', (c) => c.notNull().defaultTo('[]'))
      .execute();
  await db.schema
    .createIndex(INDEX.name)
    .ifNotExists()
    .on('vpcs')
    .columns([...INDEX.columns])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // SQLite has no DROP INDEX … ON; MariaDB needs it.
  const index = db.schema.dropIndex(INDEX.name).ifExists();
  await (db.getExecutor().adapter instanceof MysqlAdapter ? index.on('vpcs') : index).execute();
  for (const table of RULE_TABLES) await db.schema.alterTable(table).dropColumn('conditions').execute();
  await db.schema.alterTable('vpcs').dropColumn('realized_status').execute();
}
