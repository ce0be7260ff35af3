// Network ACL repositories on both dialects: the seeded built-ins, unique rule numbers, renumbering by swaps, tier
// assignment with default_deny for tiers without one, and the VPC's list page.
import { randomUUID } from 'node:crypto';
import { DEFAULT_ALLOW_ACL_ID, DEFAULT_DENY_ACL_ID } from '@netplane/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  inTransaction,
  isUniqueViolation,
  networksRepo,
  networkAclsRepo as repo,
  vpcsRepo,
} from '../src/index';
import { createTestDatabase, seedSimulatorInventory, type TestDatabase, testDialects } from '../src/testing';

const rule = (listId: string, number: number, over: Partial<repo.AclRuleFields> = {}) => ({
  id: randomUUID(),
  listId,
  number,
  action: 'allow',
  protocol: 'tcp',
  trafficType: 'Ingress',
  portStart: 80,
  portEnd: 80,
  icmpType: null,
  icmpCode: null,
  cidrs: ['10.0.0.0/16'],
  description: '',
  createdAt: Date.now(),
  ...over,
});

describe.each(testDialects())('network ACL repository on %s', (dialect) => {
  let t: TestDatabase;
  let vpcId = '';
  const tiers: string[] = [];
  const listId = randomUUID();
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const seed = await seedSimulatorInventory(t.db, {
      label: 'acl',
      vlanRange: { start: 100, end: 199 },
      credentials: () => ({ ciphertext: 'x', keyId: 'k' }),
      limits: { maxConcurrent: 4, callsPerSecond: 100, timeoutMs: 1000 },
    });
    const pn = await t.db.selectFrom('physical_networks').select('id').executeTakeFirstOrThrow();
    const now = Date.now();
    vpcId = randomUUID();
    await vpcsRepo.insertVpc(t.db, {
      id: vpcId,
      name: 'v',
      zoneId: seed.zoneId,
      offeringId: seed.vpcOfferingId,
      cidr: '10.0.0.0/16',
      state: 'Implemented',
      conditions: '[]',
      createdBy: 't',
      createdAt: now,
    });
    for (const [i, name] of ['web', 'db'].entries()) {
      const id = randomUUID();
      tiers.push(id);
      await networksRepo.insertNetwork(t.db, {
        id,
        vpcId,
        zoneId: seed.zoneId,
        name,
        offeringId: seed.networkOfferingId,
        physicalNetworkId: pn.id,
        cidr: `10.0.${i + 1}.0/24`,
        gateway: `10.0.${i + 1}.1`,
        isolationMethod: 'VLAN',
        segmentKind: 'vlan',
        segmentId: 101 + i,
        broadcastUri: null,
        state: 'Implemented',
        conditions: '[]',
        createdAt: now,
      });
    }
    await repo.insertAclList(t.db, {
      id: listId,
      vpcId,
      name: 'web-to-db',
      description: 'd',
      state: 'Active',
      jobId: null,
      createdAt: now,
    });
  });
  afterAll(async () => {
    await t.drop();
  });

  it('seeds default_allow and default_deny as global read-only lists with their rules', async () => {
    const allow = await repo.getAclList(t.db, DEFAULT_ALLOW_ACL_ID);
    expect(allow).toMatchObject({ name: 'default_allow', vpcId: null, builtin: true, state: 'Active' });
    expect(
      (await repo.listAclRules(t.db, DEFAULT_ALLOW_ACL_ID)).map((r) => [r.number, r.action, r.trafficType]),
    ).toEqual([
      [1, 'allow', 'Ingress'],
      [2, 'allow', 'Egress'],
    ]);
    const deny = await repo.listAclRules(t.db, DEFAULT_DENY_ACL_ID);
    expect(deny).toMatchObject([{ number: 1, action: 'deny', protocol: 'all', cidrs: ['0.0.0.0/0'] }]);
  });

  it('keeps rule numbers unique per list and orders rules by number', async () => {
    const a = rule(listId, 20);
    await repo.insertAclRule(t.db, a);
    await repo.insertAclRule(
      t.db,
      rule(listId, 10, { protocol: 'icmp', portStart: null, portEnd: null, icmpType: 8 }),
    );
    const twice = await repo.insertAclRule(t.db, rule(listId, 20)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUniqueViolation(twice)).toBe(true);
    // The same number in another list is fine.
    const other = randomUUID();
    await repo.insertAclList(t.db, {
      id: other,
      vpcId,
      name: 'other',
      description: '',
      state: 'Active',
      jobId: null,
      createdAt: 1,
    });
    await repo.insertAclRule(t.db, rule(other, 20));
    const rules = await repo.listAclRules(t.db, listId);
    expect(rules.map((r) => r.number)).toEqual([10, 20]);
    expect(rules[0]).toMatchObject({ protocol: 'icmp', icmpType: 8, icmpCode: null, portStart: null });
    const dup = await t.db
      .insertInto('network_acl_lists')
      .values({
        id: randomUUID(),
        vpc_id: vpcId,
        name: 'other',
        description: '',
        builtin: 0,
        state: 'Active',
        last_error: null,
        job_id: null,
        created_at: 1,
        updated_at: 1,
        version: 1,
      })
      .execute()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isUniqueViolation(dup)).toBe(true);
    await inTransaction(t.db, (trx) => repo.deleteAclList(trx, other));
    expect(await repo.getAclList(t.db, other)).toBeUndefined();
  });

  it('swaps rule numbers in one transaction without meeting the unique constraint', async () => {
    const [r10, r20] = await repo.listAclRules(t.db, listId);
    if (!r10 || !r20) throw new Error('rules missing');
    await inTransaction(t.db, (trx) =>
      repo.renumberAclRules(
        trx,
        listId,
        [
          { id: r10.id, number: 20 },
          { id: r20.id, number: 10 },
        ],
        Date.now(),
      ),
    );
    const after = await repo.listAclRules(t.db, listId);
    expect(after.map((r) => [r.id, r.number])).toEqual([
      [r20.id, 10],
      [r10.id, 20],
    ]);
    expect(
      await repo.updateAclRule(
        t.db,
        r20.id,
        { ...r20, number: 15, cidrs: ['10.0.2.0/24', '10.0.3.0/24'] },
        5,
      ),
    ).toBe(true);
    expect((await repo.getAclRule(t.db, r20.id))?.cidrs).toEqual(['10.0.2.0/24', '10.0.3.0/24']);
    expect(await repo.deleteAclRule(t.db, r20.id)).toBe(true);
    expect(await repo.deleteAclRule(t.db, r20.id)).toBe(false);
  });

  it('gives tiers without an assignment default_deny, and switches a tier to another list', async () => {
    const [web, db] = tiers as [string, string];
    expect(await repo.aclListIdOfTier(t.db, web)).toBe(DEFAULT_DENY_ACL_ID);
    expect((await repo.tiersUsingAcl(t.db, DEFAULT_DENY_ACL_ID, vpcId)).map((x) => x.name)).toEqual([
      'db',
      'web',
    ]);
    await inTransaction(t.db, (trx) => repo.assignAclList(trx, db, listId, 1));
    await inTransaction(t.db, (trx) => repo.assignAclList(trx, db, listId, 2));
    expect(await repo.aclListIdOfTier(t.db, db)).toBe(listId);
    expect((await repo.tiersUsingAcl(t.db, listId)).map((x) => x.name)).toEqual(['db']);
    expect((await repo.tiersUsingAcl(t.db, DEFAULT_DENY_ACL_ID, vpcId)).map((x) => x.name)).toEqual(['web']);
    await inTransaction(t.db, (trx) => repo.assignAclList(trx, web, DEFAULT_DENY_ACL_ID, 3));
    expect((await repo.tiersUsingAcl(t.db, DEFAULT_DENY_ACL_ID, vpcId)).map((x) => x.name)).toEqual(['web']);
  });

  it('pages the VPC lists with the built-ins, and guards the state write by job id', async () => {
    const p1 = await repo.pageAclListsOfVpc(t.db, vpcId, { limit: 2 });
    expect(p1.total).toBe(3);
    expect(p1.items.map((l) => l.name)).toEqual(['default_allow', 'default_deny']);
    const p2 = await repo.pageAclListsOfVpc(t.db, vpcId, { limit: 2, cursor: p1.nextCursor ?? '' });
    expect(p2.items.map((l) => l.name)).toEqual(['web-to-db']);
    expect(p2.nextCursor).toBeNull();
    expect(await repo.setAclListState(t.db, listId, { state: 'Applying', jobId: 'j1' }, 1)).toBe(true);
    expect(await repo.setAclListState(t.db, listId, { state: 'Active' }, 2, 'j0')).toBe(false);
    expect(await repo.setAclListState(t.db, listId, { state: 'Error', lastError: 'x: y' }, 2, 'j1')).toBe(
      true,
    );
    expect(await repo.getAclList(t.db, listId)).toMatchObject({
      state: 'Error',
      lastError: 'x: y',
      version: 3,
    });
  });
});
