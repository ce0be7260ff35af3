// Indexes for the console's "what is in trouble" reads (support.queue, diagnostics.stuck): each looks for the few
// rows in a transitional state or unfinished among every row ever written. Without these, one support-queue page
// scanned every NIC, tier and job (at 100,000 NICs: ~130 ms on SQLite, docs/benchmarks.md).
import type { Kysely } from 'kysely';

const INDEXES: { name: string; table: string; columns: string[] }[] = [
  // `finished_at is null` (the few unfinished jobs), then in deadline order as overdueJobs sorts them.
  { name: 'jobs_unfinished_by_deadline', table: 'jobs', columns: ['finished_at', 'deadline_at'] },
  // `state in (transitional) and updated_at < cutoff`: existing indexes lead with vpc_id, useless here.
  { name: 'networks_by_state_updated', table: 'networks', columns: ['state', 'updated_at'] },
  { name: 'nics_by_state_updated', table: 'nics', columns: ['state', 'updated_at'] },
  { name: 'vpcs_by_state_updated', table: 'vpcs', columns: ['state', 'updated_at'] },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const i of INDEXES) {
    await db.schema.createIndex(i.name).ifNotExists().on(i.table).columns(i.columns).execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const i of INDEXES) await db.schema.dropIndex(i.name).ifExists().on(i.table).execute();
}
