// The port forwarding repository on both dialects: insert and read back, the lists the engine's checks read (by
// address id, address string, NIC, tier), the paged list with names, state writes guarded by `from`, and the address
// row: one of its users (public-ip-use), and not deletable while a rule names it (foreign key).
import { randomUUID } from 'node:crypto';
import { ipv4ToInt } from '@netplane/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networksRepo, portForwardingRepo, publicIpsRepo, publicIpUseRepo, vpcsRepo } from '../src/index';
import { createTestDatabase, seedSimulatorInventory, type TestDatabase, testDialects } from '../src/testing';

describe.each(testDialects())('port forwarding repository on %s', (dialect) => {
  let t: TestDatabase;
  let zoneId = '';
  let vpcId = '';
  let networkId = '';
  const nicIds: string[] = [];
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const seed = await seedSimulatorInventory(t.db, {
      label: 'pf',
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
    for (let i = 0; i < 2; i++) {
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
    await publicIpsRepo.insertRange(
      t.db,
      {
        id: randomUUID(),
        zoneId,
        physicalNetworkId: pn.id,
        cidr: '198.51.100.0/24',
        gateway: '198.51.100.1',
        vlan: null,
        startIp: '198.51.100.10',
        endIp: '198.51.100.20',
        startNum: ipv4ToInt('198.51.100.10') ?? 0,
        endNum: ipv4ToInt('198.51.100.20') ?? 0,
        gatewayNum: ipv4ToInt('198.51.100.1') ?? 0,
      },
      now,
    );
  });
  afterAll(async () => t?.drop());

  async function acquire() {
    const r = await publicIpsRepo.acquirePublicIp(t.db, {
      zoneId,
      vpcId,
      purpose: 'User',
      acquiredBy: 't',
      now: Date.now(),
    });
    if (!r.ok) throw new Error(r.reason);
    return r.ip;
  }
  const rule = (
    ip: { id: string; address: string },
    nicIndex: number,
    start: number,
    end: number,
    createdAt: number,
  ) => ({
    id: randomUUID(),
    vpcId,
    networkId,
    nicId: nicIds[nicIndex] ?? '',
    zoneId,
    publicIpId: ip.id,
    publicIp: ip.address,
    privateIp: `10.0.1.${10 + nicIndex}`,
    protocol: 'tcp' as const,
    publicPortStart: start,
    publicPortEnd: end,
    privatePortStart: start - 2000,
    privatePortEnd: end - 2000,
    state: 'Add' as const,
    lastOp: 'apply' as const,
    jobId: randomUUID(),
    createdAt,
  });

  it('reads rules back by id, address, NIC and tier, and pages a VPC’s rules oldest first with names', async () => {
    const ip = await acquire();
    const a = rule(ip, 0, 2222, 2224, 1000);
    const b = rule(ip, 1, 2230, 2230, 2000);
    await portForwardingRepo.insertPortForwarding(t.db, a);
    await portForwardingRepo.insertPortForwarding(t.db, b);
    expect(await portForwardingRepo.getPortForwarding(t.db, a.id)).toMatchObject({
      ...a,
      lastError: null,
      version: 1,
      updatedAt: 1000,
    });
    expect((await portForwardingRepo.listOnPublicIp(t.db, ip.id)).map((r) => r.id)).toEqual([a.id, b.id]);
    expect((await portForwardingRepo.listOnAddress(t.db, zoneId, ip.address)).map((r) => r.id)).toEqual([
      a.id,
      b.id,
    ]);
    expect((await portForwardingRepo.listOfNics(t.db, [nicIds[1] ?? ''])).map((r) => r.id)).toEqual([b.id]);
    expect((await portForwardingRepo.listOfNetwork(t.db, networkId)).length).toBeGreaterThanOrEqual(2);
    const first = await portForwardingRepo.pageOfVpc(t.db, { vpcId, limit: 1 });
    expect(first.items).toEqual([expect.objectContaining({ id: a.id, networkName: 'web', vmName: 'vm-0' })]);
    expect(first.total).toBeGreaterThanOrEqual(2);
    const second = await portForwardingRepo.pageOfVpc(t.db, {
      vpcId,
      limit: 1,
      cursor: first.nextCursor ?? '',
    });
    expect(second.items.map((r) => r.id)).toEqual([b.id]);
  });

  it('writes a state only from the states given, and deletes', async () => {
    const ip = await acquire();
    const r = rule(ip, 0, 3000, 3000, 3000);
    await portForwardingRepo.insertPortForwarding(t.db, r);
    expect(
      await portForwardingRepo.setPortForwardingState(t.db, r.id, { state: 'Add', from: ['Error'] }, 3001),
    ).toBe(false);
    expect(
      await portForwardingRepo.setPortForwardingState(
        t.db,
        r.id,
        { state: 'Error', lastError: 'VENDOR_ERROR: x', lastOp: 'apply' },
        3002,
      ),
    ).toBe(true);
    expect(await portForwardingRepo.getPortForwarding(t.db, r.id)).toMatchObject({
      state: 'Error',
      lastError: 'VENDOR_ERROR: x',
      version: 2,
    });
    await portForwardingRepo.deletePortForwarding(t.db, r.id);
    expect(await portForwardingRepo.getPortForwarding(t.db, r.id)).toBeUndefined();
  });

  it('keeps an address with a rule from being deleted, and lists the rule among the address users', async () => {
    const ip = await acquire();
    const r = rule(ip, 0, 4000, 4001, 4000);
    await portForwardingRepo.insertPortForwarding(t.db, r);
    const err = await publicIpsRepo.deletePublicIp(t.db, ip.id).catch((e: unknown) => e);
    expect(publicIpsRepo.isReferencedRowViolation(err)).toBe(true);
    expect(await publicIpUseRepo.addressUse(t.db, ip.id)).toEqual([
      expect.objectContaining({ kind: 'portForward', id: r.id, start: 4000, end: 4001, protocol: 'tcp' }),
    ]);
    await portForwardingRepo.deletePortForwarding(t.db, r.id);
    expect(await publicIpsRepo.deletePublicIp(t.db, ip.id)).toBe(true);
  });
});

describe('publicIpUseRepo.conflictOn with port forwards', () => {
  const pf = {
    kind: 'portForward',
    id: 'pf',
    start: 2222,
    end: 2224,
    protocol: 'tcp',
    privateIp: '10.0.1.10',
    label: 'pf',
  } as const;
  const lb = { kind: 'lbRule', id: 'lb', name: 'web', port: 80, protocol: 'tcp', label: 'lb' } as const;
  const nat = { kind: 'staticNat', id: 'nat', nicId: 'n', privateIp: '10.0.1.11', label: 'nat' } as const;
  const want = (start: number, end: number, protocol = 'tcp') =>
    ({ kind: 'portForward', start, end, protocol }) as const;

  it('refuses an overlapping range of the protocol, an LB port inside the range, and any static NAT', () => {
    expect(publicIpUseRepo.conflictOn([pf], want(2224, 2230))).toBe(pf);
    expect(publicIpUseRepo.conflictOn([pf], want(2225, 2230))).toBeUndefined();
    expect(publicIpUseRepo.conflictOn([pf], want(2222, 2222, 'udp'))).toBeUndefined();
    expect(publicIpUseRepo.conflictOn([lb], want(79, 81))).toBe(lb);
    expect(publicIpUseRepo.conflictOn([lb], want(81, 90))).toBeUndefined();
    expect(publicIpUseRepo.conflictOn([nat], want(1, 1))).toBe(nat);
  });

  it('refuses a static NAT on a forwarded address and an LB VIP inside a forwarded range', () => {
    expect(publicIpUseRepo.conflictOn([pf], { kind: 'staticNat' })).toBe(pf);
    expect(publicIpUseRepo.conflictOn([pf], { kind: 'lbRule', port: 2223, protocol: 'tcp' })).toBe(pf);
    expect(publicIpUseRepo.conflictOn([pf], { kind: 'lbRule', port: 2223, protocol: 'udp' })).toBeUndefined();
    expect(publicIpUseRepo.conflictOn([pf, lb], { kind: 'lbRule', port: 80, protocol: 'tcp' })).toBe(lb);
  });
});
