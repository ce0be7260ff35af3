// controllers.credentialsHealth: the rows a node cannot decrypt because it lacks their key, for the admins' banner.
import { randomBytes } from 'node:crypto';
import { testDialects } from '@netplane/db/testing';
import { envKeySource, Keyring } from '@netplane/secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../fixtures';
import { makeChain } from './helpers';

describe.each(testDialects())('credentials health on %s', (dialect) => {
  let t: TestDeps;
  let controllerId: string;
  beforeAll(async () => {
    t = await makeTestDeps(dialect);
    const { controller } = await makeChain(t.callerAs('admin'), { password: 'health-password' });
    controllerId = controller.id;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('reports nothing while every row is sealed under a key held, and names the rows under a lost key', async () => {
    const admin = t.callerAs('admin');
    expect(await admin.controllers.credentialsHealth()).toEqual({
      sealedRows: 1,
      unreadableRows: 0,
      missingKeyIds: [],
      controllers: [],
    });
    const lost = new Keyring(envKeySource(randomBytes(32).toString('base64')));
    const sealed = lost.encrypt('{"username":"u","password":"p"}', controllerId);
    await t.db.db
      .updateTable('controllers')
      .set({ credentials_ciphertext: sealed.ciphertext, credentials_key_id: sealed.keyId })
      .where('id', '=', controllerId)
      .execute();
    const health = await admin.controllers.credentialsHealth();
    expect(health).toMatchObject({ sealedRows: 1, unreadableRows: 1, missingKeyIds: [sealed.keyId] });
    expect(health.controllers.map((c) => c.id)).toEqual([controllerId]);
  });
});
