// Conformance cases of the optional PortForwarding calls (applyPortForwarding / revokePortForwarding, spec version 1).
// They run when the adapter offers the service (its manifest, or the calls themselves without a manifest) and test
// what the contract promises: apply adopts and converges in place, revoke of an unknown rule succeeds, an aborted
// call changes nothing, an overlapping port of the same address and protocol is RESOURCE_CONFLICT while other ports or
// the other protocol live side by side, and an unknown spec version is INVALID_REQUEST.
import { randomUUID } from 'node:crypto';
import { expect, it, type TestContext } from 'vitest';
import { AdapterError } from '../adapter-error';
import type { NetworkElement, NetworkSpec, NicSpec, ObservedResource, PortForwardingSpec } from '../element';
import type { KitState } from './public-services';

type PfCalls = Required<Pick<NetworkElement, 'applyPortForwarding' | 'revokePortForwarding'>>;
const PF_CALLS = ['applyPortForwarding', 'revokePortForwarding'] as const;

function offers(s: KitState): boolean {
  if (s.h.manifest) return s.h.manifest.services.PortForwarding !== undefined;
  return PF_CALLS.every((c) => typeof s.el[c] === 'function');
}

function pfCalls(el: NetworkElement): PfCalls {
  const { applyPortForwarding, revokePortForwarding } = el;
  if (!applyPortForwarding || !revokePortForwarding)
    throw new Error('the manifest offers PortForwarding but the calls are missing');
  return {
    applyPortForwarding: applyPortForwarding.bind(el),
    revokePortForwarding: revokePortForwarding.bind(el),
  };
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

/** A VPC with one tier implemented for PortForwarding (and what it needs) and `count` prepared NICs. */
async function tierWithNics(s: KitState, count: number): Promise<{ net: NetworkSpec; nics: NicSpec[] }> {
  const { el, f } = s;
  const vpc = f.vpc();
  const base = f.network(vpc);
  const net: NetworkSpec = { ...base, services: [...base.services, 'PortForwarding'] };
  await el.implementVpc(vpc, f.ctx());
  await el.implementNetwork(net, f.ctx());
  const nics: NicSpec[] = [];
  for (let i = 1; i <= count; i++) {
    const nic = f.nic(net, i);
    await el.prepareNic(nic, f.ctx());
    nics.push(nic);
  }
  return { net, nics };
}

const observed = async (s: KitState, vpcId: string): Promise<ObservedResource[]> =>
  (await s.el.observe({ vpcId }, s.f.ctx())).resources
    .filter((r) => r.kind === 'pf')
    .sort((a, b) => a.id.localeCompare(b.id));

export const pfAttributes = (r: PortForwardingSpec) => ({
  publicIp: r.publicIp,
  protocol: r.protocol,
  publicPorts: `${r.publicPortStart}-${r.publicPortEnd}`,
  privateIp: r.privateIp,
  privatePorts: `${r.privatePortStart}-${r.privatePortEnd}`,
});

/** Registers the cases inside describeConformance's describe; `state` gives the current test's harness. */
export function portForwardingCases(state: () => KitState): void {
  const skipUnless = (ctx: TestContext) => {
    if (!offers(state())) ctx.skip();
  };

  it('has the PortForwarding calls exactly when its manifest offers the service', (ctx) => {
    const { h, el } = state();
    if (!h.manifest) return ctx.skip();
    const offered = h.manifest.services.PortForwarding !== undefined;
    for (const call of PF_CALLS)
      expect({ call, present: typeof el[call] === 'function' }).toEqual({ call, present: offered });
  });

  it('port forwarding: adopts a repeated apply, converges other ports in place, observes exactly that', async (ctx) => {
    skipUnless(ctx);
    const s = state();
    const pf = pfCalls(s.el);
    const { nics } = await tierWithNics(s, 2);
    const [a, b] = nics as [NicSpec, NicSpec];
    const rule = s.f.portForwarding(a, s.f.publicIp());
    expect(await pf.applyPortForwarding(rule, s.f.ctx())).toEqual({ adopted: false });
    let seen = await observed(s, rule.vpcId);
    expect(seen.map((r) => r.id)).toEqual([rule.ruleId]);
    expect(seen[0]?.attributes).toMatchObject(pfAttributes(rule));
    expect(await pf.applyPortForwarding(rule, s.f.ctx())).toEqual({ adopted: true });
    expect(await observed(s, rule.vpcId)).toEqual(seen);
    // Another NIC and other ports: the same rule, updated.
    const moved = {
      ...rule,
      nicId: b.nicId,
      privateIp: b.ip,
      publicPortStart: 8000,
      publicPortEnd: 8001,
      privatePortStart: 80,
      privatePortEnd: 81,
    };
    expect(await pf.applyPortForwarding(moved, s.f.ctx())).toEqual({ adopted: true });
    seen = await observed(s, rule.vpcId);
    expect(seen.map((r) => r.id)).toEqual([rule.ruleId]);
    expect(seen[0]?.attributes).toMatchObject(pfAttributes(moved));
  });

  it('port forwarding: an overlapping port is RESOURCE_CONFLICT; other ports and the other protocol coexist', async (ctx) => {
    skipUnless(ctx);
    const s = state();
    const pf = pfCalls(s.el);
    const { nics } = await tierWithNics(s, 2);
    const [a, b] = nics as [NicSpec, NicSpec];
    const ip = s.f.publicIp();
    const first = s.f.portForwarding(a, ip);
    await pf.applyPortForwarding(first, s.f.ctx());
    const overlapping = { ...s.f.portForwarding(b, ip), publicPortStart: 2224, publicPortEnd: 2226 };
    const err = await rejectionOf(pf.applyPortForwarding(overlapping, s.f.ctx()));
    expect(err.category).toBe('RESOURCE_CONFLICT');
    expect(err.retryable).toBe(false);
    const next = { ...s.f.portForwarding(b, ip), publicPortStart: 2225, publicPortEnd: 2227 };
    const udp = { ...s.f.portForwarding(b, ip), protocol: 'udp' as const };
    expect(await pf.applyPortForwarding(next, s.f.ctx())).toEqual({ adopted: false });
    expect(await pf.applyPortForwarding(udp, s.f.ctx())).toEqual({ adopted: false });
    const want = [first, next, udp].sort((x, y) => x.ruleId.localeCompare(y.ruleId));
    const seen = await observed(s, first.vpcId);
    expect(seen.map((r) => r.id)).toEqual(want.map((r) => r.ruleId));
    want.forEach((rule, i) => {
      expect(seen[i]?.attributes).toMatchObject(pfAttributes(rule));
    });
  });

  it('port forwarding: revoke removes it; revoking it again or a rule never applied succeeds', async (ctx) => {
    skipUnless(ctx);
    const s = state();
    const pf = pfCalls(s.el);
    const unknown = { ruleId: randomUUID(), vpcId: s.f.vpc().vpcId, networkId: randomUUID() };
    await expect(pf.revokePortForwarding(unknown, s.f.ctx())).resolves.toBeUndefined();
    const { net, nics } = await tierWithNics(s, 1);
    const nic = nics[0] as NicSpec;
    const gone = s.f.portForwarding(nic, s.f.publicIp());
    const kept = s.f.portForwarding(nic, s.f.publicIp());
    await pf.applyPortForwarding(gone, s.f.ctx());
    await pf.applyPortForwarding(kept, s.f.ctx());
    const ref = { ruleId: gone.ruleId, vpcId: gone.vpcId, networkId: net.networkId };
    await pf.revokePortForwarding(ref, s.f.ctx());
    expect((await observed(s, gone.vpcId)).map((r) => r.id)).toEqual([kept.ruleId]);
    await expect(pf.revokePortForwarding(ref, s.f.ctx())).resolves.toBeUndefined();
    // The revoked rule's ports are free again.
    expect(await pf.applyPortForwarding({ ...gone, ruleId: randomUUID() }, s.f.ctx())).toEqual({
      adopted: false,
    });
  });

  it('port forwarding: an aborted signal is TIMEOUT and an unknown spec version INVALID_REQUEST; nothing applied', async (ctx) => {
    skipUnless(ctx);
    const s = state();
    const pf = pfCalls(s.el);
    const { nics } = await tierWithNics(s, 1);
    const rule = s.f.portForwarding(nics[0] as NicSpec, s.f.publicIp());
    const ac = new AbortController();
    ac.abort(new Error('test abort'));
    expect((await rejectionOf(pf.applyPortForwarding(rule, s.f.ctx(ac.signal)))).category).toBe('TIMEOUT');
    const future = { ...rule, version: 2 } as unknown as PortForwardingSpec;
    expect((await rejectionOf(pf.applyPortForwarding(future, s.f.ctx()))).category).toBe('INVALID_REQUEST');
    expect(await observed(s, rule.vpcId)).toEqual([]);
  });
}
