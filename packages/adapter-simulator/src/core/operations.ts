// What each call does to the simulated controller's tables: create-or-adopt, conflicts, capacity, idempotent removal.
import {
  AdapterError,
  type ImplementResult,
  type NetworkRef,
  type NetworkSpec,
  type NicRef,
  type NicSpec,
  type PrepareResult,
  type VpcSpec,
} from '@netplane/adapter-sdk';
import { nameOf, OUR_OWNER, type SimStore, segmentKey } from './store';
import type { SimulatorProfile } from './types';

export const SUPPORTED_ISOLATION = ['VLAN', 'VXLAN', 'GENEVE'] as const;

export function implementVpc(store: SimStore, vpc: VpcSpec): { adopted: boolean } {
  if (store.adoptable('vpc', vpc.vpcId, { cidr: vpc.cidr })) return { adopted: true };
  const name = nameOf('vpc', vpc.vpcId);
  store.vpcs.set(name, {
    kind: 'vpc',
    name,
    owner: OUR_OWNER,
    externalIds: { 'netplane:id': vpc.vpcId, 'netplane:vpc': vpc.vpcId },
    attributes: { cidr: vpc.cidr, displayName: vpc.name },
    plantedByFault: false,
  });
  return { adopted: false };
}

/**
 * Removes our router and, as a real controller deleting a router with its tiers would, its switches and ports and
 * the NAT and load-balancer rules on it.
 */
export function destroyVpc(store: SimStore, vpcId: string): void {
  const name = nameOf('vpc', vpcId);
  const router = store.vpcs.get(name);
  if (router && router.owner !== OUR_OWNER) return;
  for (const sw of [...store.networks.values()]) {
    if (sw.owner === OUR_OWNER && sw.externalIds['netplane:vpc'] === vpcId) store.removeNetwork(sw.name);
  }
  store.removeRulesWhere((r) => r.vpcId === vpcId);
  store.vpcs.delete(name);
}

export function broadcastUriOf(method: string, segmentId: number): string {
  return `${method.toLowerCase()}://${segmentId}`;
}

export function implementNetwork(
  store: SimStore,
  net: NetworkSpec,
  profile: SimulatorProfile,
): ImplementResult {
  const { method, segmentId } = net.isolation;
  if (!(SUPPORTED_ISOLATION as readonly string[]).includes(method)) {
    throw new AdapterError('INVALID_REQUEST', `Isolation method ${method} is not supported by the simulator`);
  }
  if (method === 'VLAN' && (segmentId < 1 || segmentId > 4094)) {
    throw new AdapterError('INVALID_REQUEST', `VLAN id ${segmentId} is outside 1-4094`);
  }
  const broadcastUri = broadcastUriOf(method, segmentId);
  const name = nameOf('network', net.networkId);
  const key = segmentKey(method, segmentId);
  const expected = { cidr: net.cidr, gateway: net.gateway, broadcastUri, vpcId: net.vpcId };
  const segment = store.segments.get(key);
  if (segment && segment.switchName !== name) {
    const label = method === 'VLAN' ? `VLAN ${segmentId}` : `${method} VNI ${segmentId}`;
    throw new AdapterError('RESOURCE_CONFLICT', `${label} already exists on switch ${segment.switchName}`, {
      vendorCode: 'SEGMENT_IN_USE',
      vendorMessage: `${label} already exists on switch ${segment.switchName} (owner ${segment.owner})`,
      conflict: { resource: 'segment', name: key, owner: segment.owner },
    });
  }
  // The VPC's source-NAT address, as a real controller would hold it on the tier's router (observe shows it). Not
  // part of what adoption compares: a re-implement with the VPC's new address converges instead of conflicting.
  const snat: Record<string, string> =
    net.services.includes('SourceNat') && net.sourceNatIp ? { sourceNatIp: net.sourceNatIp } : {};
  if (net.services.includes('NetworkACL')) store.aclTiers.add(net.networkId);
  if (store.adoptable('network', net.networkId, expected)) {
    store.segments.set(key, { method, segmentId, switchName: name, owner: OUR_OWNER, plantedByFault: false });
    const held = store.networks.get(name);
    if (held) Object.assign(held.attributes, snat);
    return { broadcastUri, adopted: true };
  }
  if (profile.maxNetworks !== null && store.networks.size >= profile.maxNetworks) {
    throw new AdapterError(
      'CAPACITY_EXHAUSTED',
      `The controller holds its maximum of ${profile.maxNetworks} switches`,
      {
        vendorCode: 'MAX_SWITCHES',
        vendorMessage: `switch limit ${profile.maxNetworks} reached`,
      },
    );
  }
  store.networks.set(name, {
    kind: 'network',
    name,
    owner: OUR_OWNER,
    externalIds: { 'netplane:id': net.networkId, 'netplane:vpc': net.vpcId },
    attributes: { ...expected, displayName: net.name, ...snat },
    plantedByFault: false,
  });
  store.segments.set(key, { method, segmentId, switchName: name, owner: OUR_OWNER, plantedByFault: false });
  return { broadcastUri, adopted: false };
}

/** Creates or adopts one port; `created` tells the caller a port was really made (for the per-NIC creation count). */
export function prepareNic(
  store: SimStore,
  nic: NicSpec,
  profile: SimulatorProfile,
): PrepareResult & { created: boolean } {
  const sw = store.networks.get(nameOf('network', nic.networkId));
  if (!sw || sw.owner !== OUR_OWNER) {
    throw new AdapterError(
      'INVALID_REQUEST',
      `Network ${nic.networkId} is not implemented on this controller`,
      {
        vendorCode: 'NO_SUCH_SWITCH',
        vendorMessage: `switch ${nameOf('network', nic.networkId)} not found`,
      },
    );
  }
  const expected = { mac: nic.mac, ip: nic.ip, networkId: nic.networkId };
  if (store.adoptable('nic', nic.nicId, expected)) return { nicId: nic.nicId, adopted: true, created: false };
  if (profile.maxPorts !== null && store.nics.size >= profile.maxPorts) {
    throw new AdapterError(
      'CAPACITY_EXHAUSTED',
      `The controller holds its maximum of ${profile.maxPorts} ports`,
      {
        vendorCode: 'MAX_PORTS',
        vendorMessage: `port limit ${profile.maxPorts} reached`,
      },
    );
  }
  const name = nameOf('nic', nic.nicId);
  store.nics.set(name, {
    kind: 'nic',
    name,
    owner: OUR_OWNER,
    externalIds: { 'netplane:id': nic.nicId, 'netplane:network': nic.networkId, 'netplane:vpc': nic.vpcId },
    attributes: { ...expected, vmName: nic.vmName },
    plantedByFault: false,
  });
  return { nicId: nic.nicId, adopted: false, created: true };
}

/** Unknown NICs, and ports with our name that are not ours, are left alone: releasing them is a success. */
export function releaseNic(store: SimStore, nic: NicRef): void {
  const name = nameOf('nic', nic.nicId);
  const port = store.nics.get(name);
  if (port?.owner === OUR_OWNER) store.nics.delete(name);
}

/** Shutdown and destroy both tear the switch down (ports and segment included); repeating them is a no-op. */
export function removeNetwork(store: SimStore, ref: NetworkRef): void {
  const name = nameOf('network', ref.networkId);
  if (store.networks.get(name)?.owner === OUR_OWNER) store.removeNetwork(name);
}
