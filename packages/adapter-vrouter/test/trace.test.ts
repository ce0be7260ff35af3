// trace() against real packets: for the flows of acl.test.ts (tcp/5432 web→db allowed, tcp/22 denied, ICMP both ways,
// inside a tier, an Egress deny, another VPC), the trace's verdict is what a real connect or ping between the VM
// namespaces does, its hops name the ACL list rule that decided, and every answer is the API's TraceResult.
import { randomUUID } from 'node:crypto';
import type { NicSpec, TraceFlow, TraceResult } from '@netplane/adapter-sdk';
import { traceResultSchema } from '@netplane/domain';
import { describe, expect, it } from 'vitest';
import { pings } from '../src/testing';
import { connects, ctx, list, nicEnd, nicOf, rule, serve, tier, traceSpec, useHost, vm } from './fixtures';

const h = useHost('trace');

describe('trace on a real router host agrees with real packets', () => {
  it('gives the verdict a real connect or ping gives, hop by hop named by the ACL rules', async () => {
    const [vpcA, vpcB] = [randomUUID(), randomUUID()];
    const web = tier(vpcA, 1, h.vlan, 'web');
    const db = tier(vpcA, 2, h.vlan + 1, 'db');
    const other = tier(vpcB, 3, h.vlan + 2, 'other');
    await h.el.implementVpc({ vpcId: vpcA, name: 'a', cidr: '10.7.0.0/16' }, ctx());
    await h.el.implementVpc({ vpcId: vpcB, name: 'b', cidr: '10.7.0.0/16' }, ctx());
    for (const n of [web, db, other]) await h.el.implementNetwork(n, ctx());
    const [w, w2, d, o] = [nicOf(web, 1), nicOf(web, 2, 11), nicOf(db, 3), nicOf(other, 4)];
    await h.el.prepareNics([w, w2], ctx());
    for (const n of [d, o]) await h.el.prepareNic(n, ctx());
    const ns = new Map<NicSpec, string>();
    for (const [n, name] of [
      [w, 'web'],
      [w2, 'web2'],
      [d, 'db'],
      [o, 'other'],
    ] as const)
      ns.set(n, await vm(h, n, name));
    for (const n of [w, w2, d, o]) await serve(ns.get(n) as string, [22, 5432]);

    const dbRules = [
      rule(10, { portStart: 5432, portEnd: 5432, cidrs: [web.cidr] }),
      rule(15, { action: 'deny', protocol: 'icmp' }),
      rule(20, { action: 'deny', portStart: 22, portEnd: 22 }),
      rule(30, { protocol: 'all' }),
    ];
    const webRules = [rule(1, { protocol: 'icmp', icmpType: 8, icmpCode: -1, cidrs: [db.cidr] })];
    await h.el.applyNetworkAcl?.(list(db, 'db-acl', dbRules), ctx());
    await h.el.applyNetworkAcl?.(list(web, 'web-acl', webRules), ctx());

    const tcp = (port: number): TraceFlow => ({ protocol: 'tcp', port });
    const echo: TraceFlow = { protocol: 'icmp', icmpType: 8, icmpCode: 0 };
    const real = (from: NicSpec, to: NicSpec, f: TraceFlow) =>
      f.protocol === 'icmp'
        ? pings(ns.get(from) as string, to.ip)
        : connects(ns.get(from) as string, to.ip, f.port);
    const trace = async (from: NicSpec, to: NicSpec, f: TraceFlow, tiers = [web, db]): Promise<TraceResult> =>
      traceResultSchema.parse(
        await h.el.trace?.(
          traceSpec(
            tiers,
            nicEnd(from),
            to.vpcId === from.vpcId ? nicEnd(to) : { kind: 'address', ip: to.ip },
            f,
          ),
          ctx(),
        ),
      );
    const aclRef = (t: TraceResult) =>
      t.hops
        .filter((x) => x.kind === 'acl')
        .map((x) =>
          x.ref?.type === 'aclRule' ? `${x.ref.listId}:${x.ref.number ?? 'default'}:${x.verdict}` : x.summary,
        );

    // The forward chain jumps into the tiers' chains in the order of their ids, so which of the source tier's Egress
    // and the destination tier's Ingress comes first varies; the one that decides is the one named here.
    const flows: [string, NicSpec, NicSpec, TraceFlow, boolean, string | null][] = [
      ['web→db tcp/5432', w, d, tcp(5432), true, 'db-acl:10:pass'],
      ['web→db tcp/22', w, d, tcp(22), false, 'db-acl:20:drop'],
      ['web→db ping', w, d, echo, false, 'db-acl:15:drop'],
      ['db→web ping', d, w, echo, true, 'web-acl:1:pass'],
      ['db→web tcp/22', d, w, tcp(22), false, 'web-acl:default:drop'],
      ['web→web2 tcp/22 (same tier)', w, w2, tcp(22), true, null],
      ['web→other VPC ping', w, o, echo, false, null],
      ['web→other VPC tcp/22', w, o, tcp(22), false, null],
    ];
    for (const [what, from, to, f, want, decisive] of flows) {
      const [t, got] = [await trace(from, to, f), await real(from, to, f)];
      expect({ what, real: got }).toEqual({ what, real: want });
      expect({ what, outcome: t.outcome }).toEqual({ what, outcome: want ? 'delivered' : 'dropped' });
      const acls = aclRef(t);
      if (decisive === null) expect({ what, acls }).toEqual({ what, acls: [] });
      else if (want) expect({ what, acls }).toEqual({ what, acls: expect.arrayContaining([decisive]) });
      else expect({ what, last: acls.at(-1) }).toEqual({ what, last: decisive });
      if (want)
        expect(t.deliveredTo).toEqual({
          nicId: to.nicId,
          ip: to.ip,
          port: f.protocol === 'icmp' ? null : f.port,
        });
      else expect(t.reason, what).toBe(decisive ? 'AclDenied' : 'NoRoute');
    }
    // The hops say where: the source tier, its gateway, the router, both tiers' lists, the NIC.
    const ok = await trace(w, d, tcp(5432));
    expect(ok.hops.map((x) => `${x.kind}@${x.at.type}:${x.verdict}`)).toEqual([
      'switch@tier:pass',
      'route@router:pass',
      'acl@tier:pass',
      'acl@tier:pass',
      'deliver@tier:pass',
    ]);
    expect(ok.hops.find((x) => x.ref?.type === 'aclRule' && x.ref.listId === 'db-acl')?.ref).toEqual({
      type: 'aclRule',
      listId: 'db-acl',
      ruleId: dbRules[0]?.ruleId,
      number: 10,
      action: 'allow',
      trafficType: 'Ingress',
    });
    expect(ok.hops.find((x) => x.ref?.type === 'aclRule' && x.ref.listId === 'web-acl')?.ref).toMatchObject({
      ruleId: null,
      action: 'allow',
      trafficType: 'Egress',
    });
    expect(ok.tool.name).toBe('nft-eval');

    // web's Egress denies 5432 anywhere: the source tier's Egress decides before db's Ingress would allow it.
    const egress = [
      ...webRules,
      rule(2, { action: 'deny', trafficType: 'Egress', portStart: 5432, portEnd: 5432 }),
    ];
    await h.el.applyNetworkAcl?.(list(web, 'web-egress', egress), ctx());
    const denied = await trace(w, d, tcp(5432));
    expect(await real(w, d, tcp(5432))).toBe(false);
    expect([denied.outcome, denied.reason, aclRef(denied).at(-1)]).toEqual([
      'dropped',
      'AclDenied',
      'web-egress:2:drop',
    ]);
  });
});
