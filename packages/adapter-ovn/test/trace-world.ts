// The world of the trace tests: a Northbound server with ovn-northd and its Southbound server, the gateway chassis
// registered as ovn-controller would, and one VPC with tiers web and app made through the adapter (an ACL list on app,
// a static NAT, a load balancer and a port forwarding to app's NICs), plus the specs the engine would send and the
// same packets built by hand for ovn-trace run directly.
import { randomUUID } from 'node:crypto';
import type {
  NetworkElement,
  NetworkSpec,
  NicSpec,
  TraceEndpointSpec,
  TraceFlow,
  TraceResult,
  TraceSpec,
} from '@netplane/adapter-sdk';
import { type Service, traceResultSchema } from '@netplane/domain';
import {
  type NorthdHandle,
  type OvsdbServerHandle,
  ovnTrace,
  startNorthd,
  startOvsdbServer,
  type TracePacket,
  type TraceVerdict,
} from '@netplane/ovsdb/testing';
import { gatewayPortMac, names, routerPortMac } from '../src';
import { aclRule, aclSpec, networkSpec, nicSpec, vpcSpec } from './fixtures';
import { createElement, ctx } from './support';

export const PUBLIC = { cidr: '203.0.113.0/24', gateway: '203.0.113.1', vlan: 300, trafficLabel: 'public' };
export const SNAT_IP = '203.0.113.2';
export const STATIC_NAT_IP = '203.0.113.10';
export const LB_IP = '203.0.113.11';
export const PF_IP = '203.0.113.12';
export const OUTSIDE = '8.8.8.8';
const SERVICES: Service[] = [
  'Connectivity',
  'Dhcp',
  'NetworkACL',
  'SourceNat',
  'StaticNat',
  'Lb',
  'PortForwarding',
];

export type TraceWorld = {
  nb: OvsdbServerHandle;
  northd: NorthdHandle;
  el: NetworkElement;
  web: NetworkSpec;
  app: NetworkSpec;
  webNics: [NicSpec, NicSpec];
  appNics: [NicSpec, NicSpec];
  /** The ids of the rules applied: app's ACL list (rules by number), static NAT, LB, port forwarding. */
  ids: { aclList: string; aclRules: Record<number, string>; staticNat: string; lb: string; pf: string };
  dispose(): Promise<void>;
};

export async function startTraceWorld(): Promise<TraceWorld> {
  const nb = await startOvsdbServer();
  const northd = await startNorthd(nb);
  await northd.sbctl(['chassis-add', 'gw1', 'geneve', '127.0.0.1']);
  const el = createElement(nb.unixEndpoint, {
    gatewayChassis: 'gw1',
    southboundEndpoint: northd.sb.unixEndpoint,
  });
  const vpc = vpcSpec();
  const tier = (): NetworkSpec => ({
    ...networkSpec(vpc, SERVICES),
    sourceNatIp: SNAT_IP,
    publicNetwork: PUBLIC,
  });
  const [web, app] = [tier(), tier()];
  await el.implementVpc(vpc, ctx());
  await el.implementNetwork(web, ctx());
  await el.implementNetwork(app, ctx());
  const webNics: [NicSpec, NicSpec] = [nicSpec(web, 1), nicSpec(web, 2)];
  const appNics: [NicSpec, NicSpec] = [nicSpec(app, 1), nicSpec(app, 2)];
  await el.prepareNics([...webNics, ...appNics], ctx());
  const everywhere = ['0.0.0.0/0'];
  const rules = [
    aclRule(10, { portStart: 80, portEnd: 80, cidrs: everywhere }),
    aclRule(20, { action: 'deny', portStart: 5432, portEnd: 5432, cidrs: [web.cidr] }),
    aclRule(30, { portStart: 22, portEnd: 22, cidrs: everywhere }),
    aclRule(40, { portStart: 8080, portEnd: 8080, cidrs: everywhere }),
  ];
  await el.applyNetworkAcl?.(aclSpec(app, rules, 'app-acl'), ctx());
  const [a1, a2] = appNics;
  const ids = {
    aclList: 'app-acl',
    aclRules: Object.fromEntries(rules.map((r) => [r.number, r.ruleId])),
    staticNat: randomUUID(),
    lb: randomUUID(),
    pf: randomUUID(),
  };
  const rule = { vpcId: vpc.vpcId, networkId: app.networkId };
  await el.applyStaticNat?.(
    { ...rule, ruleId: ids.staticNat, nicId: a1.nicId, publicIp: STATIC_NAT_IP, privateIp: a1.ip },
    ctx(),
  );
  await el.applyLbRule?.(
    {
      ...rule,
      ruleId: ids.lb,
      name: 'web',
      publicIp: LB_IP,
      publicPort: 80,
      privatePort: 8080,
      protocol: 'tcp',
      algorithm: 'source',
      members: appNics.map((n) => ({ nicId: n.nicId, ip: n.ip })),
    },
    ctx(),
  );
  await el.applyPortForwarding?.(
    {
      ...rule,
      version: 1,
      ruleId: ids.pf,
      nicId: a2.nicId,
      publicIp: PF_IP,
      privateIp: a2.ip,
      protocol: 'tcp',
      publicPortStart: 2222,
      publicPortEnd: 2222,
      privatePortStart: 22,
      privatePortEnd: 22,
    },
    ctx(),
  );
  return {
    nb,
    northd,
    el,
    web,
    app,
    webNics,
    appNics,
    ids,
    dispose: async () => {
      await el.close();
      await northd.dispose();
      await nb.dispose();
    },
  };
}

