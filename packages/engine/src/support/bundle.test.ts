import { networkAclsRepo } from '@netplane/db';
import { type TestDatabase, testDialects } from '@netplane/db/testing';
import { DEFAULT_DENY_ACL_ID } from '@netplane/domain';
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

  it('holds the ACL lists and rules of the VPC and which tiers use them', async () => {
    const bundle = () => buildSupportBundle(t.db, f.vpcId, { now: t0 });
    // No assignment row yet: the tier uses default_deny, and the bundle says so (explicit 0) with that list.
    expect((await bundle())?.aclAssignments).toEqual([
      {
        network_id: f.networkId,
        network_name: 'web',
        list_id: DEFAULT_DENY_ACL_ID,
        explicit: 0,
        updated_at: null,
      },
    ]);
    expect((await bundle())?.aclLists).toMatchObject([{ id: DEFAULT_DENY_ACL_ID, builtin: 1 }]);
    const listId = 'acl-list-web';
    await networkAclsRepo.insertAclList(t.db, {
      id: listId,
      vpcId: f.vpcId,
      name: 'web-in',
      description: 'web tier',
      state: 'Active',
      jobId: null,
      createdAt: t0,
    });
    const rule = { action: 'allow', protocol: 'tcp', trafficType: 'Ingress', icmpType: null, icmpCode: null };
    for (const [number, port] of [
      [20, 443],
      [10, 80],
    ] as const)
      await networkAclsRepo.insertAclRule(t.db, {
        ...rule,
        id: `rule-${number}`,
        listId,
        number,
        portStart: port,
        portEnd: port,
        cidrs: ['0.0.0.0/0'],
        description: '',
        createdAt: t0,
      });
    await networkAclsRepo.assignAclList(t.db, f.networkId, listId, t0 + 5);
    const b = await bundle();
    expect(b?.aclLists).toMatchObject([{ id: listId, vpc_id: f.vpcId, name: 'web-in', builtin: 0 }]);
    // In number order, with the CIDRs as values.
    expect(b?.aclRules).toMatchObject([
      { id: 'rule-10', list_id: listId, number: 10, port_start: 80, cidrs: ['0.0.0.0/0'] },
      { id: 'rule-20', list_id: listId, number: 20, port_start: 443 },
    ]);
    expect(b?.aclAssignments).toEqual([
      { network_id: f.networkId, network_name: 'web', list_id: listId, explicit: 1, updated_at: t0 + 5 },
    ]);
  });

  it('returns undefined for an unknown VPC', async () => {
    expect(await buildSupportBundle(t.db, 'no-such-vpc', { now: t0 })).toBeUndefined();
  });
});
