// Shared by the engine's ovn-trace files (trace-ovn.test.ts, trace-acl-ovn.test.ts; trace-gateway.ts for the gateway
// ones): the OVN world they start (with ovn-northd), the packets they send, the way a failed verdict is shown, and the
// Northbound rows and Southbound flows of ours left after a teardown.
import { EXT, names } from '@netplane/adapter-ovn';
import { ovnTrace, type TracePacket, type TraceVerdict } from '@netplane/ovsdb/testing';
import { findNb, type OvnWorld, type OvnWorldOptions } from './ovn-world';

export const TRACE_PROVIDER: OvnWorldOptions = {
  provider: 'ovn-trace',
  services: ['Connectivity', 'Dhcp', 'NetworkACL'],
  config: { localnetNetworkName: 'physnet1' },
  northd: true,
};

export type Nic = { id: string; mac: string; ip: string };

export function northdOf(ovn: OvnWorld) {
  if (!ovn.northd) throw new Error('the world was started without northd');
  return ovn.northd;
}

/** The first `n` NICs, checked present (so the rest of the test reads them without `?`). */
export function two(nics: readonly Nic[], n = 2): [Nic, Nic] {
  const [a, b] = nics;
  if (!a || (n > 1 && !b)) throw new Error(`expected ${n} NICs, got ${nics.length}`);
  return [a, b ?? a];
}

export const trace = (ovn: OvnWorld, p: TracePacket) => ovnTrace(northdOf(ovn), p);

/** A readable failure: the verdict without the raw output, then the raw output. */
export const explain = (v: TraceVerdict) =>
  `${JSON.stringify({ delivered: v.delivered, dropped: v.dropped, dhcp: v.dhcpOffer })}\n${v.raw}`;

export type TcpOptions = Partial<{ ip4Src: string; ethSrc: string; ethDst: string; dstPort: number }>;

/**
 * TCP (to port 80 unless told) from NIC `from`, entering its tier's switch `tierId`, to NIC `to`: addressed to `to`'s
 * MAC in the same tier, or to the tier's router port MAC (`ethDst`) for another tier.
 */
export const tcp = (tierId: string, from: Nic, to: Nic, over: TcpOptions = {}) =>
  ({
    datapath: names.switch(tierId),
    inport: names.nicPort(from.id),
    ethSrc: over.ethSrc ?? from.mac,
    ethDst: over.ethDst ?? to.mac,
    kind: 'ip4',
    ip4Src: over.ip4Src ?? from.ip,
    ip4Dst: to.ip,
    proto: 'tcp',
    dstPort: over.dstPort ?? 80,
  }) as const;

/** A DHCPDISCOVER from the NIC on its tier's switch. */
export const dhcpDiscover = (tierId: string, nic: Nic): TracePacket => ({
  datapath: names.switch(tierId),
  inport: names.nicPort(nic.id),
  ethSrc: nic.mac,
  ethDst: 'ff:ff:ff:ff:ff:ff',
  kind: 'dhcpDiscover',
});

// Every Northbound table we write a row of (the gateway's route and chassis only for a VPC with a gateway).
const TABLES = [
  'Logical_Switch',
  'Logical_Switch_Port',
  'Logical_Router',
  'Logical_Router_Port',
  'Logical_Router_Static_Route',
  'Gateway_Chassis',
  'DHCP_Options',
  'Port_Group',
  'ACL',
  'NAT',
  'Load_Balancer',
];

/** The Northbound tables holding a row tagged with the VPC's id (every row we write carries it). */
export async function ourNbRows(ovn: OvnWorld, vpcId: string): Promise<string[]> {
  const found: string[] = [];
  for (const table of TABLES) {
    const rows = await findNb(ovn, table, '_uuid', `external_ids:"${EXT.vpcId}"="${vpcId}"`);
    if (rows.trim() !== '') found.push(table);
  }
  return found;
}

/**
 * Southbound rows northd made from ours: datapaths of our switches and router (the external switch included, when the
 * VPC has a gateway), port bindings of our ports (the gateway's chassis-redirect port cr-… included), MAC bindings on
 * our gateway port, and logical flows on our datapaths or naming one of our ports or the tiers' port groups.
 */
export async function ourFlows(ovn: OvnWorld, vpcId: string, tierIds: string[], nicIds: string[]) {
  const northd = northdOf(ovn);
  const ourNames = [names.router(vpcId), names.externalSwitch(vpcId), ...tierIds.map(names.switch)];
  const datapaths = (
    await northd.sbctl(['--bare', '--columns=_uuid,external_ids', 'list', 'Datapath_Binding'])
  )
    .split('\n\n')
    .filter((block) => ourNames.some((n) => block.includes(n)))
    .map((block) => block.trim().split('\n')[0] ?? '');
  const gatewayPorts = [
    names.gatewayPort(vpcId),
    `cr-${names.gatewayPort(vpcId)}`,
    names.externalRouterPort(vpcId),
    names.externalLocalnetPort(vpcId),
  ];
  const ports = [
    ...gatewayPorts,
    ...tierIds.flatMap((t) => [names.routerPort(t), names.switchRouterPort(t)]),
    ...nicIds.map(names.nicPort),
  ];
  const bindings = (await northd.sbctl(['--bare', '--columns=logical_port', 'list', 'Port_Binding']))
    .split('\n')
    .filter((p) => ports.includes(p.trim()));
  const macs = (await northd.sbctl(['--bare', '--columns=logical_port', 'list', 'MAC_Binding']))
    .split('\n')
    .filter((p) => ports.includes(p.trim()));
  const flows = (await northd.sbctl(['--bare', '--columns=logical_datapath,match', 'list', 'Logical_Flow']))
    .split('\n\n')
    .filter(
      (block) =>
        datapaths.some((d) => block.includes(d)) ||
        ports.some((p) => block.includes(`"${p}"`)) ||
        tierIds.some((t) => block.includes(names.portGroup(t))),
    );
  return [
    ...datapaths.map((d) => `datapath ${d}`),
    ...bindings.map((p) => `port ${p}`),
    ...macs.map((p) => `mac ${p}`),
    ...flows,
  ];
}
