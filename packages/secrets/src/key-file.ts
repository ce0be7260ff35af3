// The master key file in the data dir: JSON, mode 0600, created on first use, updated atomically (temp + rename).
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { KEY_ID_PATTERN } from './envelope';
import { KeyringError, type KeySet } from './key-types';
import { decodeKey } from './master-key-env';

export const KEY_FILE_NAME = 'master-keys.json';
export const keyFilePath = (dataDir: string) => join(dataDir, KEY_FILE_NAME);

const fileSchema = z.object({
  version: z.literal(1),
  active: z.string().regex(KEY_ID_PATTERN),
  keys: z
    .array(z.object({ id: z.string().regex(KEY_ID_PATTERN), key: z.string(), createdAt: z.string() }))
    .min(1),
});
type KeyFile = z.infer<typeof fileSchema>;

function newKeyId(): string {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return `k${day}-${randomBytes(3).toString('hex')}`;
}

function newEntry() {
  return { id: newKeyId(), key: randomBytes(32).toString('base64'), createdAt: new Date().toISOString() };
}

function writeAtomically(path: string, file: KeyFile, exclusive: boolean): void {
  const target = exclusive ? path : `${path}.tmp-${randomBytes(6).toString('hex')}`;
  const fd = openSync(target, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(file, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (!exclusive) renameSync(target, path);
}

function readFile(path: string): KeyFile {
  if (!existsSync(path))
    throw new KeyringError(
      `The master key file ${path} does not exist`,
      'Restore it from a backup or copy it from another node of the cluster.',
    );
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KeyringError(
      `Refusing the master key file ${path}: its mode is 0${mode.toString(8)}, readable by group or others`,
      `Run: chmod 600 ${path} (and check who could have read it; rotate with \`keys rotate\` if in doubt).`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new KeyringError(
      `The master key file ${path} is not valid JSON`,
      'Restore it from a backup or copy it from another node of the cluster.',
    );
  }
  const result = fileSchema.safeParse(parsed);
  if (!result.success)
    throw new KeyringError(
      `The master key file ${path} does not have the expected shape`,
      'Restore it from a backup or copy it from another node of the cluster.',
    );
  if (!result.data.keys.some((k) => k.id === result.data.active)) {
    throw new KeyringError(`The master key file ${path} names an active key it does not hold`);
  }
  return result.data;
}

function toKeySet(file: KeyFile, path: string): KeySet {
  return {
    activeId: file.active,
    keys: file.keys.map((k) => ({ id: k.id, key: decodeKey(k.key, `${path} key ${k.id}`) })),
  };
}

/** Reads an existing key file (never creates one). */
export function loadKeyFile(path: string): KeySet {
  return toKeySet(readFile(path), path);
}

/** Reads the key file, creating it (0600, one fresh key) when it does not exist yet. */
export function loadOrCreateKeyFile(path: string): KeySet {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const entry = newEntry();
    try {
      writeAtomically(path, { version: 1, active: entry.id, keys: [entry] }, true);
    } catch (e) {
      // Another process created it first: use theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return toKeySet(readFile(path), path);
}

/** Adds a fresh key and makes it active; old keys stay so existing rows remain readable until re-encrypted. */
export function addActiveKey(path: string): string {
  const file = readFile(path);
  const entry = newEntry();
  writeAtomically(path, { ...file, active: entry.id, keys: [entry, ...file.keys] }, false);
  return entry.id;
}

/** Removes a key that no row uses any more (the caller checks that); the active key cannot be retired. */
export function retireKey(path: string, keyId: string): void {
  const file = readFile(path);
  if (file.active === keyId) throw new KeyringError(`Key ${keyId} is the active key and cannot be retired`);
  if (!file.keys.some((k) => k.id === keyId)) throw new KeyringError(`Key ${keyId} is not in ${path}`);
  writeAtomically(path, { ...file, keys: file.keys.filter((k) => k.id !== keyId) }, false);
}
