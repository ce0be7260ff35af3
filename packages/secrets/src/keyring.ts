// A Keyring: several master keys, one active for new values; decrypts values sealed under any key it holds.
import { statSync } from 'node:fs';
import { decryptEnvelope, encryptEnvelope, parseEnvelope, type Sealed, unreadable } from './envelope';
import { keyFilePath, loadKeyFile, loadOrCreateKeyFile } from './key-file';
import { KeyringError, type KeySet, type MasterKey } from './key-types';
import { parseMasterKeyEnv } from './master-key-env';

export type KeySource = {
  /** Where the keys come from, for messages (never the keys). */
  describe: string;
  load(): KeySet;
  /** A key file can change under a running server (rotation); an env var cannot. */
  reloadable: boolean;
  /** Cheap change marker (file mtime and size): a running server notices a rotation before sealing new values. */
  stamp?: () => string;
};

const STAMP_CHECK_MS = 1000;

export class Keyring {
  #keys = new Map<string, Buffer>();
  #activeId = '';
  #stamp = '';
  #stampCheckedAt = 0;

  constructor(private readonly source: KeySource) {
    this.#apply(source.load());
    this.#stamp = source.stamp?.() ?? '';
    this.#stampCheckedAt = Date.now();
  }

  /** At most once a second: if the key file changed (another process rotated), reload it. */
  #refreshIfChanged(): void {
    if (!this.source.stamp || Date.now() - this.#stampCheckedAt < STAMP_CHECK_MS) return;
    this.#stampCheckedAt = Date.now();
    const stamp = this.source.stamp();
    if (stamp === this.#stamp) return;
    this.#stamp = stamp;
    try {
      this.reload();
    } catch {
      // A half-written or broken file: keep serving with the keys we have; the next decrypt miss retries.
    }
  }

  #apply(set: KeySet): void {
    this.#keys = new Map(set.keys.map((k: MasterKey) => [k.id, k.key]));
    if (!this.#keys.has(set.activeId)) throw new KeyringError(`${this.source.describe}: no active key`);
    this.#activeId = set.activeId;
  }

  get activeKeyId(): string {
    return this.#activeId;
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  /** Where the keys come from (env var or key file path), for logs. */
  get describe(): string {
    return this.source.describe;
  }

  /** Re-reads the source; a rotation by another process (CLI) becomes visible here. */
  reload(): void {
    this.#apply(this.source.load());
  }

  encrypt(plaintext: string, rowId: string): Sealed {
    this.#refreshIfChanged();
    const key = this.#keys.get(this.#activeId) as Buffer;
    return encryptEnvelope({ id: this.#activeId, key }, plaintext, rowId);
  }

  keyIdOf(ciphertext: string, rowId = 'value'): string {
    return parseEnvelope(ciphertext, rowId).keyId;
  }

  decrypt(ciphertext: string, rowId: string): string {
    const parsed = parseEnvelope(ciphertext, rowId);
    let key = this.#keys.get(parsed.keyId);
    if (!key && this.source.reloadable) {
      // Another node may have rotated: read the key file once, then give up.
      try {
        this.reload();
      } catch {
        // keep the keys we had; the unknown-key error below is the useful one
      }
      key = this.#keys.get(parsed.keyId);
    }
    if (!key) throw unreadable(`master key "${parsed.keyId}" is not in the keyring`, rowId);
    return decryptEnvelope(parsed, key, rowId);
  }
}

export function envKeySource(value: string): KeySource {
  return { describe: 'NETPLANE_MASTER_KEY', reloadable: false, load: () => parseMasterKeyEnv(value) };
}

/**
 * `create`: the first load may create a missing file. A reload never does: a key file deleted under a running server
 * must not be replaced by a new key that nothing else holds.
 */
export function fileKeySource(path: string, opts: { create?: boolean } = {}): KeySource {
  let mayCreate = opts.create ?? true;
  return {
    describe: path,
    reloadable: true,
    load: () => {
      const set = mayCreate ? loadOrCreateKeyFile(path) : loadKeyFile(path);
      mayCreate = false;
      return set;
    },
    stamp: () => {
      try {
        const st = statSync(path);
        return `${st.mtimeMs}:${st.size}:${st.ino}`;
      } catch {
        return 'missing';
      }
    },
  };
}

/**
 * The server's rule: NETPLANE_MASTER_KEY when set, else <dataDir>/master-keys.json, created 0600 on first use unless
 * `createKeyFile` is false (then a missing file is a KeyringError).
 */
export function openKeyring(opts: {
  masterKeyEnv?: string | undefined;
  dataDir: string;
  createKeyFile?: boolean;
}): Keyring {
  if (opts.masterKeyEnv !== undefined && opts.masterKeyEnv.trim() !== '') {
    return new Keyring(envKeySource(opts.masterKeyEnv));
  }
  return new Keyring(fileKeySource(keyFilePath(opts.dataDir), { create: opts.createKeyFile ?? true }));
}
