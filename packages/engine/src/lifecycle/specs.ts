// Builds the adapter-facing specs (VpcSpec, NetworkSpec, NicSpec) from our rows, and groups a tier's elements by
// controller (one element may give several services; it is implemented once with all of them).
import type {
  NetworkDhcpSpec,
  NetworkSpec,
  NicSpec,
  PublicNetworkSpec,
  VpcSpec,
} from '@netplane/adapter-sdk';
import {
  type Db,
  type networksRepo,
  type nicsRepo,
  physicalNetworksRepo,
  publicIpsRepo,
  type vpcsRepo,
  zonesRepo,
} from '@netplane/db';
import type { IsolationMethod, Service, TrafficTypeEntry } from '@netplane/domain';

export const vpcSpecOf = (v: vpcsRepo.VpcRow): VpcSpec => ({ vpcId: v.id, name: v.name, cidr: v.cidr });

/**
 * `sourceNatIp`: the VPC's source-NAT address (publicIpsRepo.sourceNatOf), passed when the VPC has one, with
 * `publicNetwork` (publicNetworkOf), the range it came from; `dhcp`: the zone's DNS and the physical MTU (dhcpSpecOf).
 */
export const networkSpecOf = (
  n: networksRepo.NetworkRow,
  services: readonly Service[],
  extras: {
    sourceNatIp?: string | undefined;
    publicNetwork?: PublicNetworkSpec | undefined;
    dhcp?: NetworkDhcpSpec | undefined;
  } = {},
): NetworkSpec => ({
  vpcId: n.vpcId,
  networkId: n.id,
  name: n.name,
  cidr: n.cidr,
  gateway: n.gateway,
  isolation: { method: n.isolationMethod as IsolationMethod, segmentId: n.segmentId ?? 0 },
  services,
  ...(extras.sourceNatIp !== undefined && { sourceNatIp: extras.sourceNatIp }),
  ...(extras.sourceNatIp !== undefined && extras.publicNetwork && { publicNetwork: extras.publicNetwork }),
  ...(extras.dhcp ? { dhcp: extras.dhcp } : {}),
});

/**
 * What DHCP hands a tier's guests beyond addressing, read fresh at each implement or repair so a changed zone DNS or
 * physical MTU reaches the element the next time: the zone's DNS settings and the physical network's MTU.
 */
export async function dhcpSpecOf(db: Db, n: networksRepo.NetworkRow): Promise<NetworkDhcpSpec | undefined> {
  const [zone, pn] = await Promise.all([
    zonesRepo.getZone(db, n.zoneId),
    physicalNetworksRepo.getPhysicalNetwork(db, n.physicalNetworkId),
  ]);
  if (!zone || !pn) return undefined;
  return { dnsServers: zone.dnsServers, dnsDomain: zone.dnsDomain, physicalMtu: pn.mtu };
}

/** The traffic label hypervisors give the Public traffic: KVM's (OVN's hypervisor), else the first one set. */
export function publicTrafficLabelOf(pn: { trafficTypes: readonly TrafficTypeEntry[] }): string | undefined {
  const labels = pn.trafficTypes.find((t) => t.type === 'Public')?.labels ?? {};
  return labels.KVM ?? Object.values(labels).find((l): l is string => typeof l === 'string');
}

/**
 * The VPC's public side, read fresh at each implement or repair: the range its source-NAT address was acquired from
 * (CIDR, upstream gateway, VLAN) and that range's physical network's Public traffic label. Undefined when the VPC
 * holds no source-NAT address (no SourceNat/StaticNat/Lb in the offering, or a zone without ranges).
 */
export async function publicNetworkOf(db: Db, vpcId: string): Promise<PublicNetworkSpec | undefined> {
  const ip = await publicIpsRepo.sourceNatOf(db, vpcId);
  if (!ip) return undefined;
  const range = await publicIpsRepo.getRange(db, ip.rangeId);
  if (!range) return undefined;
  const pn = await physicalNetworksRepo.getPhysicalNetwork(db, range.physicalNetworkId);
  const trafficLabel = pn ? publicTrafficLabelOf(pn) : undefined;
  return {
    cidr: range.cidr,
    gateway: range.gateway,
    vlan: range.vlan,
    ...(trafficLabel !== undefined && { trafficLabel }),
  };
}

export const nicSpecOf = (n: nicsRepo.NicRow): NicSpec => ({
  nicId: n.id,
  networkId: n.networkId,
  vpcId: n.vpcId,
  mac: n.mac,
  ip: n.ip,
  vmName: n.vmName,
});

export type ElementGroup = {
  controllerId: string;
  adapterId: string;
  providerId: string;
  services: Service[];
};

export function groupElements(rows: readonly networksRepo.ElementRow[]): ElementGroup[] {
  const groups = new Map<string, ElementGroup>();
  for (const r of rows) {
    const g = groups.get(r.controllerId) ?? {
      controllerId: r.controllerId,
      adapterId: r.adapterId,
      providerId: r.providerId,
      services: [],
    };
    g.services.push(r.service as Service);
    groups.set(r.controllerId, g);
  }
  return [...groups.values()];
}

export function broadcastUriOf(method: string, segmentId: number | null): string | null {
  if (segmentId === null) return null;
  return method === 'VLAN' ? `vlan://${segmentId}` : `${method.toLowerCase()}://${segmentId}`;
}
