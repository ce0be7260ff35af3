// Diagnoses of resources in Error (root cause linked) and the support triage of VPCs.
import type { Kysely } from 'kysely';

const ID = 'varchar(36)';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('diagnoses')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', ID, (c) => c.notNull())
    .addColumn('vpc_id', ID)
    .addColumn('job_id', ID)
    .addColumn('category', 'varchar(32)', (c) => c.notNull())
    .addColumn('title', 'varchar(64)', (c) => c.notNull())
    .addColumn('sentence', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('remediation', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    // Null for a root cause; otherwise the diagnosis of the earlier failure that caused this one.
    .addColumn('root_cause_id', ID)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('diagnoses_by_vpc')
    .ifNotExists()
    .on('diagnoses')
    .columns(['vpc_id', 'created_at'])
    .execute();
  await db.schema.createIndex('diagnoses_by_job').ifNotExists().on('diagnoses').column('job_id').execute();
  await db.schema
    .createIndex('diagnoses_by_target')
    .ifNotExists()
    .on('diagnoses')
    .columns(['target_type', 'target_id'])
    .execute();
  await db.schema
    .createIndex('diagnoses_by_resolved')
    .ifNotExists()
    .on('diagnoses')
    .column('resolved_at')
    .execute();

  await db.schema
    .createTable('triage')
    .ifNotExists()
    .addColumn('vpc_id', ID, (c) => c.primaryKey())
    .addColumn('acknowledged_by', 'varchar(255)')
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('assigned_to', 'varchar(255)')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('triage').ifExists().execute();
  await db.schema.dropTable('diagnoses').ifExists().execute();
}
