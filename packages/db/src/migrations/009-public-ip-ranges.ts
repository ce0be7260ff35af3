// Public IP ranges of a zone's Public traffic and the addresses acquired from them (CloudStack's vlan and
// user_ip_address). An address row exists only while it is acquired: the unique (zone_id, address_num) makes two
// acquires of one address impossible on either dialect, and the foreign key to the range makes deleting a range with
// an acquired address fail even when the delete races an acquire.
import type { Kysely } from 'kysely';

const ID = 'varchar(36)';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('public_ip_ranges')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('zone_id', ID, (c) => c.notNull().references('zones.id'))
    .addColumn('physical_network_id', ID, (c) => c.notNull().references('physical_networks.id'))
    .addColumn('cidr', 'varchar(18)', (c) => c.notNull())
    .addColumn('gateway', 'varchar(15)', (c) => c.notNull())
    /** null: untagged */
    .addColumn('vlan', 'integer')
    .addColumn('start_ip', 'varchar(15)', (c) => c.notNull())
    .addColumn('end_ip', 'varchar(15)', (c) => c.notNull())
    // The same bounds as numbers, so acquire and overlap checks never parse strings in SQL.
    .addColumn('start_num', 'bigint', (c) => c.notNull())
    .addColumn('end_num', 'bigint', (c) => c.notNull())
    .addColumn('gateway_num', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('public_ip_ranges_by_zone')
    .ifNotExists()
    .on('public_ip_ranges')
    .columns(['zone_id', 'start_num'])
    .execute();

  await db.schema
    .createTable('public_ips')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('zone_id', ID, (c) => c.notNull())
    .addColumn('range_id', ID, (c) => c.notNull().references('public_ip_ranges.id'))
    .addColumn('vpc_id', ID, (c) => c.notNull().references('vpcs.id'))
    .addColumn('address', 'varchar(15)', (c) => c.notNull())
    .addColumn('address_num', 'bigint', (c) => c.notNull())
    /** 'SourceNat' | 'User' */
    .addColumn('purpose', 'varchar(16)', (c) => c.notNull())
    // The VPC id on its source-NAT address, else null: unique, so a VPC never gets two (NULLs never collide).
    .addColumn('source_nat_of', ID, (c) => c.unique())
    .addColumn('acquired_by', 'varchar(128)', (c) => c.notNull())
    .addColumn('acquired_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('public_ips_zone_address', ['zone_id', 'address_num'])
    .execute();
  await db.schema
    .createIndex('public_ips_by_range')
    .ifNotExists()
    .on('public_ips')
    .column('range_id')
    .execute();
  await db.schema
    .createIndex('public_ips_by_vpc')
    .ifNotExists()
    .on('public_ips')
    .columns(['vpc_id', 'acquired_at'])
    .execute();
  await db.schema
    .createIndex('public_ips_by_acquired')
    .ifNotExists()
    .on('public_ips')
    .columns(['acquired_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('public_ips').ifExists().execute();
  await db.schema.dropTable('public_ip_ranges').ifExists().execute();
}
