// Connectivity checks (connectivity.trace) and reachability matrices (connectivity.matrix): every trace is recorded
// with its input and result, a matrix row holds its cells; the traces a matrix ran carry its id and go with it.
// Results are JSON; MariaDB's TEXT stops at 64 KiB, which a 10-tier matrix or an ovn-trace output can pass, so the
// JSON columns are MEDIUMTEXT there (SQLite's TEXT has no such limit). Retention is the repository's (bounded per VPC).
import { type Kysely, MysqlAdapter, sql } from 'kysely';

const ID = 'varchar(36)';

export async function up(db: Kysely<unknown>): Promise<void> {
  const json = db.getExecutor().adapter instanceof MysqlAdapter ? sql`mediumtext` : sql`text`;
  await db.schema
    .createTable('connectivity_traces')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('vpc_id', ID, (c) => c.notNull())
    // The matrix this trace is a cell of; NULL for a check someone asked for.
    .addColumn('matrix_id', ID)
    .addColumn('actor', 'varchar(255)', (c) => c.notNull())
    /** 'delivered' | 'dropped' | 'unavailable' */
    .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
    .addColumn('reason', 'varchar(64)', (c) => c.notNull())
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('result', json, (c) => c.notNull())
    .addColumn('controller_id', ID)
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('connectivity_traces_by_vpc')
    .ifNotExists()
    .on('connectivity_traces')
    .columns(['vpc_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('connectivity_traces_by_matrix')
    .ifNotExists()
    .on('connectivity_traces')
    .column('matrix_id')
    .execute();

  await db.schema
    .createTable('connectivity_matrices')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('vpc_id', ID, (c) => c.notNull())
    /** 'manual' | 'before' | 'after' (around an ACL change) */
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    // The change a before/after pair belongs to (the ACL job's id), and what it was, for people.
    .addColumn('change_id', ID)
    .addColumn('change_label', 'varchar(255)')
    .addColumn('actor', 'varchar(255)', (c) => c.notNull())
    .addColumn('protocols', 'text', (c) => c.notNull())
    .addColumn('matrix', json, (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('connectivity_matrices_by_vpc')
    .ifNotExists()
    .on('connectivity_matrices')
    .columns(['vpc_id', 'created_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('connectivity_matrices').ifExists().execute();
  await db.schema.dropTable('connectivity_traces').ifExists().execute();
}
