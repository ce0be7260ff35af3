// Static NAT and LB rules on the simulated routers: conflicts on public IPs and VIPs (ours and foreign), faults on
// the apply/revoke operations, stats, teardown with the tier or VPC, and drift planted behind the engine's back.
import { randomUUID } from 'node:crypto';
import type { LbRuleSpec, NetworkElement, NetworkSpec, NicSpec, StaticNatSpec } from '@netplane/adapter-sdk';
import { describe, expect, it } from 'vitest';
import { networkSpec, nicSpec, vpcSpec } from './fixtures';
import { ctx, inProcess } from './helpers';

const nat = (nic: NicSpec, publicIp: string, ruleId = randomUUID()): StaticNatSpec => ({
  ruleId,
  vpcId: nic.vpcId,
  networkId: nic.networkId,
  nicId: nic.nicId,
  publicIp,
  privateIp: nic.ip,
});

const lb = (
  net: NetworkSpec,
  publicIp: string,
  members: NicSpec[],
  over: Partial<LbRuleSpec> = {},
): LbRuleSpec => ({
  ruleId: randomUUID(),
  vpcId: net.vpcId,
  networkId: net.networkId,
  name: 'web',
  publicIp,
  publicPort: 80,
  privatePort: 8080,
  protocol: 'tcp',
  algorithm: 'leastconn',
  members: members.map((m) => ({ nicId: m.nicId, ip: m.ip })),
  ...over,
});

/** The element's optional calls, which the simulator always has (its manifest offers StaticNat and Lb). */
function calls(el: NetworkElement) {
  const { applyStaticNat, revokeStaticNat, applyLbRule, revokeLbRule } = el;
  if (!applyStaticNat || !revokeStaticNat || !applyLbRule || !revokeLbRule) throw new Error('calls missing');
  return { applyStaticNat, revokeStaticNat, applyLbRule, revokeLbRule };
}

async function world(vlan = 120) {
  const sim = inProcess();
  const vpc = vpcSpec();
  const net = networkSpec(vpc, vlan);
  await sim.element.implementVpc(vpc, ctx());
  await sim.element.implementNetwork(net, ctx());
  const nics = [nicSpec(net, 1), nicSpec(net, 2), nicSpec(net, 3)];
  await sim.element.prepareNics(nics, ctx());
  const rules = async (kind: 'nat' | 'lb') =>
    (await sim.element.observe({ vpcId: vpc.vpcId }, ctx())).resources.filter((r) => r.kind === kind);
  return { ...sim, vpc, net, nics, rules, c: calls(sim.element) };
}

