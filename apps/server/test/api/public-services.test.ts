// staticNat.*, lbRules.* and publicServices.options through createCaller on both dialects, with the real engine and
// the simulator: validation errors (service not offered, algorithm outside the provider's narrowed capabilities,
// NIC not Reserved), the acquired address a rule takes (another VPC's, not acquired, the source-NAT address, already
// used; LB rules share one on other ports), releases of a used address refused, options, audit, viewers refused.
import { randomUUID } from 'node:crypto';
import { SimulatorHub } from '@netplane/adapter-simulator';
import { publicIpsRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { ipv4ToInt } from '@netplane/domain';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  insertOffering,
  insertSimulatorProvider,
  insertZone,
} from '../../../../packages/api/test/fixtures/inventory';
import { makeTestDeps, simulatorRegistration, type TestDeps, waitDone } from './fixtures';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
// Jobs here wait up to 30 s (twice the fixture's default): edge services add steps to every tier and NIC job.
const POLLS = 1200;

/** The AppError behind a TRPCError: its code and details (reason...). */
async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    const err = e as {
      code?: string;
      message?: string;
      cause?: { code?: string; details?: { reason?: string } };
    };
    return {
      code: err.code,
      appCode: err.cause?.code,
      reason: err.cause?.details?.reason,
      message: err.message,
    };
  }
  throw new Error('expected the call to fail');
}

