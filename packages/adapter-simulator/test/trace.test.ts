// The simulator's trace() from its own tables, in-process and over HTTP (the same answer both ways): NetworkAclSpec's
// semantics (first match by number, Ingress default deny, Egress default allow, same tier never filtered, the fixed
// default_deny of a tier implemented with NetworkACL), port security on the port the controller holds, a TraceSpec
// version it does not know refused.
import { randomUUID } from 'node:crypto';
import {
  NETWORK_ACL_SPEC_VERSION,
  type NetworkAclRuleSpec,
  type NetworkElement,
  type NetworkSpec,
  type NicSpec,
  TRACE_SPEC_VERSION,
  type TraceSpec,
} from '@netplane/adapter-sdk';
import { DEFAULT_DENY_ACL_ID } from '@netplane/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorServer, startSimulatorServer } from '../src/index';
import { vpcSpec } from './fixtures';
import { ctx, inProcess, remoteElement } from './helpers';

let sim: SimulatorServer;
beforeAll(async () => {
  sim = await startSimulatorServer({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});

const rule = (number: number, o: Partial<NetworkAclRuleSpec>): NetworkAclRuleSpec => ({
  ruleId: randomUUID(),
  number,
  action: 'allow',
  protocol: 'tcp',
  trafficType: 'Ingress',
  portStart: 22,
  portEnd: 22,
  icmpType: null,
  icmpCode: null,
  cidrs: ['10.1.1.0/24'],
  ...o,
});

/** Two tiers (web 10.1.1.0/24 with NetworkACL, db 10.1.2.0/24 with NetworkACL), one NIC each. */
async function world(el: NetworkElement) {
  const vpc = vpcSpec();
  await el.implementVpc(vpc, ctx());
  const tier = (octet: number, vlan: number): NetworkSpec => ({
    vpcId: vpc.vpcId,
    networkId: randomUUID(),
    name: octet === 1 ? 'web' : 'db',
    cidr: `10.1.${octet}.0/24`,
    gateway: `10.1.${octet}.1`,
    isolation: { method: 'VLAN', segmentId: vlan },
    services: ['Connectivity', 'NetworkACL'],
  });
  const [web, db] = [tier(1, 131), tier(2, 132)];
  const nic = (net: NetworkSpec, host: number): NicSpec => ({
    nicId: randomUUID(),
    networkId: net.networkId,
    vpcId: vpc.vpcId,
    mac: `02:00:00:00:0${host}:01`,
    ip: net.cidr.replace('0/24', String(host)),
    vmName: `vm-${host}`,
  });
  for (const n of [web, db]) await el.implementNetwork(n, ctx());
  const [a, b, c] = [nic(web, 10), nic(web, 11), nic(db, 20)];
  for (const n of [a, b, c]) await el.prepareNic(n, ctx());
  const spec = (src: NicSpec, dst: NicSpec, port = 22): TraceSpec => ({
    version: TRACE_SPEC_VERSION,
    vpcId: vpc.vpcId,
    source: { kind: 'nic', nicId: src.nicId, networkId: src.networkId, mac: src.mac, ip: src.ip },
    destination: { kind: 'nic', nicId: dst.nicId, networkId: dst.networkId, mac: dst.mac, ip: dst.ip },
    flow: { protocol: 'tcp', port },
    tiers: [web, db].map((t) => ({ networkId: t.networkId, name: t.name, cidr: t.cidr, gateway: t.gateway })),
  });
  const applyDb = (rules: NetworkAclRuleSpec[]) =>
    el.applyNetworkAcl?.(
      {
        version: NETWORK_ACL_SPEC_VERSION,
        vpcId: vpc.vpcId,
        networkId: db.networkId,
        cidr: db.cidr,
        listId: 'list-db',
        listName: 'db',
        rules,
      },
      ctx(),
    );
  return { a, b, c, spec, applyDb };
}

describe.each([
  ['in-process', () => inProcess().element],
  ['over HTTP', () => remoteElement(sim.url)],
])('simulator trace %s', (_mode, element) => {
  it('applies the ACL semantics of NetworkAclSpec', async () => {
    const el = element();
    const { a, b, c, spec, applyDb } = await world(el);
    const trace = (s: TraceSpec) => el.trace?.(s, ctx());
    // Same tier: never filtered, even under default_deny.
    expect(await trace(spec(a, b))).toMatchObject({ outcome: 'delivered', tool: { name: 'simulator' } });
    // db implemented with NetworkACL and no list applied yet: the fixed default_deny.
    const fixed = await trace(spec(a, c));
    expect(fixed?.hops.at(-1)?.ref).toMatchObject({
      listId: DEFAULT_DENY_ACL_ID,
      ruleId: null,
      action: 'deny',
    });
    // First match by number, whatever the order of the rules in the spec.
    await applyDb([rule(20, { action: 'allow' }), rule(10, { action: 'deny' })]);
    const first = await trace(spec(a, c));
    expect(first).toMatchObject({ outcome: 'dropped', reason: 'AclDenied' });
    expect(first?.hops.at(-1)?.ref).toMatchObject({ listId: 'list-db', number: 10, action: 'deny' });
    // No Ingress rule matches another port: the implicit deny; the web tier's Egress (no rule) lets it out.
    const other = await trace(spec(a, c, 80));
    expect(other?.hops.map((h) => `${h.kind}:${h.verdict}`)).toEqual([
      'portSecurity:pass',
      'acl:pass',
      'route:pass',
      'acl:drop',
    ]);
    expect(other?.hops.at(-1)?.ref).toMatchObject({ ruleId: null, action: 'deny', trafficType: 'Ingress' });
    // An Egress deny of the source tier's list stops it before routing; the reply direction is not traced (stateful).
    await applyDb([rule(5, { trafficType: 'Egress', action: 'deny', cidrs: ['10.1.1.0/24'] })]);
    const egress = await trace(spec(c, a));
    expect(egress?.hops.at(-1)).toMatchObject({ kind: 'acl', ref: { number: 5, trafficType: 'Egress' } });
  });

  it('drops a packet whose source does not match the port, and refuses an unknown spec version', async () => {
    const el = element();
    const { a, b, spec } = await world(el);
    const spoofed = spec(a, b);
    if (spoofed.source.kind === 'nic') spoofed.source.ip = '10.1.1.99';
    expect(await el.trace?.(spoofed, ctx())).toMatchObject({
      outcome: 'dropped',
      reason: 'PortSecurityDenied',
    });
    await expect(el.trace?.({ ...spec(a, b), version: 99 as never }, ctx())).rejects.toMatchObject({
      category: 'INVALID_REQUEST',
    });
  });
});
