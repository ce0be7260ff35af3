// An index for the VPC list's name search (`lower(name) like '%text%'`): a substring cannot seek a B-tree, so the
// search reads every VPC; this index holds what its filters and its order need (created_at, id, state, name), so
// the page walks it newest first and the count scans it instead of the table rows with their JSON conditions
// (MariaDB's count was a full table scan, docs/benchmarks.md). It costs a write per VPC change of state or name.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('vpcs_by_created_state_name')
    .ifNotExists()
    .on('vpcs')
    .columns(['created_at', 'id', 'state', 'name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('vpcs_by_created_state_name').ifExists().on('vpcs').execute();
}
