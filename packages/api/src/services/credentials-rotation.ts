// Master-key rotation of controller credentials: re-seal every row under the keyring's active key, batch by batch,
// with compare-and-set on `version`, so running servers keep reading and writing meanwhile.
import { controllersRepo, type Db, type DbHandle } from '@netplane/db';
import { isAppError } from '@netplane/domain';
import { addActiveKey, type Keyring, keyFilePath, openKeyring, retireKey } from '@netplane/secrets';

export type RotationReport = {
  activeKeyId: string;
  rotated: number;
  /** Rows changed by someone else mid-way; they were picked up again on a later pass. */
  retriedAfterConflict: number;
  /** Rows whose credentials cannot be decrypted (tampered, or sealed under a key no longer held): left untouched. */
  unreadable: string[];
};

type SealingKeyring = Pick<Keyring, 'activeKeyId' | 'encrypt' | 'decrypt'>;
type RotateOptions = { batchSize?: number; maxPasses?: number };
/** The `keys rotate` command's call form (apps/server looks this function up by name). */
export type RotateCommandOptions = { db: DbHandle; dataDir: string; masterKey: string | undefined };
export type RotateCommandReport = RotationReport & { keySource: string; retirableKeyIds: string[] };

/**
 * Two call forms: `(db, keyring)` re-seals every row not under the keyring's active key; `({ db, dataDir,
 * masterKey })` is the CLI: with a key file it first adds a new active key; with NETPLANE_MASTER_KEY (which the
 * operator rotates by putting a new first entry) it re-seals under that entry.
 */
export function rotateCredentials(
  db: Db,
  keyring: SealingKeyring,
  opts?: RotateOptions,
): Promise<RotationReport>;
export function rotateCredentials(opts: RotateCommandOptions): Promise<RotateCommandReport>;
export async function rotateCredentials(
  dbOrCommand: Db | RotateCommandOptions,
  keyring?: SealingKeyring,
  opts: RotateOptions = {},
): Promise<RotationReport | RotateCommandReport> {
  if (keyring === undefined) return rotateCommand(dbOrCommand as RotateCommandOptions);
  return resealAll(dbOrCommand as Db, keyring, opts);
}

async function rotateCommand(o: RotateCommandOptions): Promise<RotateCommandReport> {
  const keyring = openKeyring({ masterKeyEnv: o.masterKey, dataDir: o.dataDir });
  const fromFile = o.masterKey === undefined || o.masterKey.trim() === '';
  const report = fromFile
    ? await rotateMasterKey(o.db.db, keyring, keyFilePath(o.dataDir))
    : await resealAll(o.db.db, keyring, {});
  const inUse = await controllersRepo.countByKeyId(o.db.db);
  const retirableKeyIds = keyring.keyIds.filter((id) => id !== keyring.activeKeyId && (inUse[id] ?? 0) === 0);
  return { ...report, keySource: keyring.describe, retirableKeyIds };
}

async function resealAll(db: Db, keyring: SealingKeyring, opts: RotateOptions): Promise<RotationReport> {
  const batchSize = opts.batchSize ?? 100;
  const report: RotationReport = {
    activeKeyId: keyring.activeKeyId,
    rotated: 0,
    retriedAfterConflict: 0,
    unreadable: [],
  };
  for (let pass = 0; pass < (opts.maxPasses ?? 10_000); pass++) {
    const rows = await controllersRepo.listSealedNotUnder(
      db,
      keyring.activeKeyId,
      batchSize,
      report.unreadable,
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      let plaintext: string;
      try {
        plaintext = keyring.decrypt(row.ciphertext, row.id);
      } catch (e) {
        if (!isAppError(e)) throw e;
        report.unreadable.push(row.id);
        continue;
      }
      const sealed = keyring.encrypt(plaintext, row.id);
      const ok = await controllersRepo.updateController(db, row.id, row.version, { sealed }, Date.now());
      if (ok) report.rotated++;
      else report.retriedAfterConflict++;
    }
  }
  return report;
}

/** The `keys rotate` command: a new active key in the key file, then every row re-sealed under it. */
export async function rotateMasterKey(db: Db, keyring: Keyring, keyFile: string): Promise<RotationReport> {
  addActiveKey(keyFile);
  keyring.reload();
  return resealAll(db, keyring, {});
}

/** Removes from the key file every non-active key that no row uses any more; returns the retired ids. */
export async function retireUnusedKeys(db: Db, keyring: Keyring, keyFile: string): Promise<string[]> {
  const inUse = await controllersRepo.countByKeyId(db);
  const retired: string[] = [];
  for (const id of keyring.keyIds) {
    if (id === keyring.activeKeyId || (inUse[id] ?? 0) > 0) continue;
    retireKey(keyFile, id);
    retired.push(id);
  }
  keyring.reload();
  return retired;
}
