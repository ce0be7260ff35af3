// Personal API tokens (`Authorization: Bearer npt_...`). The row is found by its public id (`prefix`, unique) and the
// secret checked against `hash`, an HMAC-SHA-256 (never the secret itself). Tokens go with their user (cascade);
// `use_audited_at` lets one node per interval write the token's "used" audit row (docs/api.md, API tokens). The audit
// log gains `actor_token_id`: which token, if any, made a change.
import type { Kysely } from 'kysely';

const ID = 'varchar(36)';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('api_tokens')
    .ifNotExists()
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    /** `npt_` and the public id: what the console shows and the lookup key. */
    .addColumn('prefix', 'varchar(32)', (c) => c.notNull().unique())
    /** Hex HMAC-SHA-256 of the secret part. */
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('last_used_ip', 'varchar(64)')
    .addColumn('use_audited_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  // "my tokens, newest first" (the list) and "every token of this user" (revoke on disable).
  await db.schema
    .createIndex('api_tokens_by_user')
    .ifNotExists()
    .on('api_tokens')
    .columns(['user_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('api_tokens_by_created')
    .ifNotExists()
    .on('api_tokens')
    .columns(['created_at', 'id'])
    .execute();
  // No foreign key: the audit row outlives the token (and its user).
  await db.schema.alterTable('audit_log').addColumn('actor_token_id', ID).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_log').dropColumn('actor_token_id').execute();
  await db.schema.dropTable('api_tokens').ifExists().execute();
}
