// `keys status` and `keys rotate`: the credential keyring and how many controller rows each key protects.
import * as api from '@netplane/api';
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

type Rotate = (opts: { db: unknown; dataDir: string; masterKey: string | undefined }) => Promise<unknown>;

export async function keysRotate(env: Env): Promise<number> {
  // Provided by the inventory area (packages/api/src/services); looked up by name so the CLI builds without it.
  const name = ['rotate', 'Credentials'].join('');
  const rotate = (api as Record<string, unknown>)[name] as Rotate | undefined;
  if (typeof rotate !== 'function') {
    process.stderr.write('keys rotate: this build has no rotateCredentials service yet\n');
    return 2;
  }
  const db = connect(env.databaseUrl);
  try {
    await migrateToLatest(db.db);
    const result = await rotate({ db, dataDir: env.dataDir, masterKey: env.masterKey });
    process.stdout.write(`${JSON.stringify(result ?? { ok: true })}\n`);
    return 0;
  } finally {
    await db.close();
  }
}
