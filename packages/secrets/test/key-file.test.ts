import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { addActiveKey, fileKeySource, Keyring, keyFilePath, openKeyring, retireKey } from '../src';

const freshDir = () => join(mkdtempSync(join(tmpdir(), 'np-keys-')), 'data');

describe('master key file', () => {
  it('is created with mode 0600 on first use, holding one 32-byte key', () => {
    const dir = freshDir();
    const ring = openKeyring({ dataDir: dir });
    const path = keyFilePath(dir);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(file.keys).toHaveLength(1);
    expect(Buffer.from(file.keys[0].key, 'base64')).toHaveLength(32);
    expect(file.active).toBe(ring.activeKeyId);
  });

  it('is reused on the next start: values sealed before stay readable', () => {
    const dir = freshDir();
    const sealed = openKeyring({ dataDir: dir }).encrypt('x', 'r');
    expect(openKeyring({ dataDir: dir }).decrypt(sealed.ciphertext, 'r')).toBe('x');
  });

  it.each([0o640, 0o604, 0o644])('is refused with a clear message when its mode is 0%s', (mode) => {
    const dir = freshDir();
    openKeyring({ dataDir: dir });
    chmodSync(keyFilePath(dir), mode);
    expect(() => openKeyring({ dataDir: dir })).toThrow(/readable by group or others/);
    expect(() => openKeyring({ dataDir: dir })).toThrow(
      expect.objectContaining({ fix: expect.stringContaining(`chmod 600 ${keyFilePath(dir)}`) }),
    );
  });

  it('creates a missing file only when asked, and a reload never replaces a deleted one', () => {
    const dir = freshDir();
    expect(() => openKeyring({ dataDir: dir, createKeyFile: false })).toThrow(/does not exist/);
    expect(existsSync(keyFilePath(dir))).toBe(false);
    const ring = openKeyring({ dataDir: dir });
    rmSync(keyFilePath(dir));
    expect(() => ring.reload()).toThrow(/does not exist/);
    expect(existsSync(keyFilePath(dir))).toBe(false);
  });

  it('rejects a file with the wrong shape', async () => {
    const dir = freshDir();
    openKeyring({ dataDir: dir });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(keyFilePath(dir), '{"version":1,"active":"x","keys":[]}', { mode: 0o600 });
    expect(() => openKeyring({ dataDir: dir })).toThrow(/expected shape/);
  });

  it('rotation adds a new active key atomically (0600, no temp file left) and keeps the old one', () => {
    const dir = freshDir();
    const ring = openKeyring({ dataDir: dir });
    const oldId = ring.activeKeyId;
    const sealed = ring.encrypt('x', 'r');
    const newId = addActiveKey(keyFilePath(dir));
    expect(newId).not.toBe(oldId);
    expect(statSync(keyFilePath(dir)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const after = openKeyring({ dataDir: dir });
    expect(after.activeKeyId).toBe(newId);
    expect(after.keyIds.sort()).toEqual([newId, oldId].sort());
    expect(after.decrypt(sealed.ciphertext, 'r')).toBe('x');
  });

  it('a running keyring that meets an unknown key id re-reads the file once', () => {
    const dir = freshDir();
    const running = new Keyring(fileKeySource(keyFilePath(dir)));
    const newId = addActiveKey(keyFilePath(dir));
    const other = openKeyring({ dataDir: dir });
    const sealed = other.encrypt('x', 'r');
    expect(sealed.keyId).toBe(newId);
    expect(running.keyIds).not.toContain(newId);
    expect(running.decrypt(sealed.ciphertext, 'r')).toBe('x');
    expect(running.activeKeyId).toBe(newId);
  });

  it('retires an old key but never the active one', () => {
    const dir = freshDir();
    const oldId = openKeyring({ dataDir: dir }).activeKeyId;
    const newId = addActiveKey(keyFilePath(dir));
    expect(() => retireKey(keyFilePath(dir), newId)).toThrow(/active key/);
    retireKey(keyFilePath(dir), oldId);
    expect(openKeyring({ dataDir: dir }).keyIds).toEqual([newId]);
    expect(existsSync(keyFilePath(dir))).toBe(true);
  });
});

describe('a running keyring after another process rotated', () => {
  it('seals new values under the new active key once it notices the file changed', async () => {
    // The keyring looks at the file at most once a second: the clock is moved past that instead of slept through.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const dir = freshDir();
      const running = new Keyring(fileKeySource(keyFilePath(dir)));
      const newId = addActiveKey(keyFilePath(dir));
      expect(running.encrypt('x', 'r').keyId).not.toBe(newId);
      vi.setSystemTime(Date.now() + 1_001);
      expect(running.encrypt('x', 'r').keyId).toBe(newId);
    } finally {
      vi.useRealTimers();
    }
  });
});
