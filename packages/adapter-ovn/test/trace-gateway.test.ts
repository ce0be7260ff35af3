// trace() through the VPC's gateway on a real ovn-northd: from the public network through a static NAT, a port
// forwarding and a load balancer to app's NICs, each rewrite naming its rule by our id (the LB also the backend it
// chose), a port the NIC's ACL list does not admit, and from a NIC out through source NAT; each verdict agrees with
// ovn-trace run directly on the same microflow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../src';
import {
  agreement,
  direct,
  fromNic,
  fromOutside,
  LB_IP,
  learnUpstreamMac,
  nicEndpoint,
  OUTSIDE,
  PF_IP,
  PUBLIC,
  SNAT_IP,
  STATIC_NAT_IP,
  startTraceWorld,
  type TraceWorld,
  tcp,
  traced,
  traceSpec,
} from './trace-world';

let w: TraceWorld;
beforeAll(async () => {
  w = await startTraceWorld();
}, 60_000);
afterAll(async () => {
  await w?.dispose();
});

const inbound = (ip: string, port: number) =>
  traceSpec(w, { kind: 'outside', ip: OUTSIDE }, { kind: 'address', ip }, tcp(port));
const kinds = (r: Awaited<ReturnType<typeof traced>>) => r.hops.map((h) => `${h.kind} ${h.verdict}`);

