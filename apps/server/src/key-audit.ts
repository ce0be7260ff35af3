// The credential keyring at start: refuse to invent a key file when the database already holds sealed credentials,
// and say in one line how many rows are sealed under keys this node does not hold (log and /readyz).
import { existsSync } from 'node:fs';
import { controllersRepo, type Db } from '@netplane/db';
import type { CredentialsHealth } from '@netplane/domain';
import { type Keyring, KeyringError, keyFilePath, openKeyring } from '@netplane/secrets';
import type { Env } from './env';
import { StartupError } from './startup-error';

/** One line for the log and /readyz, from controllers.credentialsHealth (the same count the console's banner shows). */
export function describeAudit(
  a: Pick<CredentialsHealth, 'sealedRows' | 'unreadableRows' | 'missingKeyIds'>,
): string {
  if (a.unreadableRows === 0) return 'ok';
  return `unreadable: ${a.unreadableRows} of ${a.sealedRows} controller credential rows are sealed under keys this node does not hold (${a.missingKeyIds.join(', ')})`;
}

const usesKeyFile = (env: Env) => env.masterKey === undefined || env.masterKey.trim() === '';

/**
 * Opens the keyring for `start`. A missing key file is created only on an empty database, or with NETPLANE_CREATE_KEY=1:
 * otherwise a node whose file was lost would start with a new key nobody else holds and split the cluster's keys.
 */
export async function openServerKeyring(env: Env, db: Db): Promise<Keyring> {
  const path = keyFilePath(env.dataDir);
  if (usesKeyFile(env) && !existsSync(path) && !env.createKey) {
    const byKey = await controllersRepo.countByKeyId(db);
    const sealedRows = Object.values(byKey).reduce((a, b) => a + b, 0);
    if (sealedRows > 0)
      throw new StartupError(
        'NETPLANE_DATA_DIR',
        `the key file ${path} is missing, but the database holds ${sealedRows} controller credential rows sealed under ${Object.keys(byKey).sort().join(', ')}`,
        'Restore master-keys.json from a backup or another node (or set NETPLANE_MASTER_KEY); to start with a new key anyway, leaving those rows unreadable until their credentials are re-entered, set NETPLANE_CREATE_KEY=1 once.',
      );
  }
  try {
    return openKeyring({ masterKeyEnv: env.masterKey, dataDir: env.dataDir });
  } catch (e) {
    if (!(e instanceof KeyringError)) throw e;
    throw new StartupError(
      usesKeyFile(env) ? 'NETPLANE_DATA_DIR' : 'NETPLANE_MASTER_KEY',
      // The setting is printed first already: "NETPLANE_MASTER_KEY entry 1: ..." reads "entry 1: ...".
      e.message.replace(/^NETPLANE_MASTER_KEY /, ''),
      e.fix ?? 'Restore the key file from a backup or another node, or set NETPLANE_MASTER_KEY.',
      { cause: e },
    );
  }
}
