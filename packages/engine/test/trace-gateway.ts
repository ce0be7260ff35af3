// Test support for tracing packets through a VPC's OVN gateway: the world (a gateway chassis in the controller
// config and registered in the Southbound database, a public range and Public label) handed to a test as a
// GatewayWorld with its OVN world bound in; its VPCs with the packets from a NIC or from the public network; traces
// whose verdict reads what the router did (SNAT source, DNAT target, LB backends); with trace-support.ts's helpers
// for what is left after a teardown (Northbound rows and Southbound flows of ours) re-exported.
import { gatewayPortMac, names, routerPortMac } from '@netplane/adapter-ovn';
import { publicIpsRepo } from '@netplane/db';
import type { TracePacket, TraceVerdict } from '@netplane/ovsdb/testing';
import { beforeAll } from 'vitest';
import { implementWithNics } from './edge';
import { describeOvnWorld, type OvnWorld, type OvnWorldOptions } from './ovn-world';
import { explain, type Nic, northdOf, trace } from './trace-support';

// The trace helpers every OVN trace test uses, so a gateway test imports its world from one place.
export { type Nic, northdOf, ourFlows, ourNbRows } from './trace-support';

export const GATEWAY_CHASSIS = 'gw1';
export const PUBLIC = {
  cidr: '203.0.113.0/24',
  gateway: '203.0.113.1',
  vlan: 300,
  startIp: '203.0.113.2',
  endIp: '203.0.113.40',
  label: 'public',
};
/** The upstream router's MAC, as if it had answered the gateway port's ARP. */
export const UPSTREAM_MAC = '02:aa:bb:cc:dd:01';
export const OUTSIDE = '8.8.8.8';

// No NetworkACL: the tier's default ACL admits only its own CIDR; ACLs are traced in trace-acl*.
export const GATEWAY_PROVIDER: OvnWorldOptions = {
  provider: 'ovn-gateway',
  services: ['Connectivity', 'Dhcp', 'SourceNat', 'StaticNat', 'Lb', 'PortForwarding'],
  config: { localnetNetworkName: 'physnet1', gatewayChassis: GATEWAY_CHASSIS },
  publicNetwork: PUBLIC,
  northd: true,
};

/** The chassis the controller config names, as ovn-controller on a gateway node would register it. */
export async function registerGatewayChassis(ovn: OvnWorld): Promise<void> {
  await northdOf(ovn).sbctl(['chassis-add', GATEWAY_CHASSIS, 'geneve', '127.0.0.1']);
}

/**
 * A gateway test's world, its OVN world bound in: VPCs on the gateway offering (10.<net>.0.0/16, `net` counting up
 * from the file's own first), public addresses, and traces whose verdict says what the gateway did to the packet.
 */
export interface GatewayWorld {
  readonly ovn: OvnWorld;
  vpc(web: number, app: number): Promise<GatewayVpc>;
  acquire(vpcId: string): Promise<{ id: string; address: string }>;
  trace(p: TracePacket): Promise<GatewayVerdict>;
  learnUpstreamMac(vpcId: string): Promise<void>;
}

/**
 * describeOvnWorld on GATEWAY_PROVIDER, with its gateway chassis registered in the Southbound database first; its
 * VPCs are numbered from `firstNet` (each file its own range, so their CIDRs read apart in a failure).
 */
export function describeGatewayWorld(name: string, firstNet: number, fn: (gw: GatewayWorld) => void): void {
  describeOvnWorld(name, GATEWAY_PROVIDER, (ovn) => {
    beforeAll(async () => registerGatewayChassis(ovn));
    let net = firstNet;
    fn({
      ovn,
      vpc: (web, app) => gatewayVpc(ovn, net++, web, app),
      acquire: (vpcId) => acquireFor(ovn, vpcId),
      trace: async (p) => readGateway(await trace(ovn, p)),
      learnUpstreamMac: (vpcId) => learnUpstreamMac(ovn, vpcId),
    });
  });
}

/**
 * A MAC_Binding of the range's gateway on the VPC's gateway port: what ovn-controller learns from the upstream
 * router's ARP reply. Without it the trace of an egress packet ends in the ARP request for the next hop.
 */
async function learnUpstreamMac(ovn: OvnWorld, vpcId: string): Promise<void> {
  const northd = northdOf(ovn);
  await northd.sync();
  const dp = (
    await northd.sbctl([
      '--bare',
      '--columns=_uuid',
      'find',
      'Datapath_Binding',
      `external_ids:name=${names.router(vpcId)}`,
    ])
  ).trim();
  if (!dp) throw new Error(`no datapath for the router of VPC ${vpcId}`);
  await northd.sbctl([
    'create',
    'MAC_Binding',
    `logical_port=${names.gatewayPort(vpcId)}`,
    `ip=${PUBLIC.gateway}`,
    `mac="${UPSTREAM_MAC}"`,
    `datapath=${dp}`,
  ]);
}

/** Acquires a public address of the zone's range for the VPC, as publicIps.acquire does. */
async function acquireFor(ovn: OvnWorld, vpcId: string): Promise<{ id: string; address: string }> {
  const r = await publicIpsRepo.acquirePublicIp(ovn.w.db.db, {
    zoneId: ovn.w.zoneId,
    vpcId,
    purpose: 'User',
    acquiredBy: 't',
    now: Date.now(),
  });
  if (!r.ok) throw new Error(`no public IP: ${r.reason}`);
  return { id: r.ip.id, address: r.ip.address };
}

function nicsOf(nics: readonly Nic[], n: number): Nic[] {
  if (nics.length < n) throw new Error(`expected ${n} NICs, got ${nics.length}`);
  return nics.slice(0, n);
}

