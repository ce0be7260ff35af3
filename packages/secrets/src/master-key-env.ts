// Parses NETPLANE_MASTER_KEY: "base64-of-32-bytes" or "id:base64,id2:base64" (first entry active).
import { createHash } from 'node:crypto';
import { KEY_ID_PATTERN } from './envelope';
import { KeyringError, type MasterKey } from './key-types';

export function decodeKey(b64: string, where: string): Buffer {
  const trimmed = b64.trim();
  const key = Buffer.from(trimmed, 'base64');
  // Buffer.from silently skips junk; re-encoding proves the text was really base64 of 32 bytes.
  const normalised = trimmed.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== normalised) {
    throw new KeyringError(
      `${where}: a master key must be the base64 encoding of exactly 32 random bytes`,
      'Generate one with `openssl rand -base64 32` (or restore the key the credentials were sealed with).',
    );
  }
  return key;
}

/** A stable id for an unnamed key, so a changed key shows up as an unknown key id rather than garbage. */
export function fingerprintId(key: Buffer): string {
  return `env-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

export function parseMasterKeyEnv(value: string): { activeId: string; keys: MasterKey[] } {
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (entries.length === 0) throw new KeyringError('NETPLANE_MASTER_KEY is set but empty');
  const keys: MasterKey[] = entries.map((entry, i) => {
    const where = `NETPLANE_MASTER_KEY entry ${i + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) {
      const key = decodeKey(entry, where);
      return { id: fingerprintId(key), key };
    }
    const id = entry.slice(0, colon);
    if (!KEY_ID_PATTERN.test(id))
      throw new KeyringError(
        `${where}: key id must match ${KEY_ID_PATTERN}`,
        'Use letters, digits, - and _ only: id:base64,id2:base64 (first entry active).',
      );
    return { id, key: decodeKey(entry.slice(colon + 1), where) };
  });
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new KeyringError('NETPLANE_MASTER_KEY lists the same key id twice');
  const first = keys[0] as MasterKey;
  return { activeId: first.id, keys };
}
