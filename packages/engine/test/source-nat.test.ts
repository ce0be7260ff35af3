// The VPC's source-NAT address from the zone's public IP ranges, on the simulator and both dialects: acquired when a
// tier whose offering has SourceNat, StaticNat or Lb is implemented (and passed to the adapter with the range it came
// from), shared by the VPC's tiers, released when the VPC is destroyed; a full zone fails the implement with a
// CAPACITY_EXHAUSTED diagnosis naming zone and range.
import { randomUUID } from 'node:crypto';
import { diagnosesRepo, publicIpsRepo } from '@netplane/db';
import { ipv4ToInt, type Service } from '@netplane/domain';
import { expect, it } from 'vitest';
import { describeWorldWithOfferings } from './describe-world';
import { waitForJob } from './world';

const OFFERINGS: Record<'snat' | 'plain', Service[]> = {
  snat: ['Connectivity', 'Dhcp', 'SourceNat'],
  plain: ['Connectivity'],
};

describeWorldWithOfferings('source-NAT addresses', OFFERINGS, (world) => {
  let net = 60;

  async function vpcWith(offeringId: string, tiers = 1) {
    const { w, engine } = world;
    const n = ++net;
    const vpc = await engine.createVpc(
      { name: `vpc-${n}`, zoneId: w.zoneId, offeringId: w.vpcOfferingId, cidr: `10.${n}.0.0/16` },
      't',
    );
    const ids: string[] = [];
    for (let i = 0; i < tiers; i++)
      ids.push(
        (
          await engine.createTier(
            { vpcId: vpc.id, name: `t${i}`, offeringId, cidr: `10.${n}.${i + 1}.0/24` },
            't',
          )
        ).id,
      );
    return { vpc, tierIds: ids };
  }
  const implement = async (tierId: string) =>
    waitForJob(world.engine, (await world.engine.implementTier(tierId, 't')).jobId);
  /** A public IP range of the world's zone and physical network, usable from startIp to endIp. */
  const addRange = (
    r: { id: string; cidr: string; gateway: string; vlan: number | null },
    startIp: string,
    endIp: string,
  ) =>
    publicIpsRepo.insertRange(
      world.w.db.db,
      {
        ...r,
        zoneId: world.w.zoneId,
        physicalNetworkId: world.w.physicalNetworkId,
        startIp,
        endIp,
        startNum: ipv4ToInt(startIp) ?? 0,
        endNum: ipv4ToInt(endIp) ?? 0,
        gatewayNum: ipv4ToInt(r.gateway) ?? 0,
      },
      Date.now(),
    );

  it('without a range in the zone, implements as before and acquires nothing', async () => {
    const { w } = world;
    const { vpc, tierIds } = await vpcWith(world.offerings.snat);
    expect((await implement(tierIds[0] as string)).state).toBe('succeeded');
    expect(await publicIpsRepo.listPublicIpsOfVpc(w.db.db, vpc.id)).toEqual([]);
  });

  it('acquires, passes, shares and releases the VPC address; a full zone is CAPACITY_EXHAUSTED naming the range', async () => {
    const { w, engine } = world;
    // 203.0.113.0/29 with the gateway .1 inside the span .1-.3: two usable addresses.
    const rangeId = randomUUID();
    await addRange(
      { id: rangeId, cidr: '203.0.113.0/29', gateway: '203.0.113.1', vlan: null },
      '203.0.113.1',
      '203.0.113.3',
    );

    const plain = await vpcWith(world.offerings.plain);
    expect((await implement(plain.tierIds[0] as string)).state).toBe('succeeded');
    expect(await publicIpsRepo.listPublicIpsOfVpc(w.db.db, plain.vpc.id)).toEqual([]);

    const a = await vpcWith(world.offerings.snat, 2);
    const jobA = await implement(a.tierIds[0] as string);
    expect(jobA.state).toBe('succeeded');
    const snatA = await publicIpsRepo.sourceNatOf(w.db.db, a.vpc.id);
    expect(snatA).toMatchObject({ address: '203.0.113.2', purpose: 'SourceNat', rangeId });
    // The adapter got the VPC's own address, and the simulator holds it on the tier.
    const calls = await engine.listCalls({ jobId: jobA.id });
    const netCall = calls.find((c) => (c.request as { op?: string }).op === 'implementNetwork');
    const sent = netCall?.request as
      | { network?: { sourceNatIp?: string; publicNetwork?: unknown } }
      | undefined;
    expect(sent?.network?.sourceNatIp).toBe('203.0.113.2');
    // With the public side it came from (the range; this physical network has no Public traffic label).
    expect(sent?.network?.publicNetwork).toEqual({
      cidr: '203.0.113.0/29',
      gateway: '203.0.113.1',
      vlan: null,
    });
    const switches = await w.hub.listResources(w.controllerIds[0] as string, {
      kind: 'network',
      limit: 1000,
    });
    const held = switches.items.find((s) => s.id === a.tierIds[0]);
    expect(held?.attributes.sourceNatIp).toBe('203.0.113.2');
    // A second tier of the same VPC uses the same address.
    expect((await implement(a.tierIds[1] as string)).state).toBe('succeeded');
    expect((await publicIpsRepo.listPublicIpsOfVpc(w.db.db, a.vpc.id)).map((p) => p.address)).toEqual([
      '203.0.113.2',
    ]);

    const b = await vpcWith(world.offerings.snat);
    expect((await implement(b.tierIds[0] as string)).state).toBe('succeeded');
    expect((await publicIpsRepo.sourceNatOf(w.db.db, b.vpc.id))?.address).toBe('203.0.113.3');

    const c = await vpcWith(world.offerings.snat);
    const cTier = c.tierIds[0] as string;
    const failed = await implement(cTier);
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'CAPACITY_EXHAUSTED' } });
    expect(await engine.listCalls({ jobId: failed.id })).toEqual([]); // nothing reached a controller
    expect((await engine.getTier(cTier))?.state).toBe('Error');
    const [diagnosis] = await diagnosesRepo.listOpenForTarget(w.db.db, 'network', cTier);
    expect(diagnosis).toMatchObject({ category: 'CAPACITY_EXHAUSTED', title: 'Capacity exhausted' });
    expect(diagnosis?.sentence).toContain('203.0.113.0/29 (2/2 used)');
    expect(diagnosis?.sentence).toContain('in zone');
    expect(diagnosis?.actions).toEqual(['retry']);
    expect(diagnosis?.evidence).toMatchObject({
      capacity: { resource: 'publicIp', zone: { id: w.zoneId }, ranges: [{ id: rangeId, used: 2, size: 2 }] },
    });

    // Destroying A frees its address (audited); C's retry gets it.
    expect((await waitForJob(engine, (await engine.destroyVpc(a.vpc.id, 't')).jobId)).state).toBe(
      'succeeded',
    );
    expect(await publicIpsRepo.listPublicIpsOfVpc(w.db.db, a.vpc.id)).toEqual([]);
    const released = await w.db.db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('action', 'like', 'publicIps.%')
      .execute();
    expect(released).toContainEqual({ action: 'publicIps.release', target_id: snatA?.id });
    expect(released.filter((r) => r.action === 'publicIps.acquire')).toHaveLength(2);
    const retried = await waitForJob(engine, (await engine.retry({ targetId: cTier }, 't')).jobId);
    expect(retried.state).toBe('succeeded');
    expect((await publicIpsRepo.sourceNatOf(w.db.db, c.vpc.id))?.address).toBe('203.0.113.2');
  });

  it('gives six VPCs implemented at once six distinct addresses', async () => {
    const { w } = world;
    // The /29 above is full: these come from a second range, .1 its gateway, .2-.14 usable.
    await addRange(
      { id: randomUUID(), cidr: '198.51.100.0/28', gateway: '198.51.100.1', vlan: 77 },
      '198.51.100.2',
      '198.51.100.14',
    );
    const vpcs = await Promise.all(Array.from({ length: 6 }, () => vpcWith(world.offerings.snat)));
    const jobs = await Promise.all(vpcs.map((v) => implement(v.tierIds[0] as string)));
    expect(jobs.map((j) => j.state)).toEqual(Array(6).fill('succeeded'));
    const addresses = await Promise.all(
      vpcs.map(async (v) => (await publicIpsRepo.sourceNatOf(w.db.db, v.vpc.id))?.address),
    );
    expect(new Set(addresses).size).toBe(6);
    for (const a of addresses) expect(a).toMatch(/^198\.51\.100\.(\d+)$/);
  });

  it('acquires the VPC address for an offering with StaticNat or Lb but no SourceNat: its gateway address', async () => {
    const { w, engine } = world;
    const offering = await w.addOffering({
      kind: 'network',
      services: { Connectivity: 'simulator', StaticNat: 'simulator', Lb: 'simulator' },
    });
    const v = await vpcWith(offering);
    const job = await implement(v.tierIds[0] as string);
    expect(job.state).toBe('succeeded');
    const address = (await publicIpsRepo.sourceNatOf(w.db.db, v.vpc.id))?.address;
    expect(address).toMatch(/^198\.51\.100\.(\d+)$/);
    const calls = await engine.listCalls({ jobId: job.id });
    const sent = calls.find((c) => (c.request as { op?: string }).op === 'implementNetwork')?.request as
      | { network?: { sourceNatIp?: string; publicNetwork?: unknown } }
      | undefined;
    expect(sent?.network).toMatchObject({
      sourceNatIp: address,
      publicNetwork: { cidr: '198.51.100.0/28', gateway: '198.51.100.1', vlan: 77 },
    });
  });
});
