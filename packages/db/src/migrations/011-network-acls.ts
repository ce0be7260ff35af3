// Network ACL lists (CloudStack's NetworkACL and NetworkACLItem): lists per VPC, their ordered rules, which list each
// tier uses, and the two built-in lists default_allow and default_deny (global: vpc_id NULL, fixed ids, seeded here).
// A tier with no row in network_acl_assignments uses default_deny, the fixed default-deny tiers had before lists,
// so the networks table is not altered and tiers made before this migration keep their behaviour.
import type { Kysely } from 'kysely';

const ID = 'varchar(36)';
// Frozen copies of @netplane/domain's DEFAULT_ALLOW_ACL_ID / DEFAULT_DENY_ACL_ID: a migration never changes.
const DEFAULT_ALLOW = '00000000-0000-4000-8000-00000000ac01';
const DEFAULT_DENY = '00000000-0000-4000-8000-00000000ac02';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('network_acl_lists')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    // NULL for the built-in lists, which every VPC may use.
    .addColumn('vpc_id', ID, (c) => c.references('vpcs.id'))
    .addColumn('name', 'varchar(63)', (c) => c.notNull())
    .addColumn('description', 'varchar(255)', (c) => c.notNull())
    .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
    // 'Active' | 'Applying' | 'Error': the last re-apply to the list's tiers.
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('job_id', ID)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('network_acl_lists_vpc_name', ['vpc_id', 'name'])
    .execute();

  await db.schema
    .createTable('network_acl_rules')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('list_id', ID, (c) => c.notNull().references('network_acl_lists.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('action', 'varchar(8)', (c) => c.notNull())
    .addColumn('protocol', 'varchar(8)', (c) => c.notNull())
    .addColumn('traffic_type', 'varchar(8)', (c) => c.notNull())
    .addColumn('port_start', 'integer')
    .addColumn('port_end', 'integer')
    .addColumn('icmp_type', 'integer')
    .addColumn('icmp_code', 'integer')
    // JSON: string[] of IPv4 CIDRs (the remote side: source for Ingress, destination for Egress)
    .addColumn('cidrs', 'text', (c) => c.notNull())
    .addColumn('description', 'varchar(255)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    // One rule per number in a list: the order is the numbers'.
    .addUniqueConstraint('network_acl_rules_list_number', ['list_id', 'number'])
    .execute();

  await db.schema
    .createTable('network_acl_assignments')
    .ifNotExists()
    .addColumn('network_id', ID, (c) => c.primaryKey().references('networks.id'))
    .addColumn('list_id', ID, (c) => c.notNull().references('network_acl_lists.id'))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // "which tiers use this list" (re-apply after an edit, delete only when unused)
  await db.schema
    .createIndex('network_acl_assignments_by_list')
    .ifNotExists()
    .on('network_acl_assignments')
    .column('list_id')
    .execute();

  const now = Date.now();
  const lists = [
    { id: DEFAULT_ALLOW, name: 'default_allow', description: 'Allows all traffic' },
    { id: DEFAULT_DENY, name: 'default_deny', description: 'Denies all incoming traffic' },
  ];
  // biome-ignore lint/suspicious/noExplicitAny: the migration's Kysely is untyped (Kysely<unknown>)
  const d = db as Kysely<any>;
  for (const l of lists) {
    await d
      .insertInto('network_acl_lists')
      .values({
        ...l,
        vpc_id: null,
        builtin: 1,
        state: 'Active',
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
  }
  const rule = (id: string, listId: string, number: number, action: string, trafficType: string) => ({
    id,
    list_id: listId,
    number,
    action,
    protocol: 'all',
    traffic_type: trafficType,
    port_start: null,
    port_end: null,
    icmp_type: null,
    icmp_code: null,
    cidrs: '["0.0.0.0/0"]',
    description: `${action} all ${trafficType.toLowerCase()}`,
    created_at: now,
    updated_at: now,
  });
  await d
    .insertInto('network_acl_rules')
    .values([
      rule('00000000-0000-4000-8000-0000000ac011', DEFAULT_ALLOW, 1, 'allow', 'Ingress'),
      rule('00000000-0000-4000-8000-0000000ac012', DEFAULT_ALLOW, 2, 'allow', 'Egress'),
      // Egress no rule matches is allowed, so this one rule reproduces the fixed default-deny of older tiers.
      rule('00000000-0000-4000-8000-0000000ac021', DEFAULT_DENY, 1, 'deny', 'Ingress'),
    ])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('network_acl_assignments').ifExists().execute();
  await db.schema.dropTable('network_acl_rules').ifExists().execute();
  await db.schema.dropTable('network_acl_lists').ifExists().execute();
}
