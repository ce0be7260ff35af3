// staticNat.*, lbRules.* and publicServices.options through createCaller on both dialects, with the real engine and
// the simulator: validation errors (service not offered, algorithm outside the provider's narrowed capabilities,
// public IP inside the VPC or already used, NIC not Reserved), options, audit, and viewers refused.
import { randomUUID } from 'node:crypto';
import { SimulatorHub } from '@netplane/adapter-simulator';
import { testDialects } from '@netplane/db/testing';
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
    const { tier } = await tierWithNics('10.31', natLbOfferingId, 1);
    const options = await t.callerAs('viewer').publicServices.options({ tierId: tier.id });
    expect(options.staticNat).toMatchObject({ providerName: 'sim-edge', adapterId: 'simulator' });
    expect(options.lb).toMatchObject({
      providerName: 'sim-edge',
      algorithms: ['roundrobin'],
      protocols: ['tcp', 'udp'],
    });
    const plain = await tierWithNics('10.32', plainOfferingId, 1);
    expect(await t.callerAs('viewer').publicServices.options({ tierId: plain.tier.id })).toEqual({
      staticNat: null,
      lb: null,
      portForwarding: null,
    });
  });

  it('refuses a service the offering lacks, an unsupported algorithm, a public IP inside the VPC, a NIC not Reserved', async () => {
    const op = t.callerAs('operator');
    const plain = await tierWithNics('10.33', plainOfferingId, 1);
    const nat = await failure(
      op.staticNat.enable({ nicId: plain.nics[0]?.id ?? '', publicIp: '203.0.113.1' }),
    );
    expect(nat).toMatchObject({ code: 'BAD_REQUEST', appCode: 'BAD_INPUT', reason: 'SERVICE_NOT_OFFERED' });
    expect(nat.message).toBe("Tier web's offering plain-tier has no StaticNat service");
    const lbInput = {
      tierId: plain.tier.id,
      name: 'web-80',
      publicIp: '203.0.113.2',
      publicPort: 80,
      privatePort: 8080,
      protocol: 'tcp' as const,
      algorithm: 'roundrobin' as const,
      nicIds: [],
    };
    expect(await failure(op.lbRules.create(lbInput))).toMatchObject({ reason: 'SERVICE_NOT_OFFERED' });

    const edge = await tierWithNics('10.34', natLbOfferingId, 2);
    const algo = await failure(
      op.lbRules.create({ ...lbInput, tierId: edge.tier.id, algorithm: 'leastconn' }),
    );
    expect(algo).toMatchObject({ code: 'BAD_REQUEST', reason: 'CAPABILITY_MISSING' });
    expect(algo.message).toContain('it supports roundrobin');

    const inside = await failure(
      op.staticNat.enable({ nicId: edge.nics[0]?.id ?? '', publicIp: '10.34.9.9' }),
    );
    expect(inside).toMatchObject({ code: 'BAD_REQUEST', reason: 'PUBLIC_IP_IN_VPC' });

    const released = edge.nics[1]?.id ?? '';
    expect((await waitDone(t, (await op.nics.release({ id: released })).jobId, POLLS)).state).toBe(
      'succeeded',
    );
    const notReserved = await failure(op.staticNat.enable({ nicId: released, publicIp: '203.0.113.3' }));
    expect(notReserved).toMatchObject({ code: 'CONFLICT', appCode: 'INVALID_STATE' });
    const member = await failure(op.lbRules.create({ ...lbInput, tierId: edge.tier.id, nicIds: [released] }));
    expect(member).toMatchObject({ code: 'CONFLICT', appCode: 'INVALID_STATE' });

    // Malformed input never reaches the engine.
    await expect(
      op.lbRules.create({ ...lbInput, tierId: edge.tier.id, name: 'Web_80' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const id = edge.nics[0]?.id ?? '';
    await expect(
      op.lbRules.create({ ...lbInput, tierId: edge.tier.id, nicIds: [id, id] }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      op.lbRules.create({ ...lbInput, tierId: edge.tier.id, publicPort: 0 }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('refuses a public IP already used in the zone and a second static NAT on a NIC; viewers may only read', async () => {
    const op = t.callerAs('operator');
    const edge = await tierWithNics('10.35', natLbOfferingId, 2);
    const [a, b] = edge.nics;
    if (!a || !b) throw new Error('nics');
    const first = await op.staticNat.enable({ nicId: a.id, publicIp: '198.51.100.10' });
    expect(first.rule).toMatchObject({
      state: 'Add',
      nicId: a.id,
      privateIp: a.ip,
      vmName: 'vm0',
      networkName: 'web',
    });
    expect(await failure(op.staticNat.enable({ nicId: b.id, publicIp: '198.51.100.10' }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'PUBLIC_IP_IN_USE',
    });
    expect(await failure(op.staticNat.enable({ nicId: a.id, publicIp: '198.51.100.11' }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'NIC_HAS_STATIC_NAT',
    });
    const lb = {
      tierId: edge.tier.id,
      name: 'web-80',
      publicIp: '198.51.100.10',
      publicPort: 80,
      privatePort: 8080,
      protocol: 'tcp' as const,
      algorithm: 'roundrobin' as const,
      nicIds: [b.id],
    };
    expect(await failure(op.lbRules.create(lb))).toMatchObject({
      code: 'CONFLICT',
      reason: 'PUBLIC_IP_IN_USE',
    });
    const created = await op.lbRules.create({ ...lb, publicIp: '198.51.100.20' });
    expect(created.rule).toMatchObject({ state: 'Add', members: [{ nicId: b.id, vmName: 'vm1', ip: b.ip }] });
    expect(
      await failure(op.lbRules.create({ ...lb, name: 'web-80b', publicIp: '198.51.100.20' })),
    ).toMatchObject({ code: 'CONFLICT', reason: 'PUBLIC_IP_IN_USE' });
    // Another port on the same VIP is fine; the same name on the tier is not.
    expect(
      await failure(op.lbRules.create({ ...lb, publicIp: '198.51.100.20', publicPort: 443 })),
    ).toMatchObject({
      code: 'CONFLICT',
      reason: 'NAME_TAKEN',
    });

    const viewer = t.callerAs('viewer');
    await expect(viewer.staticNat.enable({ nicId: b.id, publicIp: '198.51.100.30' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await viewer.staticNat.list({ vpcId: edge.vpc.id })).map((r) => r.publicIp)).toEqual([
      '198.51.100.10',
    ]);
    expect((await viewer.lbRules.list({ vpcId: edge.vpc.id })).map((r) => r.name)).toEqual(['web-80']);
    const audits = await t.db.db.selectFrom('audit_log').select(['action', 'after']).execute();
    const enable = audits.find((x) => x.action === 'staticNat.enable');
    expect(enable?.after).toContain(a.ip); // the private IP is an address, not a secret
    expect(audits.map((x) => x.action)).toEqual(
      expect.arrayContaining(['staticNat.enable', 'lbRule.create']),
    );
    await waitDone(t, first.jobId, POLLS);
    await waitDone(t, created.jobId, POLLS);
  });

  it('runs a static NAT and an LB rule through their lifecycle; a conflict is a diagnosis whose retry goes to the rule', async () => {
    const op = t.callerAs('operator');
    const viewer = t.callerAs('viewer');
    const edge = await tierWithNics('10.36', natLbOfferingId, 3);
    const [a, b, c] = edge.nics;
    if (!a || !b || !c) throw new Error('nics');

    // Someone else holds the public IP on the VPC's router.
    const foreign = { kind: 'publicIp' as const, ip: '198.51.100.40', vpcId: edge.vpc.id, owner: 'legacy' };
    hub.plantForeign(controllerId, foreign);
    const nat = await op.staticNat.enable({ nicId: a.id, publicIp: '198.51.100.40' });
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
      targetName: `198.51.100.40 → ${a.ip}`,
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
      publicIp: '198.51.100.41',
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
