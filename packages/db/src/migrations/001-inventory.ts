// Inventory, users, sessions, audit and settings.
import type { Kysely } from 'kysely';

const ID = 'varchar(36)';
const NAME = 'varchar(255)';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('zones')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('name', NAME, (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('state', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('physical_networks')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('zone_id', ID, (c) => c.notNull().references('zones.id'))
    .addColumn('name', NAME, (c) => c.notNull())
    .addColumn('isolation_methods', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('broadcast_ranges', 'text', (c) => c.notNull())
    .addColumn('traffic_types', 'text', (c) => c.notNull())
    .addColumn('state', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('physical_networks_zone_name', ['zone_id', 'name'])
    .execute();

  await db.schema
    .createTable('providers')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('physical_network_id', ID, (c) => c.notNull().references('physical_networks.id'))
    .addColumn('name', NAME, (c) => c.notNull())
    .addColumn('adapter_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('state', 'varchar(32)', (c) => c.notNull())
    .addColumn('enabled_services', 'text', (c) => c.notNull())
    .addColumn('capability_overrides', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('providers_pn_name', ['physical_network_id', 'name'])
    // One provider per adapter per physical network, as CloudStack has one NSP per name per physical network.
    .addUniqueConstraint('providers_pn_adapter', ['physical_network_id', 'adapter_id'])
    .execute();

  await db.schema
    .createTable('controllers')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('provider_id', ID, (c) => c.notNull().references('providers.id'))
    .addColumn('name', NAME, (c) => c.notNull())
    .addColumn('endpoint', 'varchar(1024)', (c) => c.notNull())
    .addColumn('protocol', 'varchar(32)', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('credentials_ciphertext', 'text', (c) => c.notNull())
    .addColumn('credentials_key_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('max_concurrent', 'integer', (c) => c.notNull())
    .addColumn('calls_per_second', 'integer', (c) => c.notNull())
    .addColumn('timeout_ms', 'integer', (c) => c.notNull())
    .addColumn('resource_state', 'varchar(32)', (c) => c.notNull())
    .addColumn('health_ok', 'integer')
    .addColumn('health_checked_at', 'bigint')
    .addColumn('health_latency_ms', 'integer')
    .addColumn('health_version', 'varchar(255)')
    .addColumn('health_error', 'text')
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('controllers_provider_name', ['provider_id', 'name'])
    .execute();

  await db.schema
    .createTable('controller_health')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('controller_id', ID, (c) => c.notNull())
    .addColumn('checked_at', 'bigint', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('controller_health_by_controller')
    .ifNotExists()
    .on('controller_health')
    .columns(['controller_id', 'checked_at'])
    .execute();

  await db.schema
    .createTable('offerings')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('name', NAME, (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('guest_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('service_providers', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('isolation_method', 'varchar(16)', (c) => c.notNull())
    .addColumn('required_capabilities', 'text', (c) => c.notNull())
    .addColumn('state', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('users')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('username', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint')
    .execute();

  await db.schema
    .createTable('sessions')
    .ifNotExists()
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_log')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', ID)
    .addColumn('actor_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('action', 'varchar(128)', (c) => c.notNull())
    .addColumn('target_type', 'varchar(64)', (c) => c.notNull())
    .addColumn('target_id', ID)
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .execute();
  await db.schema.createIndex('audit_log_by_at').ifNotExists().on('audit_log').column('at').execute();

  await db.schema
    .createTable('settings')
    .ifNotExists()
    .addColumn('key', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'settings',
    'audit_log',
    'sessions',
    'users',
    'offerings',
    'controller_health',
    'controllers',
    'providers',
    'physical_networks',
    'zones',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
