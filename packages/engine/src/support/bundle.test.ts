import { type TestDatabase, testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, type FailedVpc, failedVpcDatabase, keyring } from '../../test/failed-vpc';
import { diagnoseEntityError } from '../diagnostics/hook';
import { buildSupportBundle } from './bundle';

describe.each(testDialects())('support bundle on %s', (dialect) => {
  let t: TestDatabase;
  let f: FailedVpc;
  const t0 = 1_700_000_000_000;
  beforeAll(async () => {
    ({ t, f } = await failedVpcDatabase(dialect, t0));
    await diagnoseEntityError(t.db, {
      entityType: 'nic',
      entityId: f.nicIds[0] as string,
      vpcId: f.vpcId,
      jobId: f.jobId,
      fromState: 'Reserving',
      code: 'CALL_FAILED',
      message: `failed with ${CANARY}`,
      rootCallId: f.callIds.first,
      at: t0 + 100,
    });
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('holds states, transitions, trace, calls, diagnoses, jobs and audit of the VPC', async () => {
    const b = await buildSupportBundle(t.db, f.vpcId, {
      now: t0 + 1,
      decrypt: (c, id) => keyring.decrypt(c, id),
    });
    expect(b).toBeDefined();
    expect(b?.vpc).toMatchObject({ id: f.vpcId, name: 'shop' });
    expect(b?.networks).toHaveLength(1);
    expect(b?.nics).toHaveLength(2);
    expect(b?.transitions).toHaveLength(3);
    expect(b?.jobs).toHaveLength(1);
    expect(b?.elementCalls).toHaveLength(3);
    expect(b?.negotiationTraces).toHaveLength(1);
    expect(b?.diagnoses).toHaveLength(1);
    expect(b?.audit).toHaveLength(1);
    expect(b?.controllers).toMatchObject([{ id: f.controllerId, name: 'sim-ctl' }]);
    // JSON columns are expanded and the fencing token kept: support reads who called with which lease.
    expect(b?.elementCalls[0]).toMatchObject({
      node_id: 'node-a',
      fencing_token: 3,
      request_summary: { auth: { password: '[redacted]' } },
    });
  });

  it('never contains the controller password canary nor the credential ciphertext, anywhere', async () => {
    for (const decrypt of [undefined, (c: string, id: string) => keyring.decrypt(c, id)]) {
      const text = JSON.stringify(
        await buildSupportBundle(t.db, f.vpcId, { now: t0, ...(decrypt ? { decrypt } : {}) }),
      );
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain(f.ciphertext);
      expect(text).not.toContain(f.ciphertext.split('.')[5] as string);
      expect(text).not.toMatch(/np1\.[A-Za-z0-9_-]+\./);
    }
  });

  it('returns undefined for an unknown VPC', async () => {
    expect(await buildSupportBundle(t.db, 'no-such-vpc', { now: t0 })).toBeUndefined();
  });
});