describe.each(testDialects())('public services API on %s', (dialect) => {
  let t: TestDeps;
  let zoneId = '';
  let vpcOfferingId = '';
  let natLbOfferingId = '';
  let plainOfferingId = '';
  let hub: SimulatorHub;
  let controllerId = '';
  beforeAll(async () => {
    hub = new SimulatorHub('api-ps-test');
    t = await makeTestDeps(dialect, {
      adapters: [simulatorRegistration(hub)],
      engineOptions: { pollMs: 20, heartbeatMs: 200, leaseMs: 2000 },
    });
    const db = t.db.db;
    const now = Date.now();
    zoneId = await insertZone(db, { name: 'z-ps', now });
    ({ controllerId } = await insertSimulatorProvider(db, t.keyring, {
      zoneId,
      vlan: { start: 400, end: 420 },
      providerName: 'sim-edge',
      enabledServices: ['Connectivity', 'Dhcp', 'SourceNat', 'StaticNat', 'Lb'],
      // The admin narrowed the simulator's Lb algorithms to round robin.
      capabilityOverrides: { Lb: { SupportedLbAlgorithms: ['roundrobin'] } },
      password: 'canary-pw-ps',
      now,
    }));
    const offering = (kind: string, name: string, serviceProviders: Record<string, string>) =>
      insertOffering(db, { name, kind, serviceProviders, now });
    const base = { Connectivity: 'simulator', Dhcp: 'simulator' };
    vpcOfferingId = await offering('vpc', 'vpc-o', base);
    natLbOfferingId = await offering('network', 'edge-tier', {
      ...base,
      SourceNat: 'simulator',
      StaticNat: 'simulator',
      Lb: 'simulator',
    });
    plainOfferingId = await offering('network', 'plain-tier', base);
    // The zone's public IP range: source-NAT addresses at implement and the addresses rules take come from it.
    const pn = await db
      .selectFrom('physical_networks')
      .select('id')
      .where('zone_id', '=', zoneId)
      .executeTakeFirst();
    const [gateway, startIp, endIp] = ['198.51.100.1', '198.51.100.10', '198.51.100.250'];
    await publicIpsRepo.insertRange(
      db,
      {
        id: randomUUID(),
        zoneId,
        physicalNetworkId: pn?.id ?? '',
        cidr: '198.51.100.0/24',
        gateway,
        vlan: null,
        startIp,
        endIp,
        startNum: ipv4ToInt(startIp) ?? 0,
        endNum: ipv4ToInt(endIp) ?? 0,
        gatewayNum: ipv4ToInt(gateway) ?? 0,
      },
      now,
    );
    await t.deps.engine.start();
  });
  afterAll(async () => {
    await t.deps.engine.stop();
    await t.cleanup();
  });

  async function tierWithNics(cidr: string, offeringId: string, count: number) {
    const op = t.callerAs('operator');
    const vpc = await op.vpcs.create({
      name: `v-${randomUUID().slice(0, 6)}`,
      zoneId,
      offeringId: vpcOfferingId,
      cidr: `${cidr}.0.0/16`,
    });
    const tier = await op.tiers.create({ vpcId: vpc.id, name: 'web', offeringId, cidr: `${cidr}.1.0/24` });
    expect((await waitDone(t, (await op.tiers.implement({ id: tier.id })).jobId, POLLS)).state).toBe(
      'succeeded',
    );
    const prepared = await op.nics.prepareBulk({
      tierId: tier.id,
      nics: Array.from({ length: count }, (_, i) => ({ vmName: `vm${i}` })),
    });
    expect((await waitDone(t, prepared.jobId, POLLS)).state).toBe('succeeded');
    return { vpc, tier, nics: prepared.nics };
  }

  it('tells the console which providers give StaticNat and Lb, with the narrowed Lb algorithms', async () => {
    const { tier, vpc } = await tierWithNics('10.31', natLbOfferingId, 1);
    const options = await t.callerAs('viewer').publicServices.options({ tierId: tier.id });
    // The VPC holds its source-NAT address only: not free for static NAT, free for LB rules.
    const [snat] = (await t.callerAs('viewer').publicIps.list({ vpcId: vpc.id })).items;
    expect(options.addresses).toEqual([
      { id: snat?.id, address: snat?.address, purpose: 'SourceNat', usedBy: [] },
    ]);
    expect(options.staticNat).toMatchObject({ providerName: 'sim-edge', adapterId: 'simulator' });
    expect(options.lb).toMatchObject({
      providerName: 'sim-edge',
      algorithms: ['roundrobin'],
      protocols: ['tcp', 'udp'],
    });
    const plain = await tierWithNics('10.32', plainOfferingId, 1);
    expect(await t.callerAs('viewer').publicServices.options({ tierId: plain.tier.id })).toEqual({
      addresses: [],
      staticNat: null,
      lb: null,
    });
  });

  it('refuses a service the offering lacks, an unsupported algorithm, a NIC not Reserved, malformed input', async () => {
    const op = t.callerAs('operator');
    const plain = await tierWithNics('10.33', plainOfferingId, 1);
    const plainIp = await op.publicIps.acquire({ vpcId: plain.vpc.id });
    const nat = await failure(
      op.staticNat.enable({ nicId: plain.nics[0]?.id ?? '', publicIpId: plainIp.id }),
    );
    expect(nat).toMatchObject({ code: 'BAD_REQUEST', appCode: 'BAD_INPUT', reason: 'SERVICE_NOT_OFFERED' });
    expect(nat.message).toBe("Tier web's offering plain-tier has no StaticNat service");
    const lbInput = {
      tierId: plain.tier.id,
      name: 'web-80',
      publicIpId: plainIp.id,
      publicPort: 80,
      privatePort: 8080,
      protocol: 'tcp' as const,
      algorithm: 'roundrobin' as const,
      nicIds: [],
    };
    expect(await failure(op.lbRules.create(lbInput))).toMatchObject({ reason: 'SERVICE_NOT_OFFERED' });

    const edge = await tierWithNics('10.34', natLbOfferingId, 2);
    const edgeIp = await op.publicIps.acquire({ vpcId: edge.vpc.id });
    const edgeLb = { ...lbInput, tierId: edge.tier.id, publicIpId: edgeIp.id };
    const algo = await failure(op.lbRules.create({ ...edgeLb, algorithm: 'leastconn' }));
    expect(algo).toMatchObject({ code: 'BAD_REQUEST', reason: 'CAPABILITY_MISSING' });
    expect(algo.message).toContain('it supports roundrobin');

    const released = edge.nics[1]?.id ?? '';
    expect((await waitDone(t, (await op.nics.release({ id: released })).jobId, POLLS)).state).toBe(
      'succeeded',
    );
    const notReserved = await failure(op.staticNat.enable({ nicId: released, publicIpId: edgeIp.id }));
    expect(notReserved).toMatchObject({ code: 'CONFLICT', appCode: 'INVALID_STATE' });
    const member = await failure(op.lbRules.create({ ...edgeLb, nicIds: [released] }));
    expect(member).toMatchObject({ code: 'CONFLICT', appCode: 'INVALID_STATE' });

    // Malformed input never reaches the engine.
    await expect(op.lbRules.create({ ...edgeLb, name: 'Web_80' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const id = edge.nics[0]?.id ?? '';
    await expect(op.lbRules.create({ ...edgeLb, nicIds: [id, id] })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(op.lbRules.create({ ...edgeLb, publicPort: 0 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    // A free string where the acquired address's id belongs is malformed input too.
    await expect(op.staticNat.enable({ nicId: id, publicIpId: '203.0.113.9' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('takes only an acquired address of the same VPC: refuses another VPC’s, one not acquired, the source-NAT address, a used one', async () => {
    const op = t.callerAs('operator');
    const viewer = t.callerAs('viewer');
    const edge = await tierWithNics('10.35', natLbOfferingId, 3);
    const other = await tierWithNics('10.37', natLbOfferingId, 1);
    const [a, b, c] = edge.nics;
    if (!a || !b || !c) throw new Error('nics');
    const natIp = await op.publicIps.acquire({ vpcId: edge.vpc.id });
    const lbIp = await op.publicIps.acquire({ vpcId: edge.vpc.id });
    const theirs = await op.publicIps.acquire({ vpcId: other.vpc.id });
    const snat = (await viewer.publicIps.list({ vpcId: edge.vpc.id })).items.find(
      (i) => i.purpose === 'SourceNat',
    );
    if (!snat) throw new Error('the tier implement acquired no source-NAT address');
    const lb = {
      tierId: edge.tier.id,
      name: 'web-80',
      publicIpId: lbIp.id,
      publicPort: 80,
      privatePort: 8080,
      protocol: 'tcp' as const,
      algorithm: 'roundrobin' as const,
      nicIds: [b.id],
    };

    const otherVpc = await failure(op.staticNat.enable({ nicId: a.id, publicIpId: theirs.id }));
    expect(otherVpc).toMatchObject({ code: 'BAD_REQUEST', reason: 'PUBLIC_IP_OTHER_VPC' });
    expect(otherVpc.message).toBe(
      `Public IP ${theirs.address} is acquired by another VPC, not by VPC ${edge.vpc.name}`,
    );
    expect(await failure(op.lbRules.create({ ...lb, publicIpId: theirs.id }))).toMatchObject({
      reason: 'PUBLIC_IP_OTHER_VPC',
    });
    const notAcquired = await failure(op.staticNat.enable({ nicId: a.id, publicIpId: randomUUID() }));
    expect(notAcquired).toMatchObject({ code: 'NOT_FOUND', reason: 'PUBLIC_IP_NOT_ACQUIRED' });
    expect(notAcquired.message).toContain('acquire an address');
    expect(await failure(op.lbRules.create({ ...lb, publicIpId: randomUUID() }))).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'PUBLIC_IP_NOT_ACQUIRED',
    });
    const onSnat = await failure(op.staticNat.enable({ nicId: a.id, publicIpId: snat.id }));
    expect(onSnat).toMatchObject({ code: 'BAD_REQUEST', reason: 'PUBLIC_IP_SOURCE_NAT' });
    expect(onSnat.message).toContain(`${snat.address} is the source-NAT address of VPC ${edge.vpc.name}`);

    const first = await op.staticNat.enable({ nicId: a.id, publicIpId: natIp.id });
    expect(first.rule).toMatchObject({
      state: 'Add',
      nicId: a.id,
      publicIp: natIp.address,
      publicIpId: natIp.id,
      privateIp: a.ip,
      vmName: 'vm0',
      networkName: 'web',
    });
    const twice = await failure(op.staticNat.enable({ nicId: b.id, publicIpId: natIp.id }));
    expect(twice).toMatchObject({ code: 'CONFLICT', reason: 'PUBLIC_IP_IN_USE' });
    expect(twice.message).toBe(
      `Public IP ${natIp.address} is already used by static NAT ${natIp.address} → ${a.ip}`,
    );
    expect(await failure(op.staticNat.enable({ nicId: a.id, publicIpId: lbIp.id }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'NIC_HAS_STATIC_NAT',
    });
    // An LB rule never shares a static NAT's address.
    expect(await failure(op.lbRules.create({ ...lb, publicIpId: natIp.id }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'PUBLIC_IP_IN_USE',
    });

    const created = await op.lbRules.create(lb);
    expect(created.rule).toMatchObject({
      state: 'Add',
      publicIp: lbIp.address,
      publicIpId: lbIp.id,
      members: [{ nicId: b.id, vmName: 'vm1', ip: b.ip }],
    });
    const samePort = await failure(op.lbRules.create({ ...lb, name: 'web-80b' }));
    expect(samePort).toMatchObject({ code: 'CONFLICT', reason: 'PUBLIC_IP_IN_USE' });
    expect(samePort.message).toContain(`${lbIp.address}:80/tcp is already used by LB rule web-80`);
    // Another port on the same address is another VIP; the same name on the tier is not allowed.
    expect(await failure(op.lbRules.create({ ...lb, publicPort: 443 }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'NAME_TAKEN',
    });
    const shared = await op.lbRules.create({ ...lb, name: 'web-443', publicPort: 443, privatePort: 8443 });
    expect(shared.rule).toMatchObject({ publicIpId: lbIp.id, publicPort: 443 });
    // A static NAT never takes an LB rule's address.
    expect(await failure(op.staticNat.enable({ nicId: c.id, publicIpId: lbIp.id }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'PUBLIC_IP_IN_USE',
    });

    // The console's options: every address of the VPC with the rules on it.
    const { addresses } = await viewer.publicServices.options({ tierId: edge.tier.id });
    expect(addresses.map((x) => x.id).sort()).toEqual([natIp.id, lbIp.id, snat.id].sort());
    expect(addresses.find((x) => x.id === natIp.id)?.usedBy).toEqual([
      {
        kind: 'staticNat',
        id: first.rule.id,
        label: `static NAT ${natIp.address} → ${a.ip}`,
        port: null,
        protocol: null,
      },
    ]);
    expect(addresses.find((x) => x.id === lbIp.id)?.usedBy.map((u) => [u.kind, u.port, u.protocol])).toEqual([
      ['lbRule', 80, 'tcp'],
      ['lbRule', 443, 'tcp'],
    ]);
    expect(addresses.find((x) => x.id === snat.id)).toMatchObject({ purpose: 'SourceNat', usedBy: [] });

    // Releasing an address a rule uses is refused, naming the rule(s).
    const releaseNat = await failure(op.publicIps.release({ id: natIp.id }));
    expect(releaseNat).toMatchObject({ code: 'CONFLICT', appCode: 'IN_USE' });
    expect(releaseNat.message).toBe(
      `${natIp.address} is used by static NAT ${natIp.address} → ${a.ip}; remove it first`,
    );
    const releaseLb = await failure(op.publicIps.release({ id: lbIp.id }));
    expect(releaseLb.message).toContain(
      `LB rule web-80 (${lbIp.address}:80/tcp), LB rule web-443 (${lbIp.address}:443/tcp)`,
    );

    await expect(viewer.staticNat.enable({ nicId: b.id, publicIpId: natIp.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await viewer.staticNat.list({ vpcId: edge.vpc.id })).map((r) => r.publicIp)).toEqual([
      natIp.address,
    ]);
    expect((await viewer.lbRules.list({ vpcId: edge.vpc.id })).map((r) => r.name).sort()).toEqual([
      'web-443',
      'web-80',
    ]);
    const audits = await t.db.db.selectFrom('audit_log').select(['action', 'after']).execute();
    const enable = audits.find((x) => x.action === 'staticNat.enable');
    expect(enable?.after).toContain(a.ip); // the private IP is an address, not a secret
    expect(audits.map((x) => x.action)).toEqual(
      expect.arrayContaining(['staticNat.enable', 'lbRule.create']),
    );

    // Once its static NAT is gone, the address is released.
    expect((await waitDone(t, first.jobId, POLLS)).state).toBe('succeeded');
    expect((await waitDone(t, (await op.staticNat.disable({ id: first.rule.id })).jobId, POLLS)).state).toBe(
      'succeeded',
    );
    expect(await op.publicIps.release({ id: natIp.id })).toEqual({ ok: true });
    await waitDone(t, created.jobId, POLLS);
    await waitDone(t, shared.jobId, POLLS);
  });

  it('decides a static NAT and an LB rule racing for one address one after the other: exactly one takes it', async () => {
    const op = t.callerAs('operator');
    const edge = await tierWithNics('10.38', natLbOfferingId, 6);
    const member = edge.nics[5];
    if (!member) throw new Error('nics');
    const jobs: string[] = [];
    for (let round = 0; round < 5; round++) {
      const ip = await op.publicIps.acquire({ vpcId: edge.vpc.id });
      const results = await Promise.allSettled([
        op.staticNat.enable({ nicId: edge.nics[round]?.id ?? '', publicIpId: ip.id }),
        op.lbRules.create({
          ...{
            tierId: edge.tier.id,
            name: `race-${round}`,
            publicIpId: ip.id,
            publicPort: 80,
            privatePort: 80,
          },
          ...{ protocol: 'tcp' as const, algorithm: 'roundrobin' as const, nicIds: [member.id] },
        }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won, `round ${round}`).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected');
      expect(await failure(Promise.reject(lost?.reason))).toMatchObject({
        code: 'CONFLICT',
        reason: 'PUBLIC_IP_IN_USE',
      });
      const { rules } = {
        rules: (await t.callerAs('viewer').publicServices.options({ tierId: edge.tier.id })).addresses.find(
          (x) => x.id === ip.id,
        )?.usedBy,
      };
      expect(rules).toHaveLength(1);
      const first = won[0];
      if (first?.status === 'fulfilled') jobs.push(first.value.jobId);
    }
    for (const jobId of jobs) await waitDone(t, jobId, POLLS);
  });

  it('runs a static NAT and an LB rule through their lifecycle; a conflict is a diagnosis whose retry goes to the rule', async () => {
    const op = t.callerAs('operator');
    const viewer = t.callerAs('viewer');
    const edge = await tierWithNics('10.36', natLbOfferingId, 3);
    const [a, b, c] = edge.nics;
    if (!a || !b || !c) throw new Error('nics');

    // Someone else holds the acquired public IP on the VPC's router.
    const natIp = await op.publicIps.acquire({ vpcId: edge.vpc.id });
    const foreign = { kind: 'publicIp' as const, ip: natIp.address, vpcId: edge.vpc.id, owner: 'legacy' };
    hub.plantForeign(controllerId, foreign);
    const nat = await op.staticNat.enable({ nicId: a.id, publicIpId: natIp.id });
    expect((await waitDone(t, nat.jobId, POLLS)).state).toBe('failed');
    const [failed] = await viewer.staticNat.list({ vpcId: edge.vpc.id });
    expect(failed).toMatchObject({ state: 'Error', jobId: nat.jobId });
    expect(failed?.lastError).toMatch(/^RESOURCE_CONFLICT: /);
    const diagnosis = (await viewer.diagnostics.list({ vpcId: edge.vpc.id })).items.find(
      (d) => d.targetId === nat.rule.id,
    );
    expect(diagnosis).toMatchObject({
      targetType: 'staticNat',
      category: 'RESOURCE_CONFLICT',
      targetName: `${natIp.address} → ${a.ip}`,
    });
    expect((await viewer.calls.byJob({ jobId: nat.jobId })).items.map((x) => [x.phase, x.outcome])).toEqual([
      ['apply', 'failed'],
    ]);
    hub.removeForeign(controllerId, foreign);
    const retried = await t.callerAs('support').diagnostics.retry({ diagnosisId: diagnosis?.id ?? '' });
    expect(retried).toMatchObject({ targetType: 'staticNat', targetId: nat.rule.id });
    expect((await waitDone(t, retried.jobId, POLLS)).state).toBe('succeeded');
    expect((await viewer.staticNat.list({ vpcId: edge.vpc.id }))[0]).toMatchObject({
      state: 'Active',
      lastError: null,
    });
    expect(
      (await viewer.diagnostics.list({ vpcId: edge.vpc.id })).items.map((d) => d.targetId),
    ).not.toContain(nat.rule.id);

    const lb = await op.lbRules.create({
      tierId: edge.tier.id,
      name: 'web-80',
      publicIpId: (await op.publicIps.acquire({ vpcId: edge.vpc.id })).id,
      publicPort: 80,
      privatePort: 8080,
      protocol: 'tcp',
      algorithm: 'roundrobin',
      nicIds: [a.id, b.id],
    });
    expect((await waitDone(t, lb.jobId, POLLS)).state).toBe('succeeded');
    const moved = await op.lbRules.setMembers({ id: lb.rule.id, nicIds: [c.id] });
    expect((await waitDone(t, moved.jobId, POLLS)).state).toBe('succeeded');
    expect((await viewer.lbRules.list({ vpcId: edge.vpc.id }))[0]).toMatchObject({
      state: 'Active',
      members: [{ nicId: c.id, vmName: 'vm2', ip: c.ip }],
    });

    const bundle = await t.callerAs('support').support.bundle({ vpcId: edge.vpc.id });
    expect(bundle.staticNatRules).toEqual([expect.objectContaining({ id: nat.rule.id, private_ip: a.ip })]);
    expect(bundle.lbRules).toEqual([expect.objectContaining({ id: lb.rule.id, name: 'web-80' })]);
    expect(bundle.lbMembers).toEqual([expect.objectContaining({ rule_id: lb.rule.id, nic_id: c.id })]);
    expect(JSON.stringify(bundle)).not.toContain('canary-pw-ps');

    expect((await waitDone(t, (await op.lbRules.delete({ id: lb.rule.id })).jobId, POLLS)).state).toBe(
      'succeeded',
    );
    expect((await waitDone(t, (await op.staticNat.disable({ id: nat.rule.id })).jobId, POLLS)).state).toBe(
      'succeeded',
    );
    expect(await viewer.lbRules.list({ vpcId: edge.vpc.id })).toEqual([]);
    expect(await viewer.staticNat.list({ vpcId: edge.vpc.id })).toEqual([]);
    const actions = (await t.db.db.selectFrom('audit_log').select('action').execute()).map((x) => x.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'lbRule.setMembers',
        'lbRule.delete',
        'staticNat.disable',
        'diagnostics.retry',
      ]),
    );
  });
});
