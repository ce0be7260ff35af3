// Port forwards on the simulated routers: the contract attributes, ranges against static NAT, LB VIPs and each other,
// faults scoped to resource pf (a foreignOwner fault plants a foreign VIP on the range's first port), tampering, and
// the rules going with their tier.
import { randomUUID } from 'node:crypto';
import type { NetworkElement, NicSpec, PortForwardingSpec } from '@netplane/adapter-sdk';
import { describe, expect, it } from 'vitest';
import { networkSpec, nicSpec, vpcSpec } from './fixtures';
import { ctx, inProcess } from './helpers';

const pf = (nic: NicSpec, publicIp: string, over: Partial<PortForwardingSpec> = {}): PortForwardingSpec => ({
  version: 1,
  ruleId: randomUUID(),
  vpcId: nic.vpcId,
  networkId: nic.networkId,
  nicId: nic.nicId,
  publicIp,
  privateIp: nic.ip,
  protocol: 'tcp',
  publicPortStart: 2222,
  publicPortEnd: 2224,
  privatePortStart: 22,
  privatePortEnd: 24,
  ...over,
});

function calls(el: NetworkElement) {
  const { applyPortForwarding, revokePortForwarding, applyStaticNat, applyLbRule } = el;
  if (!applyPortForwarding || !revokePortForwarding || !applyStaticNat || !applyLbRule)
    throw new Error('calls missing');
  return { applyPortForwarding, revokePortForwarding, applyStaticNat, applyLbRule };
}

async function world(vlan = 140) {
  const sim = inProcess();
  const vpc = vpcSpec();
  const net = networkSpec(vpc, vlan);
  await sim.element.implementVpc(vpc, ctx());
  await sim.element.implementNetwork(net, ctx());
  const nics = [nicSpec(net, 1), nicSpec(net, 2)] as [NicSpec, NicSpec];
  await sim.element.prepareNics(nics, ctx());
  const forwards = async () =>
    (await sim.element.observe({ vpcId: vpc.vpcId }, ctx())).resources.filter((r) => r.kind === 'pf');
  return { ...sim, vpc, net, nics, forwards, c: calls(sim.element) };
}

