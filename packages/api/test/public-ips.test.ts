// publicIpRanges.* and publicIps.* through the API on both dialects: validation and overlap refusals are typed
// 4xx naming the other range, usage counts follow acquires, a used range cannot be deleted, releases are guarded,
// and every change leaves an audit row.
import { randomUUID } from 'node:crypto';
import { vpcsRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from './fixtures/deps';
import { insertOffering } from './fixtures/inventory';

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string; details: unknown }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) {
      const cause = e.cause as { code?: string; details?: unknown } | undefined;
      return { code: e.code, message: e.message, details: cause?.details };
    }
    throw e;
  }
  throw new Error('expected a refusal');
}

describe.each(testDialects())('public IPs through the API on %s', (dialect) => {
  let t: TestDeps;
  let zoneId = '';
  let pnId = '';
  let vpcId = '';
  beforeAll(async () => {
    t = await makeTestDeps(dialect);
    const admin = t.callerAs('admin');
    zoneId = (await admin.zones.create({ name: 'z1' })).id;
    const pn = await admin.physicalNetworks.create({
      zoneId,
      name: 'pn-public',
      isolationMethods: ['VLAN'],
      vlanRanges: ['100-199'],
      trafficTypes: [
        { type: 'Guest', labels: {} },
        { type: 'Public', labels: { KVM: 'cloudbr1' } },
      ],
    });
    pnId = pn.id;
    const offeringId = await insertOffering(t.db.db, {
      name: 'o',
      kind: 'vpc',
      serviceProviders: {},
      now: 1,
    });
    vpcId = randomUUID();
    await vpcsRepo.insertVpc(t.db.db, {
      id: vpcId,
      name: 'shop',
      zoneId,
      offeringId,
      cidr: '10.0.0.0/16',
      state: 'Allocated',
      conditions: '[]',
      createdBy: 't',
      createdAt: Date.now(),
    });
  });
  afterAll(async () => t?.cleanup());

  it('validates a range: gateway and bounds inside the CIDR, aligned CIDR, start before end', async () => {
    const admin = t.callerAs('admin');
    const bad = [
      { zoneId, cidr: '203.0.113.0/24', gateway: '203.0.114.1' },
      { zoneId, cidr: '203.0.113.5/24', gateway: '203.0.113.1' },
      {
        zoneId,
        cidr: '203.0.113.0/24',
        gateway: '203.0.113.1',
        startIp: '203.0.113.50',
        endIp: '203.0.113.10',
      },
      { zoneId, cidr: '203.0.113.0/24', gateway: '203.0.113.1', endIp: '203.0.113.255' },
      { zoneId, cidr: '203.0.113.0/24', gateway: '203.0.113.1', vlan: 5000 },
    ];
    for (const input of bad)
      expect((await refusal(admin.publicIpRanges.create(input))).code).toBe('BAD_REQUEST');
  });

  it('creates ranges, refuses overlaps across the zone naming the other range, and counts usage', async () => {
    const admin = t.callerAs('admin');
    const a = await admin.publicIpRanges.create({
      zoneId,
      cidr: '203.0.113.0/24',
      gateway: '203.0.113.1',
      vlan: 300,
      startIp: '203.0.113.10',
      endIp: '203.0.113.12',
    });
    expect(a).toMatchObject({ physicalNetworkId: pnId, size: 3, used: 0, vlan: 300 });
    // Other addresses of the same subnet and VLAN are a second range, not a conflict.
    const b = await admin.publicIpRanges.create({
      zoneId,
      cidr: '203.0.113.0/24',
      gateway: '203.0.113.1',
      vlan: 300,
      startIp: '203.0.113.20',
      endIp: '203.0.113.29',
    });
    const overlap = await refusal(
      admin.publicIpRanges.create({
        zoneId,
        cidr: '203.0.113.0/24',
        gateway: '203.0.113.1',
        vlan: 300,
        startIp: '203.0.113.12',
        endIp: '203.0.113.15',
      }),
    );
    expect(overlap.code).toBe('BAD_REQUEST'); // RANGE_OVERLAP is a 400, as for VLAN ranges
    expect(overlap.message).toContain('203.0.113.10-203.0.113.12');
    expect(overlap.details).toMatchObject({ conflicts: [{ rangeId: a.id }] });
    const otherVlan = await refusal(
      admin.publicIpRanges.create({ zoneId, cidr: '203.0.113.128/25', gateway: '203.0.113.129', vlan: 301 }),
    );
    expect(otherVlan.code).toBe('BAD_REQUEST');
    expect(otherVlan.message).toContain('another VLAN');

    const viewer = t.callerAs('viewer');
    const ip1 = await t.callerAs('operator').publicIps.acquire({ vpcId });
    expect(ip1).toMatchObject({
      address: '203.0.113.10',
      vpcId,
      purpose: 'User',
      gateway: '203.0.113.1',
      vlan: 300,
    });
    const ranges = await viewer.publicIpRanges.list({ zoneId });
    expect(ranges.map((r) => [r.id, r.used, r.size])).toEqual([
      [a.id, 1, 3],
      [b.id, 0, 10],
    ]);
    const inUse = await refusal(admin.publicIpRanges.delete({ id: a.id }));
    expect(inUse.code).toBe('CONFLICT');
    expect(inUse.message).toContain('1 acquired');
    await admin.publicIpRanges.delete({ id: b.id });
    expect((await viewer.publicIpRanges.list({ zoneId })).map((r) => r.id)).toEqual([a.id]);

    // The remaining range has 3 addresses: two more acquires succeed, the fourth names the full range.
    await t.callerAs('operator').publicIps.acquire({ vpcId });
    await t.callerAs('operator').publicIps.acquire({ vpcId, rangeId: a.id });
    const full = await refusal(t.callerAs('operator').publicIps.acquire({ vpcId }));
    expect(full.code).toBe('PRECONDITION_FAILED');
    expect(full.message).toContain('203.0.113.0/24 (VLAN 300, 3/3 used)');

    const page = await viewer.publicIps.list({ vpcId, limit: 2, sort: 'address', dir: 'asc' });
    expect(page.total).toBe(3);
    expect(page.items.map((i) => i.address)).toEqual(['203.0.113.10', '203.0.113.11']);
    const rest = await viewer.publicIps.list({
      vpcId,
      limit: 2,
      sort: 'address',
      dir: 'asc',
      cursor: page.nextCursor ?? '',
    });
    expect(rest).toMatchObject({ items: [{ address: '203.0.113.12' }], nextCursor: null, total: 3 });

    await t.callerAs('operator').publicIps.release({ id: ip1.id });
    expect((await viewer.publicIps.list({ vpcId })).total).toBe(2);
    const again = await t.callerAs('operator').publicIps.acquire({ vpcId });
    expect(again.address).toBe('203.0.113.10');

    const audit = await viewer.audit.list({ action: 'public' });
    expect(audit.items.length).toBe(0); // prefix needs the dot: "public" alone is an exact action
    const actions = (await viewer.audit.list({ action: 'publicIps.' })).items.map((r) => r.action);
    expect(actions.filter((x) => x === 'publicIps.acquire')).toHaveLength(4);
    expect(actions.filter((x) => x === 'publicIps.release')).toHaveLength(1);
    // The physical network keeps its Public traffic, and exists, while a range hangs off it.
    const dropPublic = await refusal(
      admin.physicalNetworks.update({ id: pnId, trafficTypes: [{ type: 'Guest', labels: {} }] }),
    );
    expect(dropPublic).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('public IP range'),
    });
    expect((await refusal(admin.physicalNetworks.delete({ id: pnId }))).code).toBe('CONFLICT');

    const rangeActions = (await viewer.audit.list({ action: 'publicIpRanges.' })).items.map((r) => r.action);
    expect(rangeActions.sort()).toEqual([
      'publicIpRanges.create',
      'publicIpRanges.create',
      'publicIpRanges.delete',
    ]);
  });

  it('answers 25 concurrent acquires with 25 distinct addresses, and the 26th with the full range', async () => {
    const admin = t.callerAs('admin');
    const z = (await admin.zones.create({ name: 'z-race' })).id;
    await admin.physicalNetworks.create({
      zoneId: z,
      name: 'pn-race',
      isolationMethods: ['VLAN'],
      vlanRanges: ['200-210'],
      trafficTypes: [{ type: 'Public', labels: {} }],
    });
    // .1 is the gateway: .2-.26 are the 25 usable addresses.
    await admin.publicIpRanges.create({
      zoneId: z,
      cidr: '198.51.100.0/27',
      gateway: '198.51.100.1',
      endIp: '198.51.100.26',
    });
    const offeringId = await insertOffering(t.db.db, {
      name: 'o-race',
      kind: 'vpc',
      serviceProviders: {},
      now: 1,
    });
    const vpc = randomUUID();
    await vpcsRepo.insertVpc(t.db.db, {
      id: vpc,
      name: 'race',
      zoneId: z,
      offeringId,
      cidr: '10.0.0.0/16',
      state: 'Allocated',
      conditions: '[]',
      createdBy: 't',
      createdAt: Date.now(),
    });
    const operator = t.callerAs('operator');
    const got = await Promise.all(
      Array.from({ length: 25 }, () => operator.publicIps.acquire({ vpcId: vpc })),
    );
    expect(new Set(got.map((g) => g.address)).size).toBe(25);
    expect((await t.callerAs('viewer').publicIpRanges.list({ zoneId: z }))[0]).toMatchObject({
      used: 25,
      size: 25,
    });
    expect((await refusal(operator.publicIps.acquire({ vpcId: vpc }))).message).toContain('25/25 used');
  });

  it('refuses a range in a zone whose physical networks carry no Public traffic, and unknown ids', async () => {
    const admin = t.callerAs('admin');
    const z2 = (await admin.zones.create({ name: 'z2' })).id;
    await admin.physicalNetworks.create({
      zoneId: z2,
      name: 'guest-only',
      isolationMethods: ['VLAN'],
      vlanRanges: ['10-20'],
    });
    const r = await refusal(
      admin.publicIpRanges.create({ zoneId: z2, cidr: '192.0.2.0/24', gateway: '192.0.2.1' }),
    );
    expect(r.code).toBe('PRECONDITION_FAILED');
    expect(r.message).toContain('Public traffic');
    expect((await refusal(admin.publicIpRanges.delete({ id: randomUUID() }))).code).toBe('NOT_FOUND');
    expect((await refusal(t.callerAs('operator').publicIps.acquire({ vpcId: randomUUID() }))).code).toBe(
      'NOT_FOUND',
    );
    expect((await refusal(t.callerAs('operator').publicIps.release({ id: randomUUID() }))).code).toBe(
      'NOT_FOUND',
    );
  });
});
