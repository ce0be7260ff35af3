// Calls are recorded before they are sent (outcome inFlight): the sweep that marks a dead node's in-flight calls
// abandoned finds them through this index instead of scanning the whole call log.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('element_calls_by_outcome_node')
    .ifNotExists()
    .on('element_calls')
    .columns(['outcome', 'node_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('element_calls_by_outcome_node').ifExists().on('element_calls').execute();
}
