// Runs the numbered migrations, statically imported so that a bundled server carries them. Safe to run on every
// start and from several nodes at once: Kysely's migrator takes a database lock and skips what already ran.
import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Db } from './connect';
import * as m001 from './migrations/001-inventory';
import * as m002 from './migrations/002-engine';
import * as m004 from './migrations/004-diagnostics';
import * as m005 from './migrations/005-public-services';
import * as m006 from './migrations/006-list-indexes';
import * as m007 from './migrations/007-calls-in-flight';
import * as m008 from './migrations/008-trouble-indexes';
import * as m009 from './migrations/009-public-ip-ranges';
import * as m010 from './migrations/010-zone-dns';
import * as m011 from './migrations/011-network-acls';
import * as m012 from './migrations/012-name-search-index';
import * as m013 from './migrations/013-rule-public-ips';
import * as m014 from './migrations/014-list-filter-indexes';
import * as m015 from './migrations/015-port-forwarding';
import * as m016 from './migrations/016-api-tokens';
import * as m017 from './migrations/017-realized';
import * as m018 from './migrations/018-connectivity-traces';

/** Append new migrations here; never edit or reorder a released one. */
export const MIGRATIONS: Record<string, Migration> = {
  '001-inventory': m001,
  '002-engine': m002,
  '004-diagnostics': m004,
  '005-public-services': m005,
  '006-list-indexes': m006,
  '007-calls-in-flight': m007,
  '008-trouble-indexes': m008,
  '009-public-ip-ranges': m009,
  '010-zone-dns': m010,
  '011-network-acls': m011,
  '012-name-search-index': m012,
  '013-rule-public-ips': m013,
  '014-list-filter-indexes': m014,
  '015-port-forwarding': m015,
  '016-api-tokens': m016,
  '017-realized': m017,
  '018-connectivity-traces': m018,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function pendingMigrations(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const all = await migrator.getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
