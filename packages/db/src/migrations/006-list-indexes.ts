// Indexes for the keyset-paged lists: each default sort (and the sorts the console offers) reads an index in order,
// with the id as the tiebreaker, so page N of 10,000 VPCs costs what page 1 does.
import type { Kysely } from 'kysely';

const INDEXES: { name: string; table: string; columns: string[] }[] = [
  { name: 'vpcs_by_created', table: 'vpcs', columns: ['created_at', 'id'] },
  { name: 'vpcs_by_name', table: 'vpcs', columns: ['name', 'id'] },
  { name: 'vpcs_by_state_created', table: 'vpcs', columns: ['state', 'created_at', 'id'] },
  { name: 'jobs_by_created', table: 'jobs', columns: ['created_at', 'id'] },
  { name: 'element_calls_by_started', table: 'element_calls', columns: ['started_at', 'id'] },
  { name: 'nics_by_network_created', table: 'nics', columns: ['network_id', 'created_at', 'id'] },
  { name: 'audit_log_by_target', table: 'audit_log', columns: ['target_id', 'id'] },
  { name: 'diagnoses_by_created', table: 'diagnoses', columns: ['created_at', 'id'] },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const i of INDEXES) {
    await db.schema.createIndex(i.name).ifNotExists().on(i.table).columns(i.columns).execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const i of INDEXES) await db.schema.dropIndex(i.name).ifExists().on(i.table).execute();
}
