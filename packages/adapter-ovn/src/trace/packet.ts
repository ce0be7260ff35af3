// The packet a TraceSpec describes, as ovn-trace's microflow: built from Netplane's own MACs and IPs and the MACs the
// Northbound database gave the router ports, entering where such a packet really enters OVN (the NIC's port, or the
// VPC's external switch on its localnet port for one from the public network).
import { AdapterError, type TraceSpec } from '@netplane/adapter-sdk';
import type { TracePacket } from '@netplane/ovsdb';
import { names } from '../names';
import type { VpcView } from './view';

/** The upstream router's MAC as the gateway would have learned it; ovn-trace does not check it (no port security). */
export const UPSTREAM_MAC = '02:00:00:00:00:fe';
/** The source port of a tcp/udp flow that does not give one: the first of the IANA ephemeral range. */
export const EPHEMERAL_PORT = 49152;

export type BuiltPacket = {
  packet: TracePacket;
  /** ct_lb's backend for ovn-trace (it picks at random among several): the first of the VIP's, as hops report it. */
  lbDst?: string;
};
/** Why the packet cannot be traced at all: the result's reason and message. */
export type NoPacket = { outcome: 'dropped' | 'unavailable'; reason: string; message: string };

const inCidr = (ip: string, cidr: string): boolean => {
  const [base = '', bits = '32'] = cidr.split('/');
  const n = (a: string) => a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(n(ip) / size) === Math.floor(n(base) / size);
};

export function buildPacket(spec: TraceSpec, view: VpcView): BuiltPacket | NoPacket {
  const dst = spec.destination.ip;
  const l4 =
    spec.flow.protocol === 'icmp'
      ? ({ proto: 'icmp4', icmpType: spec.flow.icmpType, icmpCode: spec.flow.icmpCode } as const)
      : ({
          proto: spec.flow.protocol,
          dstPort: spec.flow.port,
          srcPort: spec.flow.sourcePort ?? EPHEMERAL_PORT,
        } as const);
  const vip = spec.flow.protocol === 'icmp' ? undefined : view.lb(`${dst}:${spec.flow.port}`);
  const lbDst = vip && vip.backends.length > 1 ? { lbDst: vip.backends[0] ?? '' } : {};
  const src = spec.source;
  if (src.kind === 'nic') {
    const inport = names.nicPort(src.nicId);
    if (view.place(inport)?.kind !== 'tier')
      return {
        outcome: 'unavailable',
        reason: 'NicNotRealized',
        message: `NIC ${src.nicId} has no logical switch port ${inport} in the OVN Northbound database`,
      };
    const tier = spec.tiers.find((t) => t.networkId === src.networkId);
    // Inside its own tier a NIC sends to the destination's MAC; anywhere else to its tier's router port.
    const local = tier && inCidr(dst, tier.cidr) ? view.macOf(src.networkId, dst) : undefined;
    const ethDst = local ?? view.routerMac(src.networkId);
    if (!ethDst)
      return {
        outcome: 'dropped',
        reason: 'NoRoute',
        message: `tier ${tier?.name ?? src.networkId} has no router port ${names.routerPort(src.networkId)}`,
      };
    const packet: TracePacket = {
      datapath: names.switch(src.networkId),
      inport,
      ethSrc: src.mac,
      ethDst,
      kind: 'ip4',
      ip4Src: src.ip,
      ip4Dst: dst,
      ...l4,
    };
    return { packet, ...lbDst };
  }
  if (src.kind !== 'outside')
    throw new AdapterError(
      'INVALID_REQUEST',
      `a trace starts at a NIC or outside the VPC, not at ${src.kind}`,
    );
  const gatewayMac = view.gatewayMac();
  if (!gatewayMac)
    return {
      outcome: 'dropped',
      reason: 'NoGateway',
      message: `VPC ${spec.vpcId} has no gateway to the public network (no gateway port ${names.gatewayPort(spec.vpcId)})`,
    };
  const packet: TracePacket = {
    datapath: names.externalSwitch(spec.vpcId),
    inport: names.externalLocalnetPort(spec.vpcId),
    ethSrc: UPSTREAM_MAC,
    ethDst: gatewayMac,
    kind: 'ip4',
    ip4Src: src.ip,
    ip4Dst: dst,
    ...l4,
  };
  return { packet, ...lbDst };
}
