// Static NAT and LB rules name the acquired address they use (issue 11 point 2): public_ip_id references public_ips,
// so releasing an address a rule still uses fails in the database even when the release races a rule's insert. The
// address string stays in public_ip (what adapters get, and what the (zone, public_ip) unique keys compare). Rules made
// before this migration with a free-string address get the id of the acquired row on that address, else stay null.
import { type Kysely, MysqlAdapter, sql } from 'kysely';

const TABLES = ['static_nat_rules', 'lb_rules'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of TABLES) {
    // Inline REFERENCES: SQLite accepts it in ADD COLUMN (nullable, no default), MariaDB makes it a foreign key.
    await db.schema
      .alterTable(table)
      .addColumn('public_ip_id', 'varchar(36)', (c) => c.references('public_ips.id'))
      .execute();
    await sql`update ${sql.table(table)} set public_ip_id = (select p.id from public_ips p where p.zone_id = ${sql.table(table)}.zone_id and p.address = ${sql.table(table)}.public_ip)`.execute(
      db,
    );
    await db.schema
      .createIndex(`${table}_by_public_ip_id`)
      .ifNotExists()
      .on(table)
      .column('public_ip_id')
      .execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const isMysql = db.getExecutor().adapter instanceof MysqlAdapter;
  for (const table of TABLES) {
    // MariaDB keeps the column (and its index) while the foreign key needs them; SQLite drops both with the column.
    if (isMysql) {
      const fks = await sql<{
        name: string;
      }>`select constraint_name as name from information_schema.key_column_usage
        where table_schema = database() and table_name = ${table} and column_name = 'public_ip_id'
        and referenced_table_name is not null`.execute(db);
      for (const fk of fks.rows)
        await sql`alter table ${sql.table(table)} drop foreign key ${sql.id(fk.name)}`.execute(db);
    }
    const index = db.schema.dropIndex(`${table}_by_public_ip_id`);
    await (isMysql ? index.on(table) : index).execute();
    await db.schema.alterTable(table).dropColumn('public_ip_id').execute();
  }
}
