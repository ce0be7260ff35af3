import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { retireUnusedKeys, rotateCredentials, rotateMasterKey } from '@netplane/api';
import { testDialects } from '@netplane/db/testing';
import { addActiveKey, fileKeySource, Keyring } from '@netplane/secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../fixtures';
import { makeChain, unique } from './helpers';

describe.each(testDialects())('master key rotation on %s', (dialect) => {
  let t: TestDeps;
  const passwords = new Map<string, string>();

  async function rows() {
    return t.db.db
      .selectFrom('controllers')
      .select(['id', 'credentials_ciphertext', 'credentials_key_id'])
      .execute();
  }

  beforeAll(async () => {
    t = await makeTestDeps(dialect);
    const admin = t.callerAs('admin');
    const { provider, controller } = await makeChain(admin, { password: 'first-password' });
    passwords.set(controller.id, 'first-password');
    for (let i = 0; i < 7; i++) {
      const password = `pw-${i}-${unique('p')}`;
      const c = await admin.controllers.create({
        providerId: provider.id,
        name: `c${i}`,
        endpoint: `sim://c${i}`,
        credentials: { username: 'u', password },
      });
      passwords.set(c.id, password);
    }
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('re-encrypts every row under a new key: key id changes, plaintext does not, old key can be retired', async () => {
    const oldKey = t.keyring.activeKeyId;
    // Another node started before the rotation and never restarts.
    const otherNode = new Keyring(fileKeySource(t.keyFile));
    expect(await retireUnusedKeys(t.db.db, t.keyring, t.keyFile)).toEqual([]);

    const report = await rotateMasterKey(t.db.db, t.keyring, t.keyFile);
    expect(report.activeKeyId).not.toBe(oldKey);
    expect(report.rotated).toBe(passwords.size);
    expect(report.unreadable).toEqual([]);

    for (const r of await rows()) {
      expect(r.credentials_key_id).toBe(report.activeKeyId);
      expect(t.keyring.keyIdOf(r.credentials_ciphertext)).toBe(report.activeKeyId);
      const creds = JSON.parse(otherNode.decrypt(r.credentials_ciphertext, r.id));
      expect(creds.password).toBe(passwords.get(r.id));
    }
    const got = await t.callerAs('viewer').controllers.list({});
    expect(new Set(got.map((c) => c.credentialsKeyId))).toEqual(new Set([report.activeKeyId]));

    expect(await retireUnusedKeys(t.db.db, t.keyring, t.keyFile)).toEqual([oldKey]);
    const file = JSON.parse(readFileSync(t.keyFile, 'utf8'));
    expect(file.keys.map((k: { id: string }) => k.id)).toEqual([report.activeKeyId]);
    for (const r of await rows()) {
      expect(JSON.parse(t.keyring.decrypt(r.credentials_ciphertext, r.id)).password).toBe(
        passwords.get(r.id),
      );
    }
    // The connection still works with the re-sealed credentials.
    const first = [...passwords.keys()][0] as string;
    expect((await t.callerAs('admin').controllers.testConnection({ id: first })).ok).toBe(true);
  });

  it('two rotations racing re-seal each row exactly once (compare-and-set on version)', async () => {
    addActiveKey(t.keyFile);
    t.keyring.reload();
    const [a, b] = await Promise.all([
      rotateCredentials(t.db.db, t.keyring, { batchSize: 2 }),
      rotateCredentials(t.db.db, t.keyring, { batchSize: 2 }),
    ]);
    expect(a.rotated + b.rotated).toBe(passwords.size);
    for (const r of await rows()) expect(r.credentials_key_id).toBe(t.keyring.activeKeyId);
  });

  it('the keys rotate command form adds a key to the file and a running server reads the re-sealed rows', async () => {
    const before = t.keyring.activeKeyId;
    const report = await rotateCredentials({ db: t.db, dataDir: dirname(t.keyFile), masterKey: undefined });
    expect(report.activeKeyId).not.toBe(before);
    expect(report.rotated).toBe(passwords.size);
    expect(report.retirableKeyIds).toContain(before);
    expect(report.keySource).toBe(t.keyFile);
    // The fixture's keyring stands for the running server: it meets the new key id and re-reads the file.
    const first = [...passwords.keys()][0] as string;
    expect((await t.callerAs('admin').controllers.testConnection({ id: first })).ok).toBe(true);
    expect(t.keyring.keyIds).toContain(report.activeKeyId);
  });

  it('leaves a row it cannot decrypt untouched and reports it, rotating the others', async () => {
    const [victim] = await rows();
    if (!victim) throw new Error('no rows');
    const end = victim.credentials_ciphertext.endsWith('AA') ? 'BB' : 'AA';
    const tampered = `${victim.credentials_ciphertext.slice(0, -2)}${end}`;
    await t.db.db
      .updateTable('controllers')
      .set({ credentials_ciphertext: tampered })
      .where('id', '=', victim.id)
      .execute();
    addActiveKey(t.keyFile);
    t.keyring.reload();
    const report = await rotateCredentials(t.db.db, t.keyring);
    expect(report.unreadable).toEqual([victim.id]);
    expect(report.rotated).toBe(passwords.size - 1);
    const after = await rows();
    expect(after.find((r) => r.id === victim.id)?.credentials_ciphertext).toBe(tampered);
    expect(after.filter((r) => r.credentials_key_id === t.keyring.activeKeyId)).toHaveLength(
      passwords.size - 1,
    );
  });
});
