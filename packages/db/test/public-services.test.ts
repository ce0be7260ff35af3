// Static NAT and LB rule repositories on both dialects: uniqueness per NIC and per zone IP, member sets, listing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isUniqueViolation,
  lbRulesRepo,
  networksRepo,
  nicsRepo,
  staticNatRepo,
  vpcsRepo,
} from '../src/index';
import { createTestDatabase, seedSimulatorInventory, type TestDatabase, testDialects } from '../src/testing';

describe.each(testDialects())('public-service repositories on %s', (dialect) => {
  let t: TestDatabase;
  let zoneId = '';
  let vpcId = '';
  let networkId = '';
  const nicIds: string[] = [];
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const seed = await seedSimulatorInventory(t.db, {
      label: 'ps',
      vlanRange: { start: 100, end: 199 },
      credentials: () => ({ ciphertext: 'x', keyId: 'k' }),
      limits: { maxConcurrent: 4, callsPerSecond: 100, timeoutMs: 1000 },
    });
    zoneId = seed.zoneId;
    const pn = await t.db.selectFrom('physical_networks').select('id').executeTakeFirstOrThrow();
    const now = Date.now();
    vpcId = randomUUID();
    await vpcsRepo.insertVpc(t.db, {
      id: vpcId,
      name: 'v',
      zoneId,
      offeringId: seed.vpcOfferingId,
      cidr: '10.0.0.0/16',
      state: 'Implemented',
      conditions: '[]',
      createdBy: 't',
      createdAt: now,
    });
    networkId = randomUUID();
    await networksRepo.insertNetwork(t.db, {
      id: networkId,
      vpcId,
      zoneId,
      name: 'web',
      offeringId: seed.networkOfferingId,
      physicalNetworkId: pn.id,
      cidr: '10.0.1.0/24',
      gateway: '10.0.1.1',
      isolationMethod: 'VLAN',
      segmentKind: 'vlan',
      segmentId: 101,
      broadcastUri: null,
      state: 'Implemented',
      conditions: '[]',
      createdAt: now,
    });
    for (let i = 0; i < 3; i++) {
      const id = randomUUID();
      nicIds.push(id);
      await t.db
        .insertInto('nics')
        .values({
          id,
          network_id: networkId,
          vpc_id: vpcId,
          vm_name: `vm-${i}`,
          mac: `02:00:00:00:00:0${i}`,
          ip: `10.0.1.${10 + i}`,
          ip_index: 10 + i,
          state: 'Reserved',
          conditions: '[]',
          adopted: 0,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute();
    }
    expect((await nicsRepo.getNics(t.db, nicIds)).length).toBe(3);
  });
  afterAll(async () => {
    await t.drop();
  });

  const nat = (nicId: string, publicIp: string) => ({
    id: randomUUID(),
    vpcId,
    networkId,
    nicId,
    zoneId,
    publicIp,
    publicIpId: null,
    privateIp: '10.0.1.10',
    state: 'Add' as const,
    lastOp: 'apply' as const,
    jobId: null,
    createdAt: Date.now(),
  });

  it('keeps one static NAT per NIC and one per public IP in a zone', async () => {
    const a = nat(nicIds[0] as string, '203.0.113.10');
    await staticNatRepo.insertStaticNat(t.db, a);
    const twiceOnNic = await staticNatRepo
      .insertStaticNat(t.db, nat(nicIds[0] as string, '203.0.113.11'))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isUniqueViolation(twiceOnNic)).toBe(true);
    const ipTaken = await staticNatRepo.insertStaticNat(t.db, nat(nicIds[1] as string, '203.0.113.10')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUniqueViolation(ipTaken)).toBe(true);
    expect((await staticNatRepo.staticNatOnPublicIp(t.db, zoneId, '203.0.113.10'))?.id).toBe(a.id);

    expect(
      await staticNatRepo.setStaticNatState(t.db, a.id, { state: 'Active', from: ['Add'] }, Date.now()),
    ).toBe(true);
    expect(
      await staticNatRepo.setStaticNatState(t.db, a.id, { state: 'Revoke', from: ['Add'] }, Date.now()),
    ).toBe(false);
    const [listed] = await staticNatRepo.listStaticNatOfVpc(t.db, vpcId);
    expect(listed).toMatchObject({ state: 'Active', networkName: 'web', vmName: 'vm-0', version: 2 });
    await staticNatRepo.deleteStaticNat(t.db, a.id);
    await staticNatRepo.insertStaticNat(t.db, nat(nicIds[1] as string, '203.0.113.10'));
  });

  it('stores LB rules with their member set, unique per zone VIP and per tier name', async () => {
    const id = randomUUID();
    const rule = {
      id,
      vpcId,
      networkId,
      zoneId,
      name: 'web-lb',
      publicIp: '203.0.113.20',
      publicIpId: null,
      publicPort: 80,
      privatePort: 8080,
      protocol: 'tcp',
      algorithm: 'roundrobin',
      state: 'Add' as const,
      lastOp: 'apply' as const,
      jobId: null,
      createdAt: Date.now(),
    };
    await lbRulesRepo.insertLbRule(t.db, rule, [nicIds[0] as string, nicIds[1] as string]);
    const sameVip = await lbRulesRepo
      .insertLbRule(t.db, { ...rule, id: randomUUID(), name: 'other' }, [])
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isUniqueViolation(sameVip)).toBe(true);
    // Same IP and port with another protocol is another VIP.
    await lbRulesRepo.insertLbRule(t.db, { ...rule, id: randomUUID(), name: 'dns', protocol: 'udp' }, []);

    expect((await lbRulesRepo.getLbRule(t.db, id))?.members.map((m) => m.vmName)).toEqual(['vm-0', 'vm-1']);
    expect((await lbRulesRepo.listLbRulesOfNic(t.db, nicIds[1] as string)).map((r) => r.id)).toEqual([id]);
    await lbRulesRepo.setMembers(t.db, id, [nicIds[2] as string], Date.now());
    expect((await lbRulesRepo.getLbRule(t.db, id))?.members.map((m) => m.ip)).toEqual(['10.0.1.12']);
    await lbRulesRepo.removeMember(t.db, id, nicIds[2] as string);
    const listed = await lbRulesRepo.listLbRulesOfVpc(t.db, vpcId);
    // Same created_at: the order between them is by id, so compare as a set.
    expect(listed.map((r) => [r.name, r.networkName, r.members.length]).sort()).toEqual([
      ['dns', 'web', 0],
      ['web-lb', 'web', 0],
    ]);
    expect((await lbRulesRepo.lbRulesOnPublicIp(t.db, zoneId, '203.0.113.20')).length).toBe(2);
    await lbRulesRepo.deleteLbRule(t.db, id);
    expect(await lbRulesRepo.getLbRule(t.db, id)).toBeUndefined();
  });
});
