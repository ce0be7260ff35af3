// Master-key rotation of controller credentials: re-seal every row under the keyring's active key, batch by batch,
// with compare-and-set on `version`, so running servers keep reading and writing meanwhile.
import { controllersRepo, type Db } from '@netplane/db';
import { isAppError } from '@netplane/domain';
import { addActiveKey, type Keyring, retireKey } from '@netplane/secrets';

export type RotationReport = {
  activeKeyId: string;
  rotated: number;
  /** Rows changed by someone else mid-way; they were picked up again on a later pass. */
  retriedAfterConflict: number;
  /** Rows whose credentials cannot be decrypted (tampered, or sealed under a key no longer held): left untouched. */
  unreadable: string[];
};

export async function rotateCredentials(
  db: Db,
  keyring: Pick<Keyring, 'activeKeyId' | 'encrypt' | 'decrypt'>,
  opts: { batchSize?: number; maxPasses?: number } = {},
): Promise<RotationReport> {
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
  return rotateCredentials(db, keyring);
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