describe('simulated port forwarding', () => {
  it('observes a forward with the contract attributes and converges a re-apply in place', async () => {
    const { c, net, nics, forwards, hub, controllerId } = await world();
    const [a, b] = nics;
    const rule = pf(a, '203.0.113.10');
    expect(await c.applyPortForwarding(rule, ctx())).toEqual({ adopted: false });
    // The admin summary counts it (the Simulator page's "held" figures).
    expect((await hub.getState(controllerId))?.counts).toMatchObject({ portForwards: 1, staticNats: 0 });
    expect(await forwards()).toEqual([
      {
        kind: 'pf',
        id: rule.ruleId,
        name: `np-pf-${rule.ruleId}`,
        attributes: {
          publicIp: '203.0.113.10',
          protocol: 'tcp',
          publicPorts: '2222-2224',
          privateIp: a.ip,
          privatePorts: '22-24',
          logicalPort: a.nicId,
          networkId: net.networkId,
        },
      },
    ]);
    expect(await c.applyPortForwarding({ ...rule, nicId: b.nicId, privateIp: b.ip }, ctx())).toEqual({
      adopted: true,
    });
    expect((await forwards()).map((r) => r.attributes.privateIp)).toEqual([b.ip]);
  });

  it('refuses a forward on a NATed address, over an LB VIP or an overlapping forward, and the NAT or VIP over a forward', async () => {
    const { c, net, nics } = await world();
    const [a, b] = nics;
    await c.applyPortForwarding(pf(a, '203.0.113.20'), ctx());
    await expect(
      c.applyPortForwarding(pf(b, '203.0.113.20', { publicPortStart: 2224, publicPortEnd: 2226 }), ctx()),
    ).rejects.toMatchObject({
      category: 'RESOURCE_CONFLICT',
      message: expect.stringMatching(
        /^Ports 203\.0\.113\.20:2224-2226\/tcp is already used by port forwarding /,
      ),
    });
    await expect(c.applyPortForwarding(pf(b, '203.0.113.20', { protocol: 'udp' }), ctx())).resolves.toEqual({
      adopted: false,
    });
    await expect(
      c.applyStaticNat(
        {
          ruleId: randomUUID(),
          vpcId: a.vpcId,
          networkId: a.networkId,
          nicId: b.nicId,
          publicIp: '203.0.113.20',
          privateIp: b.ip,
        },
        ctx(),
      ),
    ).rejects.toMatchObject({ category: 'RESOURCE_CONFLICT' });
    const vip = {
      ruleId: randomUUID(),
      vpcId: net.vpcId,
      networkId: net.networkId,
      name: 'web',
      publicIp: '203.0.113.20',
      publicPort: 2223,
      privatePort: 80,
      protocol: 'tcp' as const,
      algorithm: 'roundrobin' as const,
      members: [],
    };
    await expect(c.applyLbRule(vip, ctx())).rejects.toMatchObject({ category: 'RESOURCE_CONFLICT' });
    await c.applyLbRule({ ...vip, publicPort: 80 }, ctx());
    await expect(
      c.applyPortForwarding(
        pf(b, '203.0.113.20', {
          publicPortStart: 80,
          publicPortEnd: 80,
          privatePortStart: 80,
          privatePortEnd: 80,
        }),
        ctx(),
      ),
    ).rejects.toMatchObject({ category: 'RESOURCE_CONFLICT' });
    await c.applyStaticNat(
      {
        ruleId: randomUUID(),
        vpcId: a.vpcId,
        networkId: a.networkId,
        nicId: b.nicId,
        publicIp: '203.0.113.21',
        privateIp: b.ip,
      },
      ctx(),
    );
    await expect(c.applyPortForwarding(pf(a, '203.0.113.21'), ctx())).rejects.toMatchObject({
      category: 'RESOURCE_CONFLICT',
    });
  });

  it('takes faults scoped to pf, plants a foreign VIP for foreignOwner, and counts the calls', async () => {
    const { hub, controllerId, c, nics, forwards } = await world();
    await hub.resetStats(controllerId);
    await hub.injectFault(controllerId, {
      kind: 'vendorError',
      code: 'PF-FULL',
      message: 'table full',
      operation: 'apply',
      resource: 'pf',
      count: 1,
    });
    const rule = pf(nics[0], '203.0.113.30');
    await expect(c.applyPortForwarding(rule, ctx())).rejects.toMatchObject({
      category: 'VENDOR_ERROR',
      vendorCode: 'PF-FULL',
    });
    await expect(c.applyPortForwarding(rule, ctx())).resolves.toEqual({ adopted: false });
    await hub.injectFault(controllerId, {
      kind: 'authFailure',
      operation: 'revoke',
      resource: 'pf',
      count: 1,
    });
    await expect(c.revokePortForwarding(rule, ctx())).rejects.toMatchObject({ category: 'AUTH_FAILED' });
    await c.revokePortForwarding(rule, ctx());
    expect(await forwards()).toEqual([]);
    await hub.injectFault(controllerId, {
      kind: 'foreignOwner',
      operation: 'apply',
      resource: 'pf',
      owner: 'legacy-fw',
      count: 1,
    });
    await expect(c.applyPortForwarding(rule, ctx())).rejects.toMatchObject({
      category: 'RESOURCE_CONFLICT',
      conflict: { owner: 'legacy-fw' },
    });
    await hub.clearFaults(controllerId);
    await expect(c.applyPortForwarding(rule, ctx())).resolves.toEqual({ adopted: false });
    expect(
      hub
        .calls(controllerId)
        .filter((r) => r.op !== 'observe')
        .map((r) => [r.op, r.outcome]),
    ).toEqual([
      ['applyPortForwarding', 'VENDOR_ERROR'],
      ['applyPortForwarding', 'ok'],
      ['revokePortForwarding', 'AUTH_FAILED'],
      ['revokePortForwarding', 'ok'],
      ['applyPortForwarding', 'RESOURCE_CONFLICT'],
      ['applyPortForwarding', 'ok'],
    ]);
  });

  it('deletes a forward behind the engine’s back by tampering, and drops forwards with their tier', async () => {
    const { hub, controllerId, element, c, net, nics, forwards } = await world();
    const one = pf(nics[0], '203.0.113.40');
    const two = pf(nics[1], '203.0.113.41');
    await c.applyPortForwarding(one, ctx());
    await c.applyPortForwarding(two, ctx());
    hub.tamper(controllerId, { action: 'delete', kind: 'pf', id: one.ruleId });
    expect((await forwards()).map((r) => r.id)).toEqual([two.ruleId]);
    await element.destroyNetwork({ networkId: net.networkId, vpcId: net.vpcId }, ctx());
    expect(await forwards()).toEqual([]);
  });
});