describe('simulated static NAT and LB rules', () => {
  it('observes a static NAT and an LB rule with the contract attributes', async () => {
    const { c, net, nics, rules } = await world();
    const [a, b] = nics as [NicSpec, NicSpec];
    const n = nat(a, '203.0.113.10');
    const l = lb(net, '203.0.113.11', [b, a]);
    await c.applyStaticNat(n, ctx());
    await c.applyLbRule(l, ctx());
    expect(await rules('nat')).toEqual([
      {
        kind: 'nat',
        id: n.ruleId,
        name: `np-nat-${n.ruleId}`,
        attributes: {
          type: 'dnat_and_snat',
          externalIp: '203.0.113.10',
          logicalIp: a.ip,
          logicalPort: a.nicId,
          networkId: net.networkId,
        },
      },
    ]);
    expect((await rules('lb'))[0]?.attributes).toEqual({
      vip: '203.0.113.11:80',
      protocol: 'tcp',
      members: [`${a.ip}:8080`, `${b.ip}:8080`].sort().join(','),
      algorithm: 'leastconn',
      name: 'web',
      networkId: net.networkId,
    });
  });

  it('refuses a static NAT on an IP one of our LB rules uses, and an LB VIP on an IP we NAT, but not another port', async () => {
    const { c, net, nics, rules } = await world();
    const [a, b] = nics as [NicSpec, NicSpec];
    const l = lb(net, '203.0.113.20', [a]);
    await c.applyLbRule(l, ctx());
    await expect(c.applyStaticNat(nat(b, '203.0.113.20'), ctx())).rejects.toMatchObject({
      category: 'RESOURCE_CONFLICT',
      conflict: { resource: 'publicIp', name: 'Public IP 203.0.113.20', owner: 'netplane' },
    });
    await c.applyStaticNat(nat(b, '203.0.113.21'), ctx());
    await expect(c.applyLbRule(lb(net, '203.0.113.21', [a]), ctx())).rejects.toMatchObject({
      category: 'RESOURCE_CONFLICT',
    });
    await expect(c.applyLbRule(lb(net, '203.0.113.20', [a]), ctx())).rejects.toMatchObject({
      category: 'RESOURCE_CONFLICT',
      message: `VIP 203.0.113.20:80/tcp is already used by load balancer ${l.ruleId}`,
    });
    await c.applyLbRule(lb(net, '203.0.113.20', [a], { publicPort: 443 }), ctx());
    expect(await rules('lb')).toHaveLength(2);
    expect(await rules('nat')).toHaveLength(1);
  });

  it('keeps public IPs per VPC router: another VPC may NAT the same address', async () => {
    const one = await world(200);
    const vpc = vpcSpec();
    const net = networkSpec(vpc, 201);
    await one.element.implementNetwork(net, ctx());
    const nic = nicSpec(net, 1);
    await one.element.prepareNic(nic, ctx());
    await one.c.applyStaticNat(nat(one.nics[0] as NicSpec, '203.0.113.30'), ctx());
    await expect(one.c.applyStaticNat(nat(nic, '203.0.113.30'), ctx())).resolves.toEqual({ adopted: false });
  });

  it('converges a static NAT re-applied with another private IP, adopting it', async () => {
    const { c, nics, rules } = await world();
    const [a, b] = nics as [NicSpec, NicSpec];
    const n = nat(a, '203.0.113.40');
    await c.applyStaticNat(n, ctx());
    expect(await c.applyStaticNat({ ...n, nicId: b.nicId, privateIp: b.ip }, ctx())).toEqual({
      adopted: true,
    });
    expect((await rules('nat')).map((r) => r.attributes.logicalIp)).toEqual([b.ip]);
  });

  it('refuses a rule on a tier it does not have, or a malformed address or port', async () => {
    const { c, net, nics } = await world();
    const other = networkSpec(vpcSpec(), 300);
    await expect(c.applyStaticNat(nat(nicSpec(other, 1), '203.0.113.50'), ctx())).rejects.toMatchObject({
      category: 'INVALID_REQUEST',
      vendorCode: 'NO_SUCH_SWITCH',
    });
    await expect(c.applyStaticNat(nat(nics[0] as NicSpec, '203.0.113.300'), ctx())).rejects.toMatchObject({
      category: 'INVALID_REQUEST',
    });
    await expect(c.applyLbRule(lb(net, '203.0.113.51', [], { publicPort: 0 }), ctx())).rejects.toMatchObject({
      category: 'INVALID_REQUEST',
    });
  });

  it('meets a planted foreign public IP or VIP with RESOURCE_CONFLICT naming the owner, until it is removed', async () => {
    const { hub, controllerId, c, vpc, net, nics, rules } = await world();
    hub.plantForeign(controllerId, { kind: 'publicIp', ip: '203.0.113.60', owner: 'edge-team' });
    hub.plantForeign(controllerId, {
      kind: 'publicIp',
      ip: '203.0.113.61',
      vip: { port: 80, protocol: 'tcp' },
      vpcId: vpc.vpcId,
      owner: 'lb-team',
    });
    const n = nat(nics[0] as NicSpec, '203.0.113.60');
    await expect(c.applyStaticNat(n, ctx())).rejects.toMatchObject({
      category: 'RESOURCE_CONFLICT',
      retryable: false,
      message: 'Public IP 203.0.113.60 is already used by a NAT of edge-team',
      conflict: { owner: 'edge-team' },
    });
    await expect(
      c.applyLbRule(lb(net, '203.0.113.60', nics, { publicPort: 25 }), ctx()),
    ).rejects.toMatchObject({
      conflict: { owner: 'edge-team' },
    });
    await expect(c.applyLbRule(lb(net, '203.0.113.61', nics), ctx())).rejects.toMatchObject({
      conflict: { owner: 'lb-team' },
    });
    // Their VIP holds port 80/tcp only; the address itself is not NATed by them.
    await c.applyLbRule(lb(net, '203.0.113.61', nics, { protocol: 'udp' }), ctx());
    expect((await hub.getState(controllerId))?.counts).toMatchObject({
      foreign: 2,
      staticNats: 0,
      portForwards: 0,
      lbRules: 1,
    });
    await hub.clearFaults(controllerId);
    expect((await hub.getState(controllerId))?.counts.foreign).toBe(2);
    hub.removeForeign(controllerId, { kind: 'publicIp', ip: '203.0.113.60' });
    await expect(c.applyStaticNat(n, ctx())).resolves.toEqual({ adopted: false });
    expect((await rules('nat')).map((r) => r.id)).toEqual([n.ruleId]);
  });

  it('injects faults on apply and revoke (scoped to nat or lb) and counts the calls', async () => {
    const { hub, controllerId, c, net, nics } = await world();
    await hub.resetStats(controllerId);
    await hub.injectFault(controllerId, { kind: 'timeout', operation: 'apply', resource: 'lb', count: 1 });
    await hub.injectFault(controllerId, {
      kind: 'authFailure',
      operation: 'revoke',
      resource: 'nat',
      count: 1,
    });
    await hub.injectFault(controllerId, {
      kind: 'rateLimited',
      operation: 'revoke',
      resource: 'lb',
      count: 1,
    });
    const l = lb(net, '203.0.113.70', nics);
    await expect(c.applyLbRule(l, ctx(AbortSignal.timeout(50)))).rejects.toMatchObject({
      category: 'TIMEOUT',
    });
    const n = nat(nics[0] as NicSpec, '203.0.113.71');
    await expect(c.applyStaticNat(n, ctx())).resolves.toEqual({ adopted: false });
    await expect(c.revokeStaticNat(n, ctx())).rejects.toMatchObject({ category: 'AUTH_FAILED' });
    await expect(c.revokeLbRule(l, ctx())).rejects.toMatchObject({
      category: 'RATE_LIMITED',
      retryAfterMs: 1_000,
    });
    await c.revokeStaticNat(n, ctx());
    const stats = hub.stats(controllerId);
    expect(stats.calls).toMatchObject({ apply: 2, revoke: 3 });
    expect(stats.errors).toMatchObject({ TIMEOUT: 1, AUTH_FAILED: 1, RATE_LIMITED: 1 });
    expect(hub.calls(controllerId).map((r) => [r.op, r.outcome])).toEqual([
      ['applyLbRule', 'TIMEOUT'],
      ['applyStaticNat', 'ok'],
      ['revokeStaticNat', 'AUTH_FAILED'],
      ['revokeLbRule', 'RATE_LIMITED'],
      ['revokeStaticNat', 'ok'],
    ]);
  });

  it('plants a foreign NAT or VIP for a foreignOwner fault on apply, and the answer is lost after a late commit', async () => {
    const { hub, controllerId, c, net, nics, rules } = await world();
    await hub.injectFault(controllerId, {
      kind: 'foreignOwner',
      operation: 'apply',
      owner: 'legacy-nat',
      count: 1,
    });
    const n = nat(nics[0] as NicSpec, '203.0.113.80');
    await expect(c.applyStaticNat(n, ctx())).rejects.toMatchObject({
      category: 'RESOURCE_CONFLICT',
      conflict: { owner: 'legacy-nat' },
    });
    expect(await rules('nat')).toEqual([]);
    await hub.clearFaults(controllerId);
    await expect(c.applyStaticNat(n, ctx())).resolves.toEqual({ adopted: false });

    await hub.injectFault(controllerId, {
      kind: 'connectionReset',
      operation: 'apply',
      resource: 'lb',
      afterCommit: true,
      count: 1,
    });
    const l = lb(net, '203.0.113.81', nics);
    await expect(c.applyLbRule(l, ctx())).rejects.toMatchObject({ category: 'UNREACHABLE' });
    expect((await rules('lb')).map((r) => r.id)).toEqual([l.ruleId]);
    await expect(c.applyLbRule(l, ctx())).resolves.toEqual({ adopted: true });
  });

  it('drops the rules of a tier with its switch, and of a VPC with its router', async () => {
    const { hub, controllerId, element, c, vpc, net, nics, rules } = await world();
    const net2 = networkSpec(vpc, 121);
    await element.implementNetwork(net2, ctx());
    const far = nicSpec(net2, 9);
    await element.prepareNic(far, ctx());
    await c.applyStaticNat(nat(nics[0] as NicSpec, '203.0.113.90'), ctx());
    await c.applyLbRule(lb(net, '203.0.113.91', nics), ctx());
    const kept = nat(far, '203.0.113.92');
    await c.applyStaticNat(kept, ctx());
    await element.shutdownNetwork(net, ctx());
    expect((await rules('nat')).map((r) => r.id)).toEqual([kept.ruleId]);
    expect(await rules('lb')).toEqual([]);
    await element.destroyVpc(vpc, ctx());
    expect((await hub.getState(controllerId))?.counts).toMatchObject({
      staticNats: 0,
      portForwards: 0,
      lbRules: 0,
      networks: 0,
    });
  });

  it('shows rules deleted, altered or broken behind the engine back, and a re-apply repairs them', async () => {
    const { hub, controllerId, element, c, net, nics, rules } = await world();
    const n = nat(nics[0] as NicSpec, '203.0.113.100');
    const l = lb(net, '203.0.113.101', nics.slice(0, 2));
    await c.applyStaticNat(n, ctx());
    await c.applyLbRule(l, ctx());
    hub.tamper(controllerId, { action: 'delete', kind: 'nat', id: n.ruleId });
    hub.tamper(controllerId, {
      action: 'alter',
      kind: 'lb',
      id: l.ruleId,
      attributes: { members: '10.9.9.9:1' },
    });
    hub.tamper(controllerId, { action: 'issue', kind: 'lb', id: l.ruleId, issue: 'health check removed' });
    hub.tamper(controllerId, {
      action: 'issue',
      kind: 'network',
      id: net.networkId,
      issue: 'ACL of the tier deleted',
    });
    expect(await rules('nat')).toEqual([]);
    const [broken] = await rules('lb');
    expect(broken).toMatchObject({ attributes: { members: '10.9.9.9:1' }, issues: ['health check removed'] });
    const tier = (await element.observe({ networkIds: [net.networkId] }, ctx())).resources.find(
      (r) => r.kind === 'network',
    );
    expect(tier?.issues).toEqual(['ACL of the tier deleted']);
    expect(() => hub.tamper(controllerId, { action: 'delete', kind: 'nat', id: n.ruleId })).toThrow(
      /No nat rule/,
    );

    expect(await c.applyStaticNat(n, ctx())).toEqual({ adopted: false });
    expect(await c.applyLbRule(l, ctx())).toEqual({ adopted: true });
    await element.implementNetwork(net, ctx());
    const after = (await element.observe({ networkIds: [net.networkId] }, ctx())).resources;
    expect(after.filter((r) => r.issues !== undefined)).toEqual([]);
    expect(after.find((r) => r.kind === 'lb')?.attributes.members).toBe(
      nics
        .slice(0, 2)
        .map((m) => `${m.ip}:8080`)
        .sort()
        .join(','),
    );
  });
});
