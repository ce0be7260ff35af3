// Static NAT and LB rule repositories on both dialects: uniqueness per NIC and per zone IP, member sets, listing,
// their state write (rule-state.ts, shared with port forwarding), and the rules on an acquired address
// (publicIpUseRepo) with the foreign key that keeps a used address from going.
import { randomUUID } from 'node:crypto';
import { ipv4ToInt } from '@netplane/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isUniqueViolation,
  lbRulesRepo,
  networksRepo,
  nicsRepo,
  publicIpsRepo,
  publicIpUseRepo,
  staticNatRepo,
  vpcsRepo,
} from '../src/index';
import * as m013 from '../src/migrations/013-rule-public-ips';
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
  it("writes a static NAT's and an LB rule's state through the one rule-state write: guarded by `from`, only the fields named, version bumped", async () => {
    const natRow = nat(nicIds[2] as string, '203.0.113.30');
    await staticNatRepo.insertStaticNat(t.db, natRow);
    const lbId = randomUUID();
    await lbRulesRepo.insertLbRule(
      t.db,
      {
        ...{
          id: lbId,
          vpcId,
          networkId,
          zoneId,
          name: 'state-lb',
          publicIp: '203.0.113.31',
          publicIpId: null,
        },
        ...{ publicPort: 80, privatePort: 80, protocol: 'tcp', algorithm: 'roundrobin' },
        ...{ state: 'Add' as const, lastOp: 'apply' as const, jobId: null, createdAt: Date.now() },
      },
      [],
    );
    for (const [rows, id] of [
      [staticNatRepo.ruleRows, natRow.id],
      [lbRulesRepo.ruleRows, lbId],
    ] as const) {
      expect(await rows.setState(t.db, id, { state: 'Active', from: ['Revoke'] }, 5000)).toBe(false);
      expect(await rows.get(t.db, id)).toMatchObject({ state: 'Add', version: 1 });
      const failed = {
        state: 'Error',
        lastOp: 'revoke',
        lastError: 'boom',
        jobId: 'j1',
        from: ['Add'],
      } as const;
      expect(await rows.setState(t.db, id, failed, 5001)).toBe(true);
      expect(await rows.get(t.db, id)).toMatchObject({
        ...{ state: 'Error', lastOp: 'revoke', lastError: 'boom', jobId: 'j1', updatedAt: 5001, version: 2 },
      });
      // What the update does not name stays; null clears.
      expect(await rows.setState(t.db, id, { state: 'Add', lastError: null }, 5002)).toBe(true);
      expect(await rows.get(t.db, id)).toMatchObject({
        state: 'Add',
        lastOp: 'revoke',
        lastError: null,
        jobId: 'j1',
      });
      await rows.remove(t.db, id);
      expect(await rows.setState(t.db, id, { state: 'Active' }, 5003)).toBe(false);
    }
  });
  it('finds the rules on an acquired address, decides who may share it, and keeps a used address from being deleted', async () => {
    const pn = await t.db.selectFrom('physical_networks').select('id').executeTakeFirstOrThrow();
    const rangeId = randomUUID();
    const [gateway, start, end] = ['192.0.2.1', '192.0.2.10', '192.0.2.20'];
    const num = (ip: string) => ipv4ToInt(ip) ?? 0;
    await publicIpsRepo.insertRange(
      t.db,
      {
        ...{ id: rangeId, zoneId, physicalNetworkId: pn.id, cidr: '192.0.2.0/24', gateway, vlan: null },
        ...{ startIp: start, endIp: end, startNum: num(start), endNum: num(end), gatewayNum: num(gateway) },
      },
      Date.now(),
    );
    const acquire = async () => {
      const r = await publicIpsRepo.acquirePublicIp(t.db, {
        ...{ zoneId, vpcId, purpose: 'User', acquiredBy: 't', rangeId, now: Date.now() },
      });
      if (!r.ok) throw new Error(r.reason);
      return r.ip;
    };
    const [natIp, lbIp, legacyIp] = [await acquire(), await acquire(), await acquire()];
    const rule = nat(nicIds[2] as string, natIp.address);
    await staticNatRepo.insertStaticNat(t.db, { ...rule, publicIpId: natIp.id });
    const lb = {
      ...{
        id: randomUUID(),
        vpcId,
        networkId,
        zoneId,
        name: 'vip',
        publicIp: lbIp.address,
        publicIpId: lbIp.id,
      },
      ...{ publicPort: 80, privatePort: 8080, protocol: 'tcp', algorithm: 'roundrobin' },
      ...{ state: 'Add' as const, lastOp: 'apply' as const, jobId: null, createdAt: Date.now() },
    };
    await lbRulesRepo.insertLbRule(t.db, lb, []);
    // A rule from before migration 013: no id, only the address string.
    const oldId = randomUUID();
    await lbRulesRepo.insertLbRule(
      t.db,
      { ...lb, id: oldId, name: 'old', publicIp: legacyIp.address, publicIpId: null },
      [],
    );

    const natUse = await publicIpUseRepo.addressUse(t.db, natIp.id);
    expect(natUse).toEqual([
      expect.objectContaining({
        kind: 'staticNat',
        id: rule.id,
        label: `static NAT ${natIp.address} → 10.0.1.10`,
      }),
    ]);
    const lbUse = await publicIpUseRepo.addressUse(t.db, lbIp.id);
    expect(lbUse).toEqual([
      expect.objectContaining({ kind: 'lbRule', id: lb.id, port: 80, protocol: 'tcp' }),
    ]);
    expect((await publicIpUseRepo.addressUse(t.db, legacyIp.id)).map((u) => u.label)).toEqual([
      `LB rule old (${legacyIp.address}:80/tcp)`,
    ]);
    expect(await publicIpUseRepo.addressUse(t.db, randomUUID())).toEqual([]);

    const { conflictOn } = publicIpUseRepo;
    expect(conflictOn(natUse, { kind: 'staticNat' })?.id).toBe(rule.id);
    expect(conflictOn(natUse, { kind: 'lbRule', port: 443, protocol: 'tcp' })?.id).toBe(rule.id);
    expect(conflictOn(lbUse, { kind: 'staticNat' })?.id).toBe(lb.id);
    expect(conflictOn(lbUse, { kind: 'lbRule', port: 80, protocol: 'tcp' })?.id).toBe(lb.id);
    expect(conflictOn(lbUse, { kind: 'lbRule', port: 443, protocol: 'tcp' })).toBeUndefined();
    expect(conflictOn(lbUse, { kind: 'lbRule', port: 80, protocol: 'udp' })).toBeUndefined();
    expect(conflictOn([], { kind: 'staticNat' })).toBeUndefined();

    // The rule's public_ip_id keeps the address row: deleting it fails on either dialect.
    const deleted = await publicIpsRepo.deletePublicIp(t.db, natIp.id).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(publicIpsRepo.isReferencedRowViolation(deleted)).toBe(true);
    await staticNatRepo.deleteStaticNat(t.db, rule.id);
    expect(await publicIpsRepo.deletePublicIp(t.db, natIp.id)).toBe(true);
    // And a rule cannot name an address that is gone.
    const dangling = await staticNatRepo
      .insertStaticNat(t.db, { ...nat(nicIds[2] as string, natIp.address), publicIpId: natIp.id })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(publicIpsRepo.isForeignKeyViolation(dangling)).toBe(true);

    // Migration 013 run again over these rows links the old rule to the acquired address with its string.
    await m013.down(t.db as never);
    await m013.up(t.db as never);
    expect((await lbRulesRepo.getLbRule(t.db, oldId))?.publicIpId).toBe(legacyIp.id);
    expect((await lbRulesRepo.getLbRule(t.db, lb.id))?.publicIpId).toBe(lbIp.id);
  });
});
