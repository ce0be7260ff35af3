// Conformance cases of the optional applyNetworkAcl call. They run when the manifest's NetworkACL capabilities say
// SupportsAclLists (or, without a manifest, when the element has the call) and test what the contract promises: the
// call exists exactly then, an apply converges (the same spec again is adopted, another spec replaces it), a tier the
// controller does not hold and an unknown spec version are INVALID_REQUEST, an aborted call rejects as TIMEOUT, and
// observe() reports the list a tier holds (kind acl, id <networkId>/list, its id and rules digest; none before).
import { randomUUID } from 'node:crypto';
import { expect, it, type TestContext } from 'vitest';
import { aclListResourceId, aclRulesDigest } from '../acl-digest';
import { AdapterError } from '../adapter-error';
import {
  ACL_LISTS_CAPABILITY,
  NETWORK_ACL_SPEC_VERSION,
  type NetworkAclRuleSpec,
  type NetworkAclSpec,
  type NetworkElement,
  type NetworkSpec,
} from '../element';
import type { KitState } from './public-services';

function offersAclLists(s: KitState): boolean {
  if (s.h.manifest) return s.h.manifest.services.NetworkACL?.[ACL_LISTS_CAPABILITY] === true;
  return typeof s.el.applyNetworkAcl === 'function';
}

const rule = (number: number, over: Partial<NetworkAclRuleSpec> = {}): NetworkAclRuleSpec => ({
  ruleId: randomUUID(),
  number,
  action: 'allow',
  protocol: 'tcp',
  trafficType: 'Ingress',
  portStart: 443,
  portEnd: 443,
  icmpType: null,
  icmpCode: null,
  cidrs: ['192.0.2.0/24'],
  ...over,
});

const specOf = (net: NetworkSpec, listId: string, rules: NetworkAclRuleSpec[]): NetworkAclSpec => ({
  version: NETWORK_ACL_SPEC_VERSION,
  vpcId: net.vpcId,
  networkId: net.networkId,
  cidr: net.cidr,
  listId,
  listName: listId,
  rules,
});

function applyOf(el: NetworkElement) {
  const { applyNetworkAcl } = el;
  if (!applyNetworkAcl) throw new Error('the manifest says SupportsAclLists but applyNetworkAcl is missing');
  return applyNetworkAcl.bind(el);
}

async function rejectionOf(p: Promise<unknown>): Promise<AdapterError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AdapterError);
    return e as AdapterError;
  }
  throw new Error('expected the call to reject, it resolved');
}

/** A VPC with one tier implemented with NetworkACL. */
async function aclTier(s: KitState): Promise<NetworkSpec> {
  const vpc = s.f.vpc();
  const base = s.f.network(vpc);
  const net: NetworkSpec = { ...base, services: [...new Set([...base.services, 'NetworkACL' as const])] };
  await s.el.implementVpc(vpc, s.f.ctx());
  await s.el.implementNetwork(net, s.f.ctx());
  return net;
}

export function aclCases(state: () => KitState): void {
  const skipUnless = (ctx: TestContext) => {
    if (!offersAclLists(state())) ctx.skip();
  };

  it('has applyNetworkAcl exactly when its manifest says NetworkACL SupportsAclLists', (ctx) => {
    const { h, el } = state();
    if (!h.manifest) return ctx.skip();
    const offered = h.manifest.services.NetworkACL?.[ACL_LISTS_CAPABILITY] === true;
    expect({ present: typeof el.applyNetworkAcl === 'function' }).toEqual({ present: offered });
  });

  it('network ACL: adopts the same spec, replaces it with another, and takes the built-in lists', async (ctx) => {
    skipUnless(ctx);
    const s = state();
    const apply = applyOf(s.el);
    const net = await aclTier(s);
    const first = specOf(net, 'kit-list-a', [
      rule(10),
      rule(20, { action: 'deny', protocol: 'udp', portStart: 53, portEnd: 53, trafficType: 'Egress' }),
      rule(30, { protocol: 'icmp', portStart: null, portEnd: null, icmpType: 8, icmpCode: 0 }),
    ]);
    expect(await apply(first, s.f.ctx())).toEqual({ adopted: false });
    expect(await apply(first, s.f.ctx())).toEqual({ adopted: true });
    const second = specOf(net, 'kit-list-b', [rule(5, { portStart: 8000, portEnd: 8080 })]);
    expect(await apply(second, s.f.ctx())).toEqual({ adopted: false });
    const all = { protocol: 'all' as const, portStart: null, portEnd: null, cidrs: ['0.0.0.0/0'] };
    const defaultAllow = specOf(net, 'kit-default-allow', [
      rule(1, all),
      rule(2, { ...all, trafficType: 'Egress' }),
    ]);
    expect(await apply(defaultAllow, s.f.ctx())).toEqual({ adopted: false });
    const defaultDeny = specOf(net, 'kit-default-deny', [rule(1, { ...all, action: 'deny' })]);
    expect(await apply(defaultDeny, s.f.ctx())).toEqual({ adopted: false });
    expect(await apply(defaultDeny, s.f.ctx())).toEqual({ adopted: true });
  });

  it('network ACL: a tier it does not hold and an unknown spec version are INVALID_REQUEST', async (ctx) => {
    skipUnless(ctx);
    const s = state();
    const apply = applyOf(s.el);
    const unknown = s.f.network(s.f.vpc());
    expect((await rejectionOf(apply(specOf(unknown, 'kit-x', []), s.f.ctx()))).category).toBe(
      'INVALID_REQUEST',
    );
    const net = await aclTier(s);
    const v2 = { ...specOf(net, 'kit-x', []), version: 2 } as unknown as NetworkAclSpec;
    expect((await rejectionOf(apply(v2, s.f.ctx()))).category).toBe('INVALID_REQUEST');
  });

  it('network ACL: observe reports the list a tier holds with its rules digest, and none before', async (ctx) => {
    skipUnless(ctx);
    const s = state();
    const apply = applyOf(s.el);
    const net = await aclTier(s);
    const held = async () =>
      (await s.el.observe({ vpcId: net.vpcId }, s.f.ctx())).resources.filter(
        (r) => r.kind === 'acl' && r.id === aclListResourceId(net.networkId),
      );
    expect(await held()).toEqual([]);
    const spec = specOf(net, 'kit-list-held', [
      rule(10),
      rule(20, { action: 'deny', portStart: 22, portEnd: 22 }),
    ]);
    await apply(spec, s.f.ctx());
    const [list, ...more] = await held();
    expect(more).toEqual([]);
    expect(list?.attributes).toMatchObject({
      aclList: 'kit-list-held',
      aclListName: 'kit-list-held',
      aclRules: aclRulesDigest(spec.rules),
    });
    expect(list?.issues ?? []).toEqual([]);
  });

  it('network ACL: an apply with an already aborted signal rejects as TIMEOUT', async (ctx) => {
    skipUnless(ctx);
    const s = state();
    const apply = applyOf(s.el);
    const net = await aclTier(s);
    const ac = new AbortController();
    ac.abort(new Error('test abort'));
    const err = await rejectionOf(apply(specOf(net, 'kit-y', [rule(1)]), s.f.ctx(ac.signal)));
    expect(err.category).toBe('TIMEOUT');
  });
}
