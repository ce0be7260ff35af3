// Conformance cases of the optional StaticNat and Lb calls. They run when the adapter offers the service (its manifest,
// or the calls themselves when the harness gives no manifest) and only test what the contract promises: apply adopts
// and converges, revoke of an unknown rule succeeds, an aborted call changes nothing, a public IP held by anything but
// the rule itself is RESOURCE_CONFLICT. Two of our LB rules on one VIP are not tested: the API never asks for that.
import { randomUUID } from 'node:crypto';
import { LB_ALGORITHMS, LB_PROTOCOLS, type LbAlgorithm, type LbProtocol } from '@netplane/domain';
import { expect, it, type TestContext } from 'vitest';
import { AdapterError } from '../adapter-error';
import type {
  LbRuleSpec,
  NetworkElement,
  NetworkSpec,
  NicSpec,
  ObservedResource,
  StaticNatSpec,
  VpcSpec,
} from '../element';
import { type Fixtures, membersOf } from './fixtures';
import type { ConformanceHarness } from './harness';

export type KitState = { h: ConformanceHarness; el: NetworkElement; f: Fixtures };
type StaticNatCalls = Required<Pick<NetworkElement, 'applyStaticNat' | 'revokeStaticNat'>>;
type LbCalls = Required<Pick<NetworkElement, 'applyLbRule' | 'revokeLbRule'>>;

const NAT_CALLS = ['applyStaticNat', 'revokeStaticNat'] as const;
const LB_CALLS = ['applyLbRule', 'revokeLbRule'] as const;

function offers(s: KitState, service: 'StaticNat' | 'Lb'): boolean {
  if (s.h.manifest) return s.h.manifest.services[service] !== undefined;
  const calls = service === 'StaticNat' ? NAT_CALLS : LB_CALLS;
  return calls.every((c) => typeof s.el[c] === 'function');
}

/**
 * The algorithm and protocols the kit's LB rules use: what the manifest's Lb capabilities list (the API never asks
 * for others), else the contract's defaults.
 */
function lbChoice(s: KitState): { algorithm: LbAlgorithm; protocols: LbProtocol[] } {
  const caps = s.h.manifest?.services.Lb ?? {};
  const listed = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
  const algorithm = listed(caps.SupportedLbAlgorithms).find((a): a is LbAlgorithm =>
    (LB_ALGORITHMS as readonly string[]).includes(a),
  );
  const protocols = listed(caps.SupportedProtocols).filter((p): p is LbProtocol =>
    (LB_PROTOCOLS as readonly string[]).includes(p),
  );
  return {
    algorithm: algorithm ?? 'roundrobin',
    protocols: protocols.length > 0 ? protocols : ['tcp'],
  };
}

/** An LB rule of the fixtures with the algorithm and first protocol the adapter offers. */
function lbRule(s: KitState, net: NetworkSpec, publicIp: string, members: readonly NicSpec[]): LbRuleSpec {
  const { algorithm, protocols } = lbChoice(s);
  return { ...s.f.lbRule(net, publicIp, members), algorithm, protocol: protocols[0] ?? 'tcp' };
}

function natCalls(el: NetworkElement): StaticNatCalls {
  const { applyStaticNat, revokeStaticNat } = el;
  if (!applyStaticNat || !revokeStaticNat)
    throw new Error('the manifest offers StaticNat but the calls are missing');
  return { applyStaticNat: applyStaticNat.bind(el), revokeStaticNat: revokeStaticNat.bind(el) };
}

