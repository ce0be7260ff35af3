// Public services of a tier: static NAT rules (a public IP onto one NIC) and load-balancing rules with their member
// NICs. The state words are CloudStack's FirewallRule states: Add, Active, Revoke, Error.
import type { Kysely } from 'kysely';

const ID = 'varchar(36)';
const STATE = 'varchar(16)';
const IP = 'varchar(64)';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('static_nat_rules')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('vpc_id', ID, (c) => c.notNull().references('vpcs.id'))
    .addColumn('network_id', ID, (c) => c.notNull().references('networks.id'))
    // One static NAT per NIC.
    .addColumn('nic_id', ID, (c) => c.notNull().unique())
    .addColumn('zone_id', ID, (c) => c.notNull())
    .addColumn('public_ip', IP, (c) => c.notNull())
    .addColumn('private_ip', IP, (c) => c.notNull())
    .addColumn('state', STATE, (c) => c.notNull())
    .addColumn('last_op', 'varchar(8)', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('job_id', ID)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    // A public IP maps onto one NIC in a zone; the row is deleted once revoked, so the IP is free again.
    .addUniqueConstraint('static_nat_zone_public_ip', ['zone_id', 'public_ip'])
    .execute();
  await db.schema
    .createIndex('static_nat_by_vpc')
    .ifNotExists()
    .on('static_nat_rules')
    .columns(['vpc_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('static_nat_by_network')
    .ifNotExists()
    .on('static_nat_rules')
    .column('network_id')
    .execute();

  await db.schema
    .createTable('lb_rules')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('vpc_id', ID, (c) => c.notNull().references('vpcs.id'))
    .addColumn('network_id', ID, (c) => c.notNull().references('networks.id'))
    .addColumn('zone_id', ID, (c) => c.notNull())
    .addColumn('name', 'varchar(63)', (c) => c.notNull())
    .addColumn('public_ip', IP, (c) => c.notNull())
    .addColumn('public_port', 'integer', (c) => c.notNull())
    .addColumn('private_port', 'integer', (c) => c.notNull())
    .addColumn('protocol', 'varchar(8)', (c) => c.notNull())
    .addColumn('algorithm', 'varchar(16)', (c) => c.notNull())
    .addColumn('state', STATE, (c) => c.notNull())
    .addColumn('last_op', 'varchar(8)', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('job_id', ID)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('lb_rules_zone_vip', ['zone_id', 'public_ip', 'public_port', 'protocol'])
    .addUniqueConstraint('lb_rules_network_name', ['network_id', 'name'])
    .execute();
  await db.schema
    .createIndex('lb_rules_by_vpc')
    .ifNotExists()
    .on('lb_rules')
    .columns(['vpc_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('lb_rules_by_zone_ip')
    .ifNotExists()
    .on('lb_rules')
    .columns(['zone_id', 'public_ip'])
    .execute();

  await db.schema
    .createTable('lb_members')
    .ifNotExists()
    .addColumn('rule_id', ID, (c) => c.notNull().references('lb_rules.id'))
    .addColumn('nic_id', ID, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('lb_members_pk', ['rule_id', 'nic_id'])
    .execute();
  // "which LB rules is this NIC a member of" (release)
  await db.schema.createIndex('lb_members_by_nic').ifNotExists().on('lb_members').column('nic_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('lb_members').ifExists().execute();
  await db.schema.dropTable('lb_rules').ifExists().execute();
  await db.schema.dropTable('static_nat_rules').ifExists().execute();
}
