// staticNat.*, lbRules.* and publicServices.options through createCaller on both dialects, with the real engine and
// the simulator: validation errors (service not offered, algorithm outside the provider's narrowed capabilities,
// NIC not Reserved), options, the rule lifecycle with a conflict diagnosis, audit. The acquired addresses rules take
// are rule-addresses.test.ts.
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type EdgeApi,
  failure,
  STALL_MS,
  startEdgeApi,
  stopEdgeApi,
  tierWithNics as tierWithNicsOf,
} from './edge-fixture';
import { type TestDeps, waitDone } from './fixtures';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

describe.each(testDialects())('public services API on %s', (dialect) => {
  let e: EdgeApi | undefined;
  let t: TestDeps;
  let hub: EdgeApi['hub'];
  let controllerId = '';
  let natLbOfferingId = '';
  let plainOfferingId = '';
  beforeAll(async () => {
    e = await startEdgeApi(dialect, 'api-ps-test');
    ({ t, hub, controllerId, natLbOfferingId, plainOfferingId } = e);
  });
  afterAll(async () => stopEdgeApi(e));
  const tierWithNics = (cidr: string, offeringId: string, count: number) => {
    if (!e) throw new Error('not started');
    return tierWithNicsOf(e, cidr, offeringId, count);
  };

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
      portForwarding: null,
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
    expect((await waitDone(t, (await op.nics.release({ id: released })).jobId, STALL_MS)).state).toBe(
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
    expect((await waitDone(t, nat.jobId, STALL_MS)).state).toBe('failed');
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
    expect((await waitDone(t, retried.jobId, STALL_MS)).state).toBe('succeeded');
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
    expect((await waitDone(t, lb.jobId, STALL_MS)).state).toBe('succeeded');
    const moved = await op.lbRules.setMembers({ id: lb.rule.id, nicIds: [c.id] });
    expect((await waitDone(t, moved.jobId, STALL_MS)).state).toBe('succeeded');
    expect((await viewer.lbRules.list({ vpcId: edge.vpc.id }))[0]).toMatchObject({
      state: 'Active',
      members: [{ nicId: c.id, vmName: 'vm2', ip: c.ip }],
    });

    const bundle = await t.callerAs('support').support.bundle({ vpcId: edge.vpc.id });
    expect(bundle.staticNatRules).toEqual([expect.objectContaining({ id: nat.rule.id, private_ip: a.ip })]);
    expect(bundle.lbRules).toEqual([expect.objectContaining({ id: lb.rule.id, name: 'web-80' })]);
    expect(bundle.lbMembers).toEqual([expect.objectContaining({ rule_id: lb.rule.id, nic_id: c.id })]);
    expect(JSON.stringify(bundle)).not.toContain('canary-pw-ps');

    expect((await waitDone(t, (await op.lbRules.delete({ id: lb.rule.id })).jobId, STALL_MS)).state).toBe(
      'succeeded',
    );
    expect((await waitDone(t, (await op.staticNat.disable({ id: nat.rule.id })).jobId, STALL_MS)).state).toBe(
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