function lbCalls(el: NetworkElement): LbCalls {
  const { applyLbRule, revokeLbRule } = el;
  if (!applyLbRule || !revokeLbRule) throw new Error('the manifest offers Lb but the calls are missing');
  return { applyLbRule: applyLbRule.bind(el), revokeLbRule: revokeLbRule.bind(el) };
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

/**
 * A VPC with one implemented tier and `count` prepared NICs, as the engine has it before any rule: the tier is
 * implemented for the services the element offers of StaticNat and Lb (not SourceNat, which may need settings).
 */
async function tierWithNics(s: KitState, count: number) {
  const { el, f } = s;
  const vpc: VpcSpec = f.vpc();
  const base = f.network(vpc);
  const extra = (['StaticNat', 'Lb'] as const).filter((service) => offers(s, service));
  const net: NetworkSpec = { ...base, services: [...base.services, ...extra] };
  await el.implementVpc(vpc, f.ctx());
  await el.implementNetwork(net, f.ctx());
  const nics: NicSpec[] = [];
  for (let i = 1; i <= count; i++) {
    const nic = f.nic(net, i);
    await el.prepareNic(nic, f.ctx());
    nics.push(nic);
  }
  return { vpc, net, nics };
}

const observed = async (s: KitState, vpcId: string, kind: 'nat' | 'lb'): Promise<ObservedResource[]> =>
  (await s.el.observe({ vpcId }, s.f.ctx())).resources
    .filter((r) => r.kind === kind && (kind === 'lb' || r.attributes.type === 'dnat_and_snat'))
    .sort((a, b) => a.id.localeCompare(b.id));

const natAttributes = (rule: StaticNatSpec) => ({
  type: 'dnat_and_snat',
  externalIp: rule.publicIp,
  logicalIp: rule.privateIp,
});
const lbAttributes = (rule: LbRuleSpec) => ({
  vip: `${rule.publicIp}:${rule.publicPort}`,
  protocol: rule.protocol,
  members: membersOf(rule),
});

/** Registers the cases inside describeConformance's describe; `state` gives the current test's harness. */
export function publicServiceCases(state: () => KitState): void {
  const skipUnless = (ctx: TestContext, service: 'StaticNat' | 'Lb') => {
    if (!offers(state(), service)) ctx.skip();
  };

  it('has the StaticNat and Lb calls exactly when its manifest offers those services', (ctx) => {
    const { h, el } = state();
    if (!h.manifest) return ctx.skip();
    for (const [service, calls] of [
      ['StaticNat', NAT_CALLS],
      ['Lb', LB_CALLS],
    ] as const) {
      const offered = h.manifest.services[service] !== undefined;
      for (const call of calls)
        expect({ call, present: typeof el[call] === 'function' }).toEqual({ call, present: offered });
    }
  });

  it('static NAT: adopts on a repeated apply and holds one NAT for the rule', async (ctx) => {
    skipUnless(ctx, 'StaticNat');
    const s = state();
    const nat = natCalls(s.el);
    const { vpc, nics } = await tierWithNics(s, 1);
    const rule = s.f.staticNat(nics[0] as NicSpec, s.f.publicIp());
    expect(await nat.applyStaticNat(rule, s.f.ctx())).toEqual({ adopted: false });
    const first = await observed(s, vpc.vpcId, 'nat');
    expect(first.map((r) => r.id)).toEqual([rule.ruleId]);
    expect(first[0]?.attributes).toMatchObject(natAttributes(rule));
    expect(await nat.applyStaticNat(rule, s.f.ctx())).toEqual({ adopted: true });
    expect(await observed(s, vpc.vpcId, 'nat')).toEqual(first);
  });

  it('static NAT: revoke removes it from observe; revoking it again or a rule never applied succeeds', async (ctx) => {
    skipUnless(ctx, 'StaticNat');
    const s = state();
    const nat = natCalls(s.el);
    const unknown = { ruleId: randomUUID(), vpcId: s.f.vpc().vpcId, networkId: randomUUID() };
    // Before the controller knows the VPC at all, then on a VPC it has.
    await expect(nat.revokeStaticNat(unknown, s.f.ctx())).resolves.toBeUndefined();
    const { vpc, net, nics } = await tierWithNics(s, 2);
    const [a, b] = nics as [NicSpec, NicSpec];
    const gone = s.f.staticNat(a, s.f.publicIp());
    const kept = s.f.staticNat(b, s.f.publicIp());
    await nat.applyStaticNat(gone, s.f.ctx());
    await nat.applyStaticNat(kept, s.f.ctx());
    await nat.revokeStaticNat({ ruleId: gone.ruleId, vpcId: vpc.vpcId, networkId: net.networkId }, s.f.ctx());
    expect((await observed(s, vpc.vpcId, 'nat')).map((r) => r.id)).toEqual([kept.ruleId]);
    await expect(nat.revokeStaticNat(gone, s.f.ctx())).resolves.toBeUndefined();
    const never = { ruleId: randomUUID(), vpcId: vpc.vpcId, networkId: net.networkId };
    await expect(nat.revokeStaticNat(never, s.f.ctx())).resolves.toBeUndefined();
    expect((await observed(s, vpc.vpcId, 'nat')).map((r) => r.id)).toEqual([kept.ruleId]);
  });

  it('static NAT: an apply with an already aborted signal rejects as TIMEOUT and applies nothing', async (ctx) => {
    skipUnless(ctx, 'StaticNat');
    const s = state();
    const nat = natCalls(s.el);
    const { vpc, nics } = await tierWithNics(s, 1);
    const ac = new AbortController();
    ac.abort(new Error('test abort'));
    const err = await rejectionOf(
      nat.applyStaticNat(s.f.staticNat(nics[0] as NicSpec, s.f.publicIp()), s.f.ctx(ac.signal)),
    );
    expect(err.category).toBe('TIMEOUT');
    expect(await observed(s, vpc.vpcId, 'nat')).toEqual([]);
  });

  it('static NAT: a second rule on a public IP another rule holds is RESOURCE_CONFLICT and the first is kept', async (ctx) => {
    skipUnless(ctx, 'StaticNat');
    const s = state();
    const nat = natCalls(s.el);
    const { vpc, nics } = await tierWithNics(s, 2);
    const ip = s.f.publicIp();
    const first = s.f.staticNat(nics[0] as NicSpec, ip);
    await nat.applyStaticNat(first, s.f.ctx());
    const err = await rejectionOf(nat.applyStaticNat(s.f.staticNat(nics[1] as NicSpec, ip), s.f.ctx()));
    expect(err.category).toBe('RESOURCE_CONFLICT');
    expect(err.retryable).toBe(false);
    const seen = await observed(s, vpc.vpcId, 'nat');
    expect(seen.map((r) => r.id)).toEqual([first.ruleId]);
    expect(seen[0]?.attributes).toMatchObject(natAttributes(first));
  });

  it('static NAT: a public IP someone else NATs is RESOURCE_CONFLICT and their NAT is left untouched', async (ctx) => {
    skipUnless(ctx, 'StaticNat');
    const s = state();
    if (!s.h.plantForeignNat || !s.h.isForeignNatIntact) return ctx.skip();
    const nat = natCalls(s.el);
    const { vpc, net, nics } = await tierWithNics(s, 1);
    const ip = s.f.publicIp();
    await s.h.plantForeignNat(net, ip);
    const err = await rejectionOf(nat.applyStaticNat(s.f.staticNat(nics[0] as NicSpec, ip), s.f.ctx()));
    expect(err.category).toBe('RESOURCE_CONFLICT');
    expect(err.retryable).toBe(false);
    expect(await s.h.isForeignNatIntact(net, ip)).toBe(true);
    expect(await observed(s, vpc.vpcId, 'nat')).toEqual([]);
  });

  it('LB: applies a rule, converges members and ports on a repeated apply, and observes exactly that', async (ctx) => {
    skipUnless(ctx, 'Lb');
    const s = state();
    const lb = lbCalls(s.el);
    const { vpc, net, nics } = await tierWithNics(s, 3);
    const [a, b, c] = nics as [NicSpec, NicSpec, NicSpec];
    const rule = lbRule(s, net, s.f.publicIp(), [a, b]);
    expect(await lb.applyLbRule(rule, s.f.ctx())).toEqual({ adopted: false });
    let seen = await observed(s, vpc.vpcId, 'lb');
    expect(seen.map((r) => r.id)).toEqual([rule.ruleId]);
    expect(seen[0]?.attributes).toMatchObject(lbAttributes(rule));
    // The same spec again: adopted, nothing duplicated.
    expect(await lb.applyLbRule(rule, s.f.ctx())).toEqual({ adopted: true });
    expect(await observed(s, vpc.vpcId, 'lb')).toEqual(seen);
    // Other members and another private port: the rule is updated in place.
    const moved = { ...rule, privatePort: 8081, members: [b, c].map((n) => ({ nicId: n.nicId, ip: n.ip })) };
    expect(await lb.applyLbRule(moved, s.f.ctx())).toEqual({ adopted: true });
    seen = await observed(s, vpc.vpcId, 'lb');
    expect(seen.map((r) => r.id)).toEqual([rule.ruleId]);
    expect(seen[0]?.attributes).toMatchObject(lbAttributes(moved));
    // No members: the rule stays, with no backends.
    const empty = { ...moved, members: [] };
    expect(await lb.applyLbRule(empty, s.f.ctx())).toEqual({ adopted: true });
    seen = await observed(s, vpc.vpcId, 'lb');
    expect(seen.map((r) => [r.id, r.attributes.members])).toEqual([[rule.ruleId, '']]);
  });

  it('LB: rules on other ports or protocols of one public IP live side by side', async (ctx) => {
    skipUnless(ctx, 'Lb');
    const s = state();
    const lb = lbCalls(s.el);
    const { vpc, net, nics } = await tierWithNics(s, 2);
    const ip = s.f.publicIp();
    // Port 80 and, on port 53, one rule per protocol the adapter offers.
    const want = [
      lbRule(s, net, ip, nics),
      ...lbChoice(s).protocols.map((protocol, i) => ({
        ...lbRule(s, net, ip, nics.slice(0, i + 1)),
        publicPort: 53,
        privatePort: 53,
        protocol,
      })),
    ];
    for (const rule of want) expect(await lb.applyLbRule(rule, s.f.ctx())).toEqual({ adopted: false });
    const seen = await observed(s, vpc.vpcId, 'lb');
    want.sort((x, y) => x.ruleId.localeCompare(y.ruleId));
    expect(seen.map((r) => r.id)).toEqual(want.map((r) => r.ruleId));
    want.forEach((rule, i) => {
      expect(seen[i]?.attributes).toMatchObject(lbAttributes(rule));
    });
  });

  it('LB: revoke removes it from observe; revoking it again or a rule never applied succeeds', async (ctx) => {
    skipUnless(ctx, 'Lb');
    const s = state();
    const lb = lbCalls(s.el);
    const unknown = { ruleId: randomUUID(), vpcId: s.f.vpc().vpcId, networkId: randomUUID() };
    await expect(lb.revokeLbRule(unknown, s.f.ctx())).resolves.toBeUndefined();
    const { vpc, net, nics } = await tierWithNics(s, 2);
    const gone = lbRule(s, net, s.f.publicIp(), nics);
    const kept = lbRule(s, net, s.f.publicIp(), nics);
    await lb.applyLbRule(gone, s.f.ctx());
    await lb.applyLbRule(kept, s.f.ctx());
    await lb.revokeLbRule({ ruleId: gone.ruleId, vpcId: vpc.vpcId, networkId: net.networkId }, s.f.ctx());
    expect((await observed(s, vpc.vpcId, 'lb')).map((r) => r.id)).toEqual([kept.ruleId]);
    await expect(lb.revokeLbRule(gone, s.f.ctx())).resolves.toBeUndefined();
    const never = { ruleId: randomUUID(), vpcId: vpc.vpcId, networkId: net.networkId };
    await expect(lb.revokeLbRule(never, s.f.ctx())).resolves.toBeUndefined();
    expect((await observed(s, vpc.vpcId, 'lb')).map((r) => r.id)).toEqual([kept.ruleId]);
  });

  it('LB: an apply with an already aborted signal rejects as TIMEOUT and applies nothing', async (ctx) => {
    skipUnless(ctx, 'Lb');
    const s = state();
    const lb = lbCalls(s.el);
    const { vpc, net, nics } = await tierWithNics(s, 1);
    const ac = new AbortController();
    ac.abort(new Error('test abort'));
    const err = await rejectionOf(lb.applyLbRule(lbRule(s, net, s.f.publicIp(), nics), s.f.ctx(ac.signal)));
    expect(err.category).toBe('TIMEOUT');
    expect(await observed(s, vpc.vpcId, 'lb')).toEqual([]);
  });
}