export const nicEndpoint = (
  n: NicSpec,
  over: Partial<{ mac: string; ip: string }> = {},
): TraceEndpointSpec => ({
  kind: 'nic',
  nicId: n.nicId,
  networkId: n.networkId,
  mac: over.mac ?? n.mac,
  ip: over.ip ?? n.ip,
});

export const tcp = (port: number): TraceFlow => ({ protocol: 'tcp', port });

export function traceSpec(
  w: TraceWorld,
  source: TraceEndpointSpec,
  destination: TraceEndpointSpec,
  flow: TraceFlow,
): TraceSpec {
  return {
    version: 1,
    vpcId: w.web.vpcId,
    source,
    destination,
    flow,
    tiers: [w.web, w.app].map((t) => ({
      networkId: t.networkId,
      name: t.name,
      cidr: t.cidr,
      gateway: t.gateway,
    })),
    publicNetwork: { ...PUBLIC, sourceNatIp: SNAT_IP },
  };
}

/**
 * A MAC_Binding of the public range's gateway on the VPC's gateway port, as ovn-controller learns it from the upstream
 * router's ARP reply: without it a packet to the outside ends in the router's ARP request, before source NAT.
 */
export async function learnUpstreamMac(w: TraceWorld): Promise<void> {
  await w.northd.sync();
  const router = names.router(w.web.vpcId);
  const dp = (
    await w.northd.sbctl([
      '--bare',
      '--columns=_uuid',
      'find',
      'Datapath_Binding',
      `external_ids:name=${router}`,
    ])
  ).trim();
  if (!dp) throw new Error(`no datapath for ${router}`);
  await w.northd.sbctl([
    'create',
    'MAC_Binding',
    `logical_port=${names.gatewayPort(w.web.vpcId)}`,
    `ip=${PUBLIC.gateway}`,
    'mac="02:aa:bb:cc:dd:01"',
    `datapath=${dp}`,
  ]);
}

/** The element's trace, after northd compiled everything written so far, checked against the API's schema. */
export async function traced(w: TraceWorld, spec: TraceSpec): Promise<TraceResult> {
  await w.northd.sync();
  const r = await w.el.trace?.(spec, ctx());
  if (!r) throw new Error('the element offers no trace');
  // What crosses the API: the domain's schema must accept it as it is.
  return traceResultSchema.parse(r);
}

/** tcp/`port` from a NIC to another tier's `dstIp`, as the NIC sends it (to its tier's router port), built by hand. */
export const fromNic = (n: NicSpec, dstIp: string, port: number, ip4Src = n.ip): TracePacket => ({
  datapath: names.switch(n.networkId),
  inport: names.nicPort(n.nicId),
  ethSrc: n.mac,
  ethDst: routerPortMac(n.networkId),
  kind: 'ip4',
  ip4Src,
  ip4Dst: dstIp,
  proto: 'tcp',
  srcPort: 49152,
  dstPort: port,
});

/** tcp/`port` from the public network to `dstIp`, entering the external switch on its localnet port. */
export const fromOutside = (w: TraceWorld, dstIp: string, port: number): TracePacket => ({
  datapath: names.externalSwitch(w.web.vpcId),
  inport: names.externalLocalnetPort(w.web.vpcId),
  ethSrc: '02:00:00:00:00:fe',
  ethDst: gatewayPortMac(w.web.vpcId),
  kind: 'ip4',
  ip4Src: OUTSIDE,
  ip4Dst: dstIp,
  proto: 'tcp',
  srcPort: 49152,
  dstPort: port,
});

/** ovn-trace run directly, with a conntrack answer of `new` for each lookup of the connection's first packet. */
export const direct = (w: TraceWorld, p: TracePacket, lbDst?: string): Promise<TraceVerdict> =>
  ovnTrace(w.northd, p, { ctNew: 16, ...(lbDst ? { lbDst } : {}) });

/** The product's verdict and the direct run's, in the same terms: where it went, or the stage that dropped it. */
export function agreement(r: TraceResult, v: TraceVerdict) {
  const drop = r.hops.find((h) => h.verdict === 'drop');
  return {
    product: {
      outcome: r.outcome,
      delivered: r.hops.filter((h) => h.kind === 'deliver').length,
      dropStage: drop?.evidence[0]?.split(' ')[1],
    },
    direct: {
      outcome: v.delivered.length > 0 ? 'delivered' : 'dropped',
      delivered: v.delivered.length,
      dropStage: v.dropped?.stage,
    },
  };
}
