// Network ACLs on the simulated switches: applyNetworkAcl replaces the tier's ACL (kept per network and shown on the
// switch's attributes), converges (the same spec is adopted), refuses unknown spec versions and tiers it does not
// hold, takes faults scoped to resource 'acl', and goes away with the tier; observe() reports the list a tier holds
// (kind acl, id <networkId>/list, with its rules digest) until it is tampered away.
import { randomUUID } from 'node:crypto';
import {
  aclListResourceId,
  aclRulesDigest,
  type NetworkAclSpec,
  type NetworkSpec,
} from '@netplane/adapter-sdk';
import { describe, expect, it } from 'vitest';
import { networkSpec, vpcSpec } from './fixtures';
import { ctx, inProcess } from './helpers';

const spec = (net: NetworkSpec, rules: Partial<NetworkAclSpec['rules'][number]>[]): NetworkAclSpec => ({
  version: 1,
  vpcId: net.vpcId,
  networkId: net.networkId,
  cidr: net.cidr,
  listId: 'list-1',
  listName: 'web-to-db',
  rules: rules.map((r, i) => ({
    ruleId: randomUUID(),
    number: (i + 1) * 10,
    action: 'allow',
    protocol: 'tcp',
    trafficType: 'Ingress',
    portStart: 5432,
    portEnd: 5432,
    icmpType: null,
    icmpCode: null,
    cidrs: ['10.1.1.0/24'],
    ...r,
  })),
});

async function world() {
  const sim = inProcess();
  const vpc = vpcSpec();
  const net = networkSpec(vpc, 130);
  await sim.element.implementVpc(vpc, ctx());
  await sim.element.implementNetwork(net, ctx());
  const apply = sim.element.applyNetworkAcl?.bind(sim.element);
  if (!apply) throw new Error('the simulator has applyNetworkAcl');
  const store = sim.hub.controller(sim.controllerId).store;
  const switchAttrs = async () =>
    (await sim.hub.listResources(sim.controllerId, { kind: 'network', limit: 10 })).items[0]?.attributes;
  return { ...sim, vpc, net, apply, store, switchAttrs };
}

describe('simulated network ACLs', () => {
  it('replaces the tier ACL, shows it on the switch and adopts the same spec', async () => {
    const { apply, net, store, switchAttrs } = await world();
    const acl = spec(net, [{}, { action: 'deny', portStart: 22, portEnd: 22, cidrs: ['0.0.0.0/0'] }]);
    await expect(apply(acl, ctx())).resolves.toEqual({ adopted: false });
    await expect(apply(acl, ctx())).resolves.toEqual({ adopted: true });
    expect(store.acls.get(net.networkId)?.rules.map((r) => r.number)).toEqual([10, 20]);
    expect(await switchAttrs()).toMatchObject({
      aclList: 'list-1',
      aclListName: 'web-to-db',
      acl: '10 Ingress allow tcp 5432-5432 10.1.1.0/24; 20 Ingress deny tcp 22-22 0.0.0.0/0',
    });
    const icmp = spec(net, [{ protocol: 'icmp', portStart: null, portEnd: null, icmpType: 8, icmpCode: 0 }]);
    await expect(apply(icmp, ctx())).resolves.toEqual({ adopted: false });
    expect((await switchAttrs())?.acl).toBe('10 Ingress allow icmp 8/0 10.1.1.0/24');
  });

  it('refuses an unknown spec version, a tier it does not hold and a number twice', async () => {
    const { apply, net, vpc } = await world();
    const v2 = { ...spec(net, []), version: 2 } as unknown as NetworkAclSpec;
    await expect(apply(v2, ctx())).rejects.toMatchObject({ category: 'INVALID_REQUEST' });
    const other = networkSpec(vpc, 131);
    await expect(apply(spec(other, []), ctx())).rejects.toMatchObject({ category: 'INVALID_REQUEST' });
    const twice = spec(net, [{ number: 5 }, { number: 5 }]);
    await expect(apply(twice, ctx())).rejects.toMatchObject({ category: 'INVALID_REQUEST' });
  });

  it('takes faults scoped to acl, and drops the ACL with the tier', async () => {
    const { apply, hub, controllerId, net, store, element } = await world();
    await hub.injectFault(controllerId, {
      kind: 'vendorError',
      code: 'ACL-FULL',
      message: 'ACL table full',
      operation: 'apply',
      resource: 'acl',
      count: 1,
    });
    await expect(apply(spec(net, [{}]), ctx())).rejects.toMatchObject({ category: 'VENDOR_ERROR' });
    expect(store.acls.has(net.networkId)).toBe(false);
    await apply(spec(net, [{}]), ctx());
    expect((await hub.getSummary(controllerId))?.counts.acls).toBe(1);
    await element.destroyNetwork({ networkId: net.networkId, vpcId: net.vpcId }, ctx());
    expect(store.acls.has(net.networkId)).toBe(false);
  });

  it('observes the list a tier holds with its digest, and nothing once it is lost', async () => {
    const { apply, hub, controllerId, net, element } = await world();
    const held = async () =>
      (await element.observe({ vpcId: net.vpcId }, ctx())).resources.filter((r) => r.kind === 'acl');
    expect(await held()).toEqual([]);
    const acl = spec(net, [{}, { action: 'deny', portStart: 22, portEnd: 22, cidrs: ['0.0.0.0/0'] }]);
    await apply(acl, ctx());
    expect(await held()).toEqual([
      {
        kind: 'acl',
        id: aclListResourceId(net.networkId),
        name: 'web-to-db',
        attributes: {
          networkId: net.networkId,
          aclList: 'list-1',
          aclListName: 'web-to-db',
          aclRules: aclRulesDigest(acl.rules),
        },
      },
    ]);
    // The digest follows the rules: the same rule on another port is another digest.
    const [first, ...rest] = acl.rules;
    if (!first) throw new Error('two rules');
    const moved = [{ ...first, portStart: 80, portEnd: 80 }, ...rest];
    expect(aclRulesDigest(moved)).not.toBe(aclRulesDigest(acl.rules));
    expect(aclRulesDigest([...acl.rules].reverse())).toBe(aclRulesDigest(acl.rules));
    await hub.tamper(controllerId, { kind: 'acl', id: net.networkId, action: 'delete' });
    expect(await held()).toEqual([]);
  });
});
