// Builds the adapter-facing specs (VpcSpec, NetworkSpec, NicSpec) from our rows, and groups a tier's elements by
// controller (one element may give several services; it is implemented once with all of them).
import type { NetworkDhcpSpec, NetworkSpec, NicSpec, VpcSpec } from '@netplane/adapter-sdk';
import {
  type Db,
  type networksRepo,
  type nicsRepo,
  physicalNetworksRepo,
  type vpcsRepo,
  zonesRepo,
} from '@netplane/db';
import type { IsolationMethod, Service } from '@netplane/domain';

export const vpcSpecOf = (v: vpcsRepo.VpcRow): VpcSpec => ({ vpcId: v.id, name: v.name, cidr: v.cidr });

/**
 * `sourceNatIp`: the VPC's source-NAT address (publicIpsRepo.sourceNatOf), passed when the VPC has one; `dhcp`: the
 * zone's DNS and the physical MTU (dhcpSpecOf).
 */
export const networkSpecOf = (
  n: networksRepo.NetworkRow,
  services: readonly Service[],
  extras: { sourceNatIp?: string | undefined; dhcp?: NetworkDhcpSpec | undefined } = {},
): NetworkSpec => ({
  vpcId: n.vpcId,
  networkId: n.id,
  name: n.name,
  cidr: n.cidr,
  gateway: n.gateway,
  isolation: { method: n.isolationMethod as IsolationMethod, segmentId: n.segmentId ?? 0 },
  services,
  ...(extras.sourceNatIp !== undefined && { sourceNatIp: extras.sourceNatIp }),
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
