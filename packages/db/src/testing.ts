// Test support: a fresh, migrated database per dialect. SQLite is a real file in a temp folder; MariaDB is a
// uniquely named database created on the server at MYSQL_URL and dropped afterwards. DIALECTS=sqlite narrows.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createConnection } from 'mysql2/promise';
import { connect, type DbHandle, type DialectName } from './connect';
import { migrateToLatest } from './migrate';
import type { Database } from './schema';

export { callRow } from './testing/call-row';
export { type CutMode, startTcpProxy, type TcpProxy } from './testing/tcp-proxy';

export const MYSQL_SERVER_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export function testDialects(): DialectName[] {
  const wanted = (process.env.DIALECTS ?? 'sqlite,mysql').split(',').map((s) => s.trim());
  return (['sqlite', 'mysql'] as const).filter((d) => wanted.includes(d));
}

function withDatabase(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export type TestDatabase = DbHandle & { url: string; drop(): Promise<void> };

/** Creates an empty database (not migrated) and returns its URL and a drop function. */
export async function createTestDatabaseUrl(
  dialect: DialectName,
): Promise<{ url: string; drop(): Promise<void> }> {
  const suffix = `${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'netplane-test-'));
    return {
      url: `sqlite:${join(dir, 'netplane.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `np_test_${suffix}`;
  const admin = await createConnection(MYSQL_SERVER_URL);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await admin.end();
  return {
    url: withDatabase(MYSQL_SERVER_URL, name),
    drop: async () => {
      const c = await createConnection(MYSQL_SERVER_URL);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const { url, drop } = await createTestDatabaseUrl(dialect);
  const handle = connect(url);
  await migrateToLatest(handle.db);
  return {
    ...handle,
    url,
    drop: async () => {
      await handle.close();
      await drop();
    },
  };
}

/**
 * Fault injection: every insert into `table` fails (a trigger raising "injected: ..."), standing in for a crash or a
 * lost connection at that write, until the returned function removes the trigger.
 */
export async function failInsertsInto(handle: DbHandle, table: keyof Database): Promise<() => Promise<void>> {
  const name = sql.id(`fail_insert_${table}`);
  const message = sql.lit(`injected: insert into ${table} fails`);
  const create =
    handle.dialect === 'sqlite'
      ? sql`CREATE TRIGGER ${name} BEFORE INSERT ON ${sql.table(table)} BEGIN SELECT RAISE(ABORT, ${message}); END`
      : sql`CREATE TRIGGER ${name} BEFORE INSERT ON ${sql.table(table)} FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ${message}`;
  await create.execute(handle.db);
  return async () => {
    await sql`DROP TRIGGER ${name}`.execute(handle.db);
  };
}

export { type SimulatorSeed, type SimulatorSeedOptions, seedSimulatorInventory } from './seed-simulator';
