import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '@netplane/domain';
import { describe, expect, it } from 'vitest';
import { envKeySource, Keyring, openKeyring } from '../src';

const SECRET = 'canary-pa55word-ü-🔑';
const key32 = () => randomBytes(32).toString('base64');

function expectUnreadable(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    const err = e as AppError;
    expect(err.code).toBe('SECRET_UNREADABLE');
    expect(err.message).not.toContain(SECRET);
    expect(JSON.stringify(err.details)).not.toContain(SECRET);
    return err;
  }
  throw new Error('expected decryption to fail');
}

describe('envelope encryption', () => {
  const ring = new Keyring(envKeySource(`a1:${key32()}`));

  it('round-trips a value bound to its row id and reports the key id', () => {
    const sealed = ring.encrypt(SECRET, 'row-1');
    expect(sealed.keyId).toBe('a1');
    expect(ring.keyIdOf(sealed.ciphertext)).toBe('a1');
    expect(sealed.ciphertext).not.toContain(SECRET);
    expect(sealed.ciphertext).not.toContain(Buffer.from(SECRET).toString('base64url'));
    expect(ring.decrypt(sealed.ciphertext, 'row-1')).toBe(SECRET);
  });

  it('uses a fresh nonce and data key per value, so equal plaintexts give different ciphertexts', () => {
    const a = ring.encrypt(SECRET, 'row-1').ciphertext;
    const b = ring.encrypt(SECRET, 'row-1').ciphertext;
    expect(a).not.toBe(b);
    expect(a.split('.').slice(2)).not.toEqual(expect.arrayContaining(b.split('.').slice(2)));
  });

  it('fails closed when the ciphertext is copied to another row', () => {
    const sealed = ring.encrypt(SECRET, 'row-1');
    expectUnreadable(() => ring.decrypt(sealed.ciphertext, 'row-2'));
  });

  it('fails closed when any byte of any part is flipped', () => {
    const sealed = ring.encrypt(SECRET, 'row-1');
    const parts = sealed.ciphertext.split('.');
    for (let p = 2; p < parts.length; p++) {
      const raw = Buffer.from(parts[p] as string, 'base64url');
      for (let i = 0; i < raw.length; i++) {
        const copy = Buffer.from(raw);
        copy[i] = (copy[i] as number) ^ 0x01;
        const tampered = [...parts];
        tampered[p] = copy.toString('base64url');
        expectUnreadable(() => ring.decrypt(tampered.join('.'), 'row-1'));
      }
    }
  });

  it('fails closed on a relabelled key id, truncation and garbage', () => {
    const other = new Keyring(envKeySource(`a1:${key32()},b2:${key32()}`));
    const sealed = other.encrypt(SECRET, 'row-1');
    const relabelled = sealed.ciphertext.replace('.a1.', '.b2.');
    expectUnreadable(() => other.decrypt(relabelled, 'row-1'));
    expectUnreadable(() => ring.decrypt(sealed.ciphertext.slice(0, -4), 'row-1'));
    expectUnreadable(() => ring.decrypt('not-an-envelope', 'row-1'));
    expectUnreadable(() => ring.decrypt('', 'row-1'));
  });

  it('fails closed on an unknown key id, naming the key id but no secret', () => {
    const stranger = new Keyring(envKeySource(`zz:${key32()}`));
    const err = expectUnreadable(() => ring.decrypt(stranger.encrypt(SECRET, 'r').ciphertext, 'r'));
    expect(err.message).toContain('"zz"');
  });

  it('fails closed on the same key id holding a different key', () => {
    const impostor = new Keyring(envKeySource(`a1:${key32()}`));
    expectUnreadable(() => ring.decrypt(impostor.encrypt(SECRET, 'r').ciphertext, 'r'));
  });
});

describe('NETPLANE_MASTER_KEY', () => {
  it('accepts a bare base64 key and names it by fingerprint', () => {
    const k = key32();
    const a = new Keyring(envKeySource(k));
    const b = new Keyring(envKeySource(k));
    expect(a.activeKeyId).toMatch(/^env-[0-9a-f]{12}$/);
    expect(b.decrypt(a.encrypt('x', 'r').ciphertext, 'r')).toBe('x');
  });

  it('accepts several id:base64 keys with the first active and reads values of the others', () => {
    const k1 = key32();
    const k2 = key32();
    const old = new Keyring(envKeySource(`old:${k1}`));
    const sealed = old.encrypt('x', 'r');
    const both = new Keyring(envKeySource(`new:${k2}, old:${k1}`));
    expect(both.activeKeyId).toBe('new');
    expect(both.decrypt(sealed.ciphertext, 'r')).toBe('x');
    expect(both.encrypt('y', 'r').keyId).toBe('new');
  });

  it.each([
    ['too short', randomBytes(16).toString('base64')],
    ['not base64', '!!!!'.repeat(11)],
    ['bad id', `bad id:${randomBytes(32).toString('base64')}`],
    ['empty', ' , '],
  ])('rejects a malformed value (%s) without echoing it', (_name, value) => {
    expect(() => new Keyring(envKeySource(value))).toThrow(/NETPLANE_MASTER_KEY/);
    try {
      new Keyring(envKeySource(value));
    } catch (e) {
      if (value.trim().length > 4) expect((e as Error).message).not.toContain(value.split(':').pop());
    }
  });

  it('openKeyring prefers the env var over the key file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'np-secrets-'));
    const ring = openKeyring({ masterKeyEnv: `e1:${key32()}`, dataDir: dir });
    expect(ring.activeKeyId).toBe('e1');
    expect(ring.describe).toBe('NETPLANE_MASTER_KEY');
  });
});
