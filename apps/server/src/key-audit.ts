// The credential keyring at start and afterwards: refuse to invent a key file when the database already holds sealed
// credentials, and count the rows sealed under keys this node does not hold (log, /readyz, the console's banner).
import { existsSync } from 'node:fs';
import { controllersRepo, type Db } from '@netplane/db';
import { type Keyring, KeyringError, keyFilePath, openKeyring } from '@netplane/secrets';
import type { Env } from './env';
import { StartupError } from './startup-error';

export type CredentialAudit = {
  /** Controller rows (every one holds sealed credentials). */
  sealedRows: number;
  /** Rows sealed under a key this node does not hold: their controllers cannot be used from here. */
  unreadableRows: number;
  missingKeyIds: string[];
};

const usesKeyFile = (env: Env) => env.masterKey === undefined || env.masterKey.trim() === '';

function summarise(byKey: Record<string, number>, held: readonly string[]): CredentialAudit {
  const missingKeyIds = Object.keys(byKey)
    .filter((id) => !held.includes(id))
    .sort();
  return {
    sealedRows: Object.values(byKey).reduce((a, b) => a + b, 0),
    unreadableRows: missingKeyIds.reduce((a, id) => a + (byKey[id] ?? 0), 0),
    missingKeyIds,
  };
}

/** Counts by key id; when some are missing, re-reads the key source once (the operator may have restored it). */
export async function auditCredentials(db: Db, keyring: Keyring): Promise<CredentialAudit> {
  const byKey = await controllersRepo.countByKeyId(db);
  const first = summarise(byKey, keyring.keyIds);
  if (first.unreadableRows === 0) return first;
  try {
    keyring.reload();
  } catch {
    // a broken or missing file: keep the keys we have, the audit below says what is missing
  }
  return summarise(byKey, keyring.keyIds);
}

/** One line for the log and /readyz. */
export function describeAudit(a: CredentialAudit): string {
  if (a.unreadableRows === 0) return 'ok';
  return `unreadable: ${a.unreadableRows} of ${a.sealedRows} controller credential rows are sealed under keys this node does not hold (${a.missingKeyIds.join(', ')})`;
}

/**
 * Opens the keyring for `start`. A missing key file is created only on an empty database, or with NETPLANE_CREATE_KEY=1:
 * otherwise a node whose file was lost would start with a new key nobody else holds and split the cluster's keys.
 */
export async function openServerKeyring(env: Env, db: Db): Promise<Keyring> {
  const path = keyFilePath(env.dataDir);
  if (usesKeyFile(env) && !existsSync(path) && !env.createKey) {
    const audit = summarise(await controllersRepo.countByKeyId(db), []);
    if (audit.sealedRows > 0)
      throw new StartupError(
        'NETPLANE_DATA_DIR',
        `the key file ${path} is missing, but the database holds ${audit.sealedRows} controller credential rows sealed under ${audit.missingKeyIds.join(', ')}`,
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
