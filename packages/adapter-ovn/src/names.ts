// How Netplane names and tags the OVN Northbound rows it owns: names derived from our ids, ids in external_ids.
import { createHash } from 'node:crypto';

export const OWNER = 'netplane';
export const EXT = {
  owner: 'netplane:owner',
  vpcId: 'netplane:vpc_id',
  networkId: 'netplane:network_id',
  nicId: 'netplane:nic_id',
  name: 'netplane:name',
  cidr: 'netplane:cidr',
  role: 'netplane:role',
  vmName: 'netplane:vm_name',
  rule: 'netplane:rule',
  /** The id of a StaticNat or Lb rule (the API's rule id), on its NAT or Load_Balancer row. */
  ruleId: 'netplane:rule_id',
  services: 'netplane:services',
  /** On a VPC's Logical_Router that has a gateway: the name of its gateway port (observe reports it missing). */
  gatewayPort: 'netplane:gateway_port',
} as const;

export const names = {
  router: (vpcId: string) => `netplane-vpc-${vpcId}`,
  switch: (networkId: string) => `netplane-net-${networkId}`,
  routerPort: (networkId: string) => `netplane-lrp-${networkId}`,
  switchRouterPort: (networkId: string) => `netplane-rtr-${networkId}`,
  localnetPort: (networkId: string) => `netplane-ln-${networkId}`,
  nicPort: (nicId: string) => `netplane-nic-${nicId}`,
  loadBalancer: (ruleId: string) => `netplane-lb-${ruleId}`,
  /** The VPC's gateway: its external switch, the switch's localnet and router-type ports, the router's port. */
  externalSwitch: (vpcId: string) => `netplane-ext-${vpcId}`,
  externalLocalnetPort: (vpcId: string) => `netplane-ln-ext-${vpcId}`,
  externalRouterPort: (vpcId: string) => `netplane-rtr-ext-${vpcId}`,
  gatewayPort: (vpcId: string) => `netplane-lrp-ext-${vpcId}`,
  /** Port group names appear in ACL matches as @name, so they must be identifiers: no dashes. */
  portGroup: (networkId: string) => `netplane_${networkId.replace(/[^A-Za-z0-9_]/g, '_')}`,
};

/** A stable, locally administered unicast MAC for a tier's router port. */
export function routerPortMac(networkId: string): string {
  const h = createHash('sha256').update(`lrp:${networkId}`).digest();
  const bytes = [0x02, h[0] ?? 0, h[1] ?? 0, h[2] ?? 0, h[3] ?? 0, h[4] ?? 0];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The MAC of a VPC's gateway router port (the external switch's upstream router sends to it). */
export const gatewayPortMac = (vpcId: string): string => routerPortMac(`ext-${vpcId}`);

export function prefixLength(cidr: string): number {
  const bits = Number(cidr.split('/')[1]);
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) throw new TypeError(`not an IPv4 CIDR: ${cidr}`);
  return bits;
}

export const MAX_BATCH = 1000;

export const isOurs = (ext: Record<string, string>): boolean => ext[EXT.owner] === OWNER;