describe('OVN trace from the public network', () => {
  it('follows a static NAT to its NIC, naming the rule and the rewrite', async () => {
    const [app1] = w.appNics;
    const r = await traced(w, inbound(STATIC_NAT_IP, 80));
    expect(r, JSON.stringify(r.hops, null, 1)).toMatchObject({
      outcome: 'delivered',
      deliveredTo: { nicId: app1.nicId, ip: app1.ip, port: 80 },
    });
    expect(kinds(r)).toEqual(['nat pass', 'route pass', 'acl pass', 'deliver pass']);
    expect(r.hops[0]).toMatchObject({
      at: { type: 'gateway', id: w.web.vpcId },
      ref: { type: 'staticNat', ruleId: w.ids.staticNat },
      rewrite: { field: 'ip4.dst', from: STATIC_NAT_IP, to: app1.ip },
    });
    expect(r.hops[2]?.ref).toMatchObject({ listId: 'app-acl', number: 10 });
    const v = await direct(w, fromOutside(w, STATIC_NAT_IP, 80));
    const a = agreement(r, v);
    expect(a.product, v.raw).toEqual(a.direct);
  });

  it('follows a port forwarding to its NIC and port', async () => {
    const [, app2] = w.appNics;
    const r = await traced(w, inbound(PF_IP, 2222));
    expect(r, JSON.stringify(r.hops, null, 1)).toMatchObject({
      outcome: 'delivered',
      deliveredTo: { nicId: app2.nicId, ip: app2.ip, port: 22 },
    });
    expect(r.hops[0]).toMatchObject({
      kind: 'nat',
      ref: { type: 'portForwarding', ruleId: w.ids.pf },
      rewrite: { field: 'ip4.dst', from: PF_IP, to: app2.ip },
      summary: `port forwarding rule ${w.ids.pf} sends ${PF_IP}:2222 to ${app2.ip}:22`,
    });
    expect(r.hops.find((h) => h.kind === 'acl')?.ref).toMatchObject({ number: 30 });
    const v = await direct(w, fromOutside(w, PF_IP, 2222));
    const a = agreement(r, v);
    expect(a.product, v.raw).toEqual(a.direct);
    expect(v.delivered).toEqual([{ port: names.nicPort(app2.nicId), type: '' }]);
  });

  it('follows a load balancer to the backend it chose', async () => {
    const [app1] = w.appNics;
    const r = await traced(w, inbound(LB_IP, 80));
    // The VIP's backends are sorted by address: the first is app1's, and the trace follows it.
    const backend = `${app1.ip}:8080`;
    expect(r, JSON.stringify(r.hops, null, 1)).toMatchObject({
      outcome: 'delivered',
      deliveredTo: { nicId: app1.nicId, ip: app1.ip, port: 8080 },
    });
    expect(r.hops[0]).toMatchObject({
      kind: 'lb',
      ref: { type: 'lbRule', ruleId: w.ids.lb, backend },
      summary: `load balancer rule web on ${LB_IP}:80 chooses among 2 backends by source-address hash; this trace follows ${backend}`,
      rewrite: { field: 'ip4.dst', from: LB_IP, to: app1.ip },
    });
    expect(r.tool.command).toContain(`--lb-dst=${backend}`);
    expect(r.hops.find((h) => h.kind === 'acl')?.ref).toMatchObject({ number: 40 });
    const v = await direct(w, fromOutside(w, LB_IP, 80), backend);
    const a = agreement(r, v);
    expect(a.product, v.raw).toEqual(a.direct);
    expect(v.delivered).toEqual([{ port: names.nicPort(app1.nicId), type: '' }]);
  });

  it("meets the load balancer on the rule's own tier first, for a client of that tier", async () => {
    const [app1, app2] = w.appNics;
    const backend = `${app1.ip}:8080`;
    const r = await traced(w, traceSpec(w, nicEndpoint(app2), { kind: 'address', ip: LB_IP }, tcp(80)));
    expect(r, JSON.stringify(r.hops, null, 1)).toMatchObject({
      outcome: 'delivered',
      deliveredTo: { nicId: app1.nicId, ip: app1.ip, port: 8080 },
    });
    expect(r.hops.find((h) => h.kind === 'lb')).toMatchObject({
      at: { type: 'tier', id: w.app.networkId },
      ref: { type: 'lbRule', ruleId: w.ids.lb, backend },
      // ovn-trace applies --lb-dst at the switch's first conntrack lookup (the bare ct_lb of ls_in_pre_stateful).
      evidence: [expect.stringContaining('ls_in_pre_stateful')],
    });
    // Rewritten before the router, which routes the backend's address back into the tier.
    expect(r.hops.find((h) => h.kind === 'route')?.summary).toBe(
      `the router routes ${app1.ip} to tier ${w.app.name}`,
    );
    const v = await direct(w, fromNic(app2, LB_IP, 80), backend);
    const a = agreement(r, v);
    expect(a.product, v.raw).toEqual(a.direct);
  });

  it('follows a NIC to the public network through source NAT once the upstream MAC is known', async () => {
    const [web1] = w.webNics;
    await learnUpstreamMac(w);
    const r = await traced(w, traceSpec(w, nicEndpoint(web1), { kind: 'address', ip: OUTSIDE }, tcp(443)));
    expect(r, JSON.stringify(r.hops, null, 1)).toMatchObject({
      outcome: 'delivered',
      deliveredTo: { nicId: null, ip: OUTSIDE, port: 443 },
    });
    expect(kinds(r)).toEqual(['portSecurity pass', 'acl pass', 'route pass', 'nat pass', 'deliver pass']);
    expect(r.hops[2]?.summary).toBe(
      `the router routes ${OUTSIDE} to the public network via ${PUBLIC.gateway}`,
    );
    expect(r.hops[3]).toMatchObject({
      at: { type: 'gateway' },
      ref: { type: 'sourceNat', publicIp: SNAT_IP },
      rewrite: { field: 'ip4.src', from: web1.ip, to: SNAT_IP },
    });
    expect(r.hops[4]).toMatchObject({ at: { type: 'outside' } });
    const v = await direct(w, fromNic(web1, OUTSIDE, 443));
    const a = agreement(r, v);
    expect(a.product, v.raw).toEqual(a.direct);
    expect(v.delivered).toEqual([{ port: names.externalLocalnetPort(w.web.vpcId), type: 'localnet' }]);
  });

  it("drops a port the static NAT's NIC does not admit, at app's ACL", async () => {
    const r = await traced(w, inbound(STATIC_NAT_IP, 5432));
    expect(r).toMatchObject({ outcome: 'dropped', reason: 'AclDenied' });
    expect(r.hops.at(-1)?.ref).toMatchObject({ listId: 'app-acl', ruleId: null, action: 'deny' });
    const v = await direct(w, fromOutside(w, STATIC_NAT_IP, 5432));
    const a = agreement(r, v);
    expect(a.product, v.raw).toEqual(a.direct);
  });
});
