// trace() on a real ovn-northd: between two tiers, allowed by an ACL list rule, denied by one (the hop names the list
// and the rule), denied by the list's implicit default, denied by the source tier's Egress rule, and dropped by port
// security (a source IP that is not the NIC's); each verdict agrees with ovn-trace run directly on the same
// microflow. Without ovn-trace on the PATH the answer is 'unavailable', without a Southbound endpoint there is no
// trace, and an unknown spec version is refused.
import { DEFAULT_DENY_ACL_ID, traceResultSchema } from '@netplane/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../src';
import { aclRule, aclSpec } from './fixtures';
import { createElement, ctx } from './support';
import {
  agreement,
  direct,
  fromNic,
  nicEndpoint,
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

describe('OVN trace between tiers', () => {
  it('follows an allowed tcp connection through port security, both ACLs and the router to the NIC', async () => {
    const [web1] = w.webNics;
    const [app1] = w.appNics;
    const r = await traced(w, traceSpec(w, nicEndpoint(web1), nicEndpoint(app1), tcp(80)));
    expect(r, JSON.stringify(r.hops, null, 1)).toMatchObject({
      outcome: 'delivered',
      reason: 'Delivered',
      deliveredTo: { nicId: app1.nicId, ip: app1.ip, port: 80 },
      tool: { name: 'ovn-trace', command: expect.stringContaining('--ct=new') },
    });
    expect(r.hops.map((h) => `${h.kind} ${h.verdict} ${h.at.type}:${h.at.id}`)).toEqual([
      `portSecurity pass tier:${w.web.networkId}`,
      `acl pass tier:${w.web.networkId}`,
      `route pass router:${w.web.vpcId}`,
      `acl pass tier:${w.app.networkId}`,
      `deliver pass tier:${w.app.networkId}`,
    ]);
    // web holds no list: its fixed rows are default_deny's, whose implicit Egress allows.
    expect(r.hops[1]?.ref).toEqual({
      type: 'aclRule',
      listId: DEFAULT_DENY_ACL_ID,
      ruleId: null,
      number: null,
      action: 'allow',
      trafficType: 'Egress',
    });
    expect(r.hops[3]).toMatchObject({
      ref: { type: 'aclRule', listId: 'app-acl', ruleId: w.ids.aclRules[10], number: 10, action: 'allow' },
      summary: 'ACL list app-acl rule 10 (allow tcp 80 from 0.0.0.0/0) allowed it',
    });
    expect(r.hops[2]?.summary).toBe(`the router routes ${app1.ip} to tier ${w.app.name}`);
    expect(r.hops[4]).toMatchObject({ ref: { type: 'nic', nicId: app1.nicId } });
    for (const h of r.hops) expect(h.evidence.length, h.summary).toBeGreaterThan(0);
    const v = await direct(w, fromNic(web1, app1.ip, 80));
    const a = agreement(r, v);
    expect(a.product, v.raw).toEqual(a.direct);
    expect(v.delivered).toEqual([{ port: names.nicPort(app1.nicId), type: '' }]);
  });

  it('names the ACL list and the rule number that denied it', async () => {
    const [web1] = w.webNics;
    const [app1] = w.appNics;
    const r = await traced(w, traceSpec(w, nicEndpoint(web1), nicEndpoint(app1), tcp(5432)));
    expect(r).toMatchObject({
      outcome: 'dropped',
      reason: 'AclDenied',
      deliveredTo: null,
      message: `ACL list app-acl rule 20 (deny tcp 5432 from ${w.web.cidr}) dropped it`,
    });
    expect(r.hops.at(-1)).toMatchObject({
      kind: 'acl',
      verdict: 'drop',
      at: { type: 'tier', id: w.app.networkId, name: w.app.name },
      ref: {
        type: 'aclRule',
        listId: 'app-acl',
        ruleId: w.ids.aclRules[20],
        number: 20,
        action: 'deny',
        trafficType: 'Ingress',
      },
    });
    const v = await direct(w, fromNic(web1, app1.ip, 5432));
    const a = agreement(r, v);
    expect(a.product, v.raw).toEqual(a.direct);
    expect(a.direct.dropStage).toBe('ls_out_acl');
  });

  it("says the list's implicit default denied it when no rule matched", async () => {
    const [web1] = w.webNics;
    const [app1] = w.appNics;
    const r = await traced(w, traceSpec(w, nicEndpoint(web1), nicEndpoint(app1), tcp(9999)));
    expect(r).toMatchObject({
      outcome: 'dropped',
      reason: 'AclDenied',
      message: 'no rule of ACL list app-acl matched: Ingress is denied by default',
    });
    expect(r.hops.at(-1)?.ref).toEqual({
      type: 'aclRule',
      listId: 'app-acl',
      ruleId: null,
      number: null,
      action: 'deny',
      trafficType: 'Ingress',
    });
    const v = await direct(w, fromNic(web1, app1.ip, 9999));
    const a = agreement(r, v);
    expect(a.product, v.raw).toEqual(a.direct);
  });

  it("drops at port security a packet whose source IP is not the NIC's", async () => {
    const [web1] = w.webNics;
    const [app1] = w.appNics;
    const spoofed = '10.1.250.99';
    const r = await traced(w, traceSpec(w, nicEndpoint(web1, { ip: spoofed }), nicEndpoint(app1), tcp(80)));
    expect(r).toMatchObject({ outcome: 'dropped', reason: 'PortSecurityDenied' });
    expect(r.hops).toEqual([
      expect.objectContaining({
        kind: 'portSecurity',
        verdict: 'drop',
        at: { type: 'tier', id: w.web.networkId, name: w.web.name },
        summary: `port security of NIC ${web1.nicId} dropped it: MAC ${web1.mac} and IP ${spoofed} are not the NIC's own`,
      }),
    ]);
    const v = await direct(w, fromNic(web1, app1.ip, 80, spoofed));
    const a = agreement(r, v);
    expect(a.product, v.raw).toEqual(a.direct);
    expect(a.direct.dropStage).toBe('ls_in_apply_port_sec');
  });
});

describe('OVN trace of an Egress rule', () => {
  // Last of the tier tests: it gives web a list of its own, where the others expect its fixed rows.
  it("names the source tier's Egress rule that denied it, before the router", async () => {
    const [web1] = w.webNics;
    const [app1] = w.appNics;
    const deny = aclRule(5, {
      action: 'deny',
      trafficType: 'Egress',
      portStart: 3306,
      portEnd: 3306,
      cidrs: [w.app.cidr],
    });
    await w.el.applyNetworkAcl?.(aclSpec(w.web, [deny], 'web-acl'), ctx());
    const r = await traced(w, traceSpec(w, nicEndpoint(web1), nicEndpoint(app1), tcp(3306)));
    expect(r).toMatchObject({
      outcome: 'dropped',
      reason: 'AclDenied',
      message: `ACL list web-acl rule 5 (deny tcp 3306 to ${w.app.cidr}) dropped it`,
    });
    expect(r.hops.map((h) => `${h.kind} ${h.verdict}`)).toEqual(['portSecurity pass', 'acl drop']);
    expect(r.hops[1]).toMatchObject({
      at: { type: 'tier', id: w.web.networkId },
      ref: { listId: 'web-acl', ruleId: deny.ruleId, number: 5, action: 'deny', trafficType: 'Egress' },
    });
    const v = await direct(w, fromNic(web1, app1.ip, 3306));
    const a = agreement(r, v);
    expect(a.product, v.raw).toEqual(a.direct);
    expect(a.direct.dropStage).toBe('ls_in_acl');
  });
});

describe('OVN trace availability', () => {
  it("answers 'unavailable' when ovn-trace is not on the PATH", async () => {
    const [web1] = w.webNics;
    const [app1] = w.appNics;
    // A new element: w.el's ovn-trace daemon, started by the tests above, would answer without the PATH.
    const el = createElement(w.nb.unixEndpoint, {
      gatewayChassis: 'gw1',
      southboundEndpoint: w.northd.sb.unixEndpoint,
    });
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const r = await el.trace?.(traceSpec(w, nicEndpoint(web1), nicEndpoint(app1), tcp(80)), ctx());
      expect(traceResultSchema.safeParse(r).success).toBe(true);
      expect(r).toMatchObject({
        outcome: 'unavailable',
        reason: 'TraceToolMissing',
        message: 'ovn-trace is not installed on this Netplane node (Debian package ovn-common)',
        hops: [],
        deliveredTo: null,
      });
    } finally {
      process.env.PATH = path;
      await el.close();
    }
  });

  it('offers no trace without a Southbound endpoint, and refuses an unknown spec version or source kind', async () => {
    const plain = createElement(w.nb.unixEndpoint, { gatewayChassis: 'gw1' });
    try {
      expect(plain.trace).toBeUndefined();
    } finally {
      await plain.close();
    }
    const [web1] = w.webNics;
    const spec = { ...traceSpec(w, nicEndpoint(web1), { kind: 'address', ip: '10.1.250.1' }, tcp(80)) };
    const err = await w.el.trace?.({ ...spec, version: 2 as 1 }, ctx()).catch((e: unknown) => e);
    expect(err).toMatchObject({ category: 'INVALID_REQUEST' });
    const fromAddress = { ...spec, source: { kind: 'address' as const, ip: '10.1.250.7' } };
    await expect(w.el.trace?.(fromAddress, ctx())).rejects.toMatchObject({ category: 'INVALID_REQUEST' });
  });
});
