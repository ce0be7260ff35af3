// `keys status` and `keys rotate`: the credential keyring and how many controller rows each key protects.
import { rotateCredentials } from '@netplane/api';
import { openDatabase } from './database';
import type { Env } from './env';
import { openServerKeyring } from './key-audit';

/** Exit 1 when some rows are sealed under keys not held here (they cannot be decrypted by this node). */
export async function keysStatus(env: Env): Promise<number> {
  const { db } = await openDatabase(env);
  try {
    // Never creates a key file: asking for the status must not change it (a missing file on a used database is an error).
    const keyring = await openServerKeyring({ ...env, createKey: false }, db.db);
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
      lines.push(
        `WARNING: ${unknown.reduce((a, r) => a + Number(r.n), 0)} rows sealed under keys not held: ${unknown.map((r) => r.keyId).join(', ')}`,
        'Restore the missing key (key file or NETPLANE_MASTER_KEY), or re-enter those controllers’ credentials.',
      );
    process.stdout.write(`${lines.join('\n')}\n`);
    return unknown.length > 0 ? 1 : 0;
  } finally {
    await db.close();
  }
}

/** Adds a new active key (key file) or uses NETPLANE_MASTER_KEY's first entry, then re-seals every row. */
export async function keysRotate(env: Env): Promise<number> {
  const { db } = await openDatabase(env);
  try {
    // Refuses a missing key file on a database with sealed rows, as `start` does, before rotation would create one.
    await openServerKeyring({ ...env, createKey: false }, db.db);
    const report = await rotateCredentials({ db, dataDir: env.dataDir, masterKey: env.masterKey });
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.unreadable.length > 0 ? 1 : 0;
  } finally {
    await db.close();
  }
}
