// Shared by the engine's ovn-trace files (trace-ovn.test.ts, trace-acl-ovn.test.ts): the OVN world they start (with
// ovn-northd), the packets they send and the way a failed verdict is shown.
import { names } from '@netplane/adapter-ovn';
import { ovnTrace, type TracePacket, type TraceVerdict } from '@netplane/ovsdb/testing';
import type { OvnWorld, OvnWorldOptions } from './ovn-world';

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