/** A gateway VPC with the packets its tests send and where they leave, its ids bound in. */
export type GatewayVpc = Awaited<ReturnType<typeof gatewayVpc>>;

/**
 * A VPC 10.<net>.0.0/16 with tiers web (`web` NICs) and app (`app` NICs) on the world's gateway offering, implemented,
 * its upstream router's MAC learned; `snat` is its source-NAT address.
 */
async function gatewayVpc(ovn: OvnWorld, net: number, web: number, app: number) {
  const vpc = await ovn.engine.createVpc(
    { name: `vpc-${net}`, zoneId: ovn.w.zoneId, offeringId: ovn.vpcOfferingId, cidr: `10.${net}.0.0/16` },
    't',
  );
  const tier = async (name: string, third: number) =>
    ovn.engine.createTier(
      { vpcId: vpc.id, name, offeringId: ovn.offeringId, cidr: `10.${net}.${third}.0/24` },
      't',
    );
  const [webTier, appTier] = [await tier('web', 1), await tier('app', 2)];
  const webNics = nicsOf(await implementWithNics(ovn.engine, webTier.id, web), web);
  const appNics = nicsOf(await implementWithNics(ovn.engine, appTier.id, app), app);
  const snat = (await publicIpsRepo.sourceNatOf(ovn.w.db.db, vpc.id))?.address;
  if (!snat) throw new Error('the VPC got no source-NAT address');
  await learnUpstreamMac(ovn, vpc.id);
  const tierOf = (nic: Nic) => (webNics.includes(nic) ? webTier.id : appTier.id);
  return {
    vpc,
    webTier,
    appTier,
    webNics,
    appNics,
    snat,
    /** TCP from one of the VPC's NICs (on its own tier) to `dst`. */
    fromNic: (nic: Nic, dst: string, dstPort?: number) => fromNic(tierOf(nic), nic, dst, dstPort),
    /** TCP from the public network to `dst`. */
    fromOutside: (dst: string, dstPort?: number) => fromOutside(vpc.id, dst, dstPort),
    /** Where a packet leaves to the public network. */
    toPublic: toPublic(vpc.id),
  };
}

/** TCP from a NIC of a tier to `dst` (routed: to the tier's router port MAC). */
const fromNic = (tierId: string, nic: Nic, dst: string, dstPort = 80): TracePacket => ({
  datapath: names.switch(tierId),
  inport: names.nicPort(nic.id),
  ethSrc: nic.mac,
  ethDst: routerPortMac(tierId),
  kind: 'ip4',
  ip4Src: nic.ip,
  ip4Dst: dst,
  proto: 'tcp',
  dstPort,
});

/** TCP from the public network to `dst`, entering the VPC's external switch on its localnet port. */
const fromOutside = (vpcId: string, dst: string, dstPort = 80): TracePacket => ({
  datapath: names.externalSwitch(vpcId),
  inport: names.externalLocalnetPort(vpcId),
  ethSrc: UPSTREAM_MAC,
  ethDst: gatewayPortMac(vpcId),
  kind: 'ip4',
  ip4Src: OUTSIDE,
  ip4Dst: dst,
  proto: 'tcp',
  dstPort,
});

/** The arguments of the first action of `stage` that starts with one of `calls`, e.g. ct_snat_in_czone(…). */
function argsOf(v: TraceVerdict, stage: string, calls: readonly string[]): string | undefined {
  for (const s of v.stages.filter((x) => x.stage === stage)) {
    for (const a of s.actions) {
      const m = /^(\w+)\((.*)\);$/.exec(a);
      if (m && calls.includes(m[1] ?? '')) return m[2];
    }
  }
  return undefined;
}
/** The source address the router's SNAT stage gave the packet, if any. */
const snatSourceOf = (v: TraceVerdict) => argsOf(v, 'lr_out_snat', ['ct_snat', 'ct_snat_in_czone']);
/** The destination the router's DNAT stage rewrote the packet to (static NAT), if any. */
const dnatTargetOf = (v: TraceVerdict) => argsOf(v, 'lr_in_dnat', ['ct_dnat', 'ct_dnat_in_czone']);
/** The backends the router's load balancer chose among (`ip:port` list), if the packet hit a VIP there. */
const lbBackendsOf = (v: TraceVerdict) =>
  argsOf(v, 'lr_in_dnat', ['ct_lb', 'ct_lb_mark'])
    ?.replace(/^backends=/, '')
    .split(';')[0]
    ?.split(',');

/** The backends a tier switch's load balancer chose among (a client on the rule's own tier meets it there first). */
const switchLbBackendsOf = (v: TraceVerdict) =>
  argsOf(v, 'ls_in_lb', ['ct_lb', 'ct_lb_mark'])
    ?.replace(/^backends=/, '')
    .split(';')[0]
    ?.split(',');
/** Where the packet left the OVN topology to the public network: the gateway's localnet port. */
const toPublic = (vpcId: string) => [{ port: names.externalLocalnetPort(vpcId), type: 'localnet' }];
export const toNic = (nic: Nic) => [{ port: names.nicPort(nic.id), type: '' }];

/** A trace's verdict, what the gateway did to the packet read out of it, and `why` (the verdict shown) for a failure. */
export type GatewayVerdict = TraceVerdict & {
  why: string;
  snatSource: string | undefined;
  dnatTarget: string | undefined;
  lbBackends: string[] | undefined;
  switchLbBackends: string[] | undefined;
};

const readGateway = (v: TraceVerdict): GatewayVerdict => ({
  ...v,
  why: explain(v),
  snatSource: snatSourceOf(v),
  dnatTarget: dnatTargetOf(v),
  lbBackends: lbBackendsOf(v),
  switchLbBackends: switchLbBackendsOf(v),
});
