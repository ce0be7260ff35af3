// `keys status` and `keys rotate`: the credential keyring and how many controller rows each key protects.
import { rotateCredentials } from '@netplane/api';
import { connect, migrateToLatest } from '@netplane/db';
import { openKeyring } from '@netplane/secrets';
import type { Env } from './env';

export async function keysStatus(env: Env): Promise<number> {
  const keyring = openKeyring({ masterKeyEnv: env.masterKey, dataDir: env.dataDir });
  const db = connect(env.databaseUrl);
  try {
    await migrateToLatest(db.db);
    const rows = await db.db
      .selectFrom('controllers')
      .select(['credentials_key_id as keyId', (eb) => eb.fn.countAll().as('n')])
      .groupBy('credentials_key_id')
      .execute();
    const lines = [
      `Key source: ${keyring.describe}`,
      `Active key: ${keyring.activeKeyId}`,
      `Keys held:  ${keyring.keyIds.join(', ')}`,
      'Controller credentials per key:',
      ...(rows.length === 0 ? ['  (none)'] : rows.map((r) => `  ${r.keyId}: ${Number(r.n)}`)),
    ];
    const unknown = rows.filter((r) => !keyring.keyIds.includes(r.keyId));
    if (unknown.length > 0)
      lines.push(`WARNING: rows sealed under keys not held: ${unknown.map((r) => r.keyId).join(', ')}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return unknown.length > 0 ? 1 : 0;
  } finally {
    await db.close();
  }
}

/** Adds a new active key (key file) or uses NETPLANE_MASTER_KEY's first entry, then re-seals every row. */
export async function keysRotate(env: Env): Promise<number> {
  const db = connect(env.databaseUrl);
  try {
    await migrateToLatest(db.db);
    const report = await rotateCredentials({ db, dataDir: env.dataDir, masterKey: env.masterKey });
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.unreadable.length > 0 ? 1 : 0;
  } finally {
    await db.close();
  }
}
