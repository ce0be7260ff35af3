// Port forwarding rules (CloudStack's createPortForwardingRule): a port range of an acquired public IP onto the same
// number of ports of one NIC. The rule names its address by id (the foreign key keeps an address with rules from
// being released under them) and keeps the address string beside it for the rule's adapter spec. Overlapping ranges
// cannot be a constraint; the create command checks them with the address row locked (publicIpUseRepo.lockedUse).
import type { Kysely } from 'kysely';

const ID = 'varchar(36)';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('port_forwarding_rules')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('vpc_id', ID, (c) => c.notNull().references('vpcs.id'))
    .addColumn('network_id', ID, (c) => c.notNull().references('networks.id'))
    .addColumn('nic_id', ID, (c) => c.notNull())
    .addColumn('zone_id', ID, (c) => c.notNull())
    .addColumn('public_ip_id', ID, (c) => c.notNull().references('public_ips.id'))
    .addColumn('public_ip', 'varchar(64)', (c) => c.notNull())
    .addColumn('private_ip', 'varchar(64)', (c) => c.notNull())
    /** 'tcp' | 'udp' */
    .addColumn('protocol', 'varchar(8)', (c) => c.notNull())
    .addColumn('public_port_start', 'integer', (c) => c.notNull())
    .addColumn('public_port_end', 'integer', (c) => c.notNull())
    .addColumn('private_port_start', 'integer', (c) => c.notNull())
    .addColumn('private_port_end', 'integer', (c) => c.notNull())
    /** 'Add' | 'Active' | 'Revoke' | 'Error' */
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('last_op', 'varchar(8)', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('job_id', ID)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('port_forwarding_by_vpc')
    .ifNotExists()
    .on('port_forwarding_rules')
    .columns(['vpc_id', 'created_at', 'id'])
    .execute();
  // "the rules on this address" (overlap check, release) and "on this address string" (static NAT and LB checks).
  await db.schema
    .createIndex('port_forwarding_by_public_ip')
    .ifNotExists()
    .on('port_forwarding_rules')
    .column('public_ip_id')
    .execute();
  await db.schema
    .createIndex('port_forwarding_by_zone_ip')
    .ifNotExists()
    .on('port_forwarding_rules')
    .columns(['zone_id', 'public_ip'])
    .execute();
  await db.schema
    .createIndex('port_forwarding_by_network')
    .ifNotExists()
    .on('port_forwarding_rules')
    .column('network_id')
    .execute();
  await db.schema
    .createIndex('port_forwarding_by_nic')
    .ifNotExists()
    .on('port_forwarding_rules')
    .column('nic_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('port_forwarding_rules').ifExists().execute();
}
