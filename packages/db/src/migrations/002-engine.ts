// Engine tables: VPCs, tiers (networks), elements, NICs, transitions, jobs and steps, element calls, traces, nodes,
// and the cluster-wide call guards (slots and rates). Indexes follow the hot queries named beside them.
import type { Kysely } from 'kysely';

const ID = 'varchar(36)';
const NAME = 'varchar(255)';
const STATE = 'varchar(32)';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('vpcs')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('name', NAME, (c) => c.notNull())
    .addColumn('zone_id', ID, (c) => c.notNull().references('zones.id'))
    .addColumn('offering_id', ID, (c) => c.notNull().references('offerings.id'))
    .addColumn('cidr', 'varchar(64)', (c) => c.notNull())
    .addColumn('state', STATE, (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('created_by', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // list with filters state/zone
  await db.schema
    .createIndex('vpcs_by_zone_state')
    .ifNotExists()
    .on('vpcs')
    .columns(['zone_id', 'state'])
    .execute();

  await db.schema
    .createTable('networks')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('vpc_id', ID, (c) => c.notNull().references('vpcs.id'))
    .addColumn('zone_id', ID, (c) => c.notNull())
    .addColumn('name', NAME, (c) => c.notNull())
    .addColumn('offering_id', ID, (c) => c.notNull().references('offerings.id'))
    .addColumn('physical_network_id', ID, (c) => c.notNull().references('physical_networks.id'))
    .addColumn('cidr', 'varchar(64)', (c) => c.notNull())
    .addColumn('gateway', 'varchar(64)', (c) => c.notNull())
    .addColumn('isolation_method', 'varchar(16)', (c) => c.notNull())
    .addColumn('segment_kind', 'varchar(8)', (c) => c.notNull())
    .addColumn('segment_id', 'integer')
    .addColumn('broadcast_uri', 'varchar(64)')
    .addColumn('state', STATE, (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    // No two live tiers of a zone share a VLAN/VNI; NULL (destroyed) never collides on either dialect.
    .addUniqueConstraint('networks_zone_segment', ['zone_id', 'segment_kind', 'segment_id'])
    .execute();
  await db.schema
    .createIndex('networks_by_vpc')
    .ifNotExists()
    .on('networks')
    .columns(['vpc_id', 'state'])
    .execute();
  // "a controller cannot be deleted while networks use it" and physical-network usage checks
  await db.schema
    .createIndex('networks_by_physical_network')
    .ifNotExists()
    .on('networks')
    .column('physical_network_id')
    .execute();

  await db.schema
    .createTable('network_elements')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('network_id', ID, (c) => c.notNull().references('networks.id'))
    .addColumn('service', 'varchar(32)', (c) => c.notNull())
    .addColumn('provider_id', ID, (c) => c.notNull())
    .addColumn('controller_id', ID, (c) => c.notNull())
    .addColumn('adapter_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('network_elements_network_service', ['network_id', 'service'])
    .execute();
  await db.schema
    .createIndex('network_elements_by_controller')
    .ifNotExists()
    .on('network_elements')
    .column('controller_id')
    .execute();

  await db.schema
    .createTable('nics')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('network_id', ID, (c) => c.notNull().references('networks.id'))
    .addColumn('vpc_id', ID, (c) => c.notNull())
    .addColumn('vm_name', NAME, (c) => c.notNull())
    .addColumn('mac', 'varchar(17)', (c) => c.notNull().unique())
    .addColumn('ip', 'varchar(64)', (c) => c.notNull())
    .addColumn('ip_index', 'integer', (c) => c.notNull())
    .addColumn('state', STATE, (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('adopted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('nics_network_ip', ['network_id', 'ip_index'])
    .execute();
  await db.schema.createIndex('nics_by_vpc').ifNotExists().on('nics').columns(['vpc_id', 'state']).execute();

  await db.schema
    .createTable('state_transitions')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('entity_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('entity_id', ID, (c) => c.notNull())
    .addColumn('from_state', STATE, (c) => c.notNull())
    .addColumn('to_state', STATE, (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'varchar(128)', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('job_id', ID)
    .execute();
  await db.schema
    .createIndex('state_transitions_by_entity')
    .ifNotExists()
    .on('state_transitions')
    .columns(['entity_id', 'at'])
    .execute();

  await db.schema
    .createTable('jobs')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', ID, (c) => c.notNull())
    .addColumn('vpc_id', ID)
    .addColumn('state', STATE, (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('progress_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('progress_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'varchar(128)')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('fencing_token', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deadline_at', 'bigint', (c) => c.notNull())
    .addColumn('stuck', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('error', 'text')
    .execute();
  // claim: queued jobs in order, and running jobs whose lease expired
  await db.schema
    .createIndex('jobs_claim')
    .ifNotExists()
    .on('jobs')
    .columns(['state', 'created_at'])
    .execute();
  await db.schema
    .createIndex('jobs_lease')
    .ifNotExists()
    .on('jobs')
    .columns(['state', 'lease_expires_at'])
    .execute();
  await db.schema
    .createIndex('jobs_by_target')
    .ifNotExists()
    .on('jobs')
    .columns(['target_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('jobs_by_vpc')
    .ifNotExists()
    .on('jobs')
    .columns(['vpc_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('job_steps')
    .ifNotExists()
    .addColumn('job_id', ID, (c) => c.notNull())
    .addColumn('step_key', 'varchar(191)', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('node_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('fencing_token', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('job_steps_pk', ['job_id', 'step_key'])
    .execute();

  await db.schema
    .createTable('element_calls')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('phase', 'varchar(16)', (c) => c.notNull())
    .addColumn('adapter_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('provider_id', ID, (c) => c.notNull())
    .addColumn('controller_id', ID, (c) => c.notNull())
    .addColumn('job_id', ID)
    .addColumn('step_key', 'varchar(191)')
    .addColumn('vpc_id', ID)
    .addColumn('network_id', ID)
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', ID, (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('purpose', 'varchar(16)', (c) => c.notNull())
    .addColumn('batch_size', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
    .addColumn('error_category', 'varchar(32)')
    .addColumn('error_message', 'text')
    .addColumn('vendor_code', 'varchar(128)')
    .addColumn('vendor_message', 'text')
    .addColumn('retryable', 'integer')
    .addColumn('request_summary', 'text', (c) => c.notNull())
    .addColumn('response_summary', 'text')
    .addColumn('node_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('fencing_token', 'integer')
    .execute();
  await db.schema
    .createIndex('element_calls_by_vpc')
    .ifNotExists()
    .on('element_calls')
    .columns(['vpc_id', 'started_at'])
    .execute();
  await db.schema
    .createIndex('element_calls_by_job')
    .ifNotExists()
    .on('element_calls')
    .columns(['job_id', 'started_at'])
    .execute();
  await db.schema
    .createIndex('element_calls_by_controller')
    .ifNotExists()
    .on('element_calls')
    .columns(['controller_id', 'started_at'])
    .execute();
  await db.schema
    .createIndex('element_calls_by_target')
    .ifNotExists()
    .on('element_calls')
    .columns(['target_id', 'started_at'])
    .execute();

  await db.schema
    .createTable('negotiation_traces')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('network_id', ID, (c) => c.notNull())
    .addColumn('job_id', ID)
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('trace', 'text', (c) => c.notNull())
    .addColumn('missing', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('negotiation_traces_by_network')
    .ifNotExists()
    .on('negotiation_traces')
    .columns(['network_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('nodes')
    .ifNotExists()
    .addColumn('id', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('hostname', NAME, (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
    .addColumn('state', STATE, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('call_slots')
    .ifNotExists()
    .addColumn('controller_id', ID, (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('holder', 'varchar(191)')
    .addColumn('expires_at', 'bigint')
    .addPrimaryKeyConstraint('call_slots_pk', ['controller_id', 'slot'])
    .execute();

  await db.schema
    .createTable('call_rates')
    .ifNotExists()
    .addColumn('controller_id', ID, (c) => c.primaryKey())
    .addColumn('tat_us', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'call_rates',
    'call_slots',
    'nodes',
    'negotiation_traces',
    'element_calls',
    'job_steps',
    'jobs',
    'state_transitions',
    'nics',
    'network_elements',
    'networks',
    'vpcs',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
