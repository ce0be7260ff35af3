// What DHCP hands to guests beyond addressing (issue 11 point 5): the zone's DNS servers and search domain, and the
// MTU of the physical network's links (the OVN adapter takes the overlay's overhead off it per isolation method).
// Existing zones get the same public resolvers a new zone gets by default, existing physical networks 1500.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // varchar, not text: MariaDB takes a literal default on varchar everywhere; four IPv4 addresses as JSON fit.
  await db.schema
    .alterTable('zones')
    .addColumn('dns_servers', 'varchar(255)', (c) => c.notNull().defaultTo('["8.8.8.8","8.8.4.4"]'))
    .execute();
  await db.schema.alterTable('zones').addColumn('dns_domain', 'varchar(253)').execute();
  await db.schema
    .alterTable('physical_networks')
    .addColumn('mtu', 'integer', (c) => c.notNull().defaultTo(1500))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('physical_networks').dropColumn('mtu').execute();
  await db.schema.alterTable('zones').dropColumn('dns_domain').execute();
  await db.schema.alterTable('zones').dropColumn('dns_servers').execute();
}
