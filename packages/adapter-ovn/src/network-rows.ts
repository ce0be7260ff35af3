// The rows a tier is made of, as OVSDB rows: switch, router port pair, DHCP options, port-group ACLs, SNAT.
import type { NetworkSpec } from '@netplane/adapter-sdk';
import { map, none, type Row, set } from '@netplane/ovsdb';
import { dhcpOptions } from './dhcp';
import { EXT, names, OWNER, prefixLength, routerPortMac } from './names';

export type AclRule = {
  rule: string;
  direction: 'from-lport' | 'to-lport';
  priority: number;
  match: string;
  action: string;
};

/** Names of the rules defaultAclRules() makes, for observe() to tell a complete set from a partial one. */
export const DEFAULT_ACL_RULES = ['egress', 'intra-tier', 'default-deny'] as const;

/** The tier's default NetworkACL: egress allowed, ingress only from the tier itself, everything else dropped. */
export function defaultAclRules(network: Pick<NetworkSpec, 'networkId' | 'cidr'>): AclRule[] {
  const pg = `@${names.portGroup(network.networkId)}`;
  return [
    {
      rule: 'egress',
      direction: 'from-lport',
      priority: 1001,
      match: `inport == ${pg} && ip4`,
      action: 'allow-related',
    },
    {
      rule: 'intra-tier',
      direction: 'to-lport',
      priority: 1001,
      match: `outport == ${pg} && ip4 && ip4.src == ${network.cidr}`,
      action: 'allow-related',
    },
    {
      rule: 'default-deny',
      direction: 'to-lport',
      priority: 1000,
      match: `outport == ${pg} && ip4`,
      action: 'drop',
    },
  ];
}

export const networkExt = (n: NetworkSpec, extra: Record<string, string> = {}) =>
  map({ [EXT.owner]: OWNER, [EXT.vpcId]: n.vpcId, [EXT.networkId]: n.networkId, ...extra });

export const broadcastUriOf = (n: NetworkSpec) =>
  `${n.isolation.method.toLowerCase()}://${n.isolation.segmentId}`;

export function switchRow(n: NetworkSpec): Row {
  return {
    name: names.switch(n.networkId),
    external_ids: networkExt(n, {
      [EXT.name]: n.name,
      [EXT.cidr]: n.cidr,
      'netplane:gateway': n.gateway,
      'netplane:broadcast_uri': broadcastUriOf(n),
      // what observe() expects to find for this tier, so a deleted DHCP row, ACL or NAT shows as drift
      [EXT.services]: [...n.services].sort().join(','),
    }),
    // northd honours a requested tunnel key, so the Geneve VNI is the segment Netplane allocated.
    other_config: map(
      n.isolation.method === 'GENEVE' ? { 'requested-tnl-key': String(n.isolation.segmentId) } : {},
    ),
  };
}

export function routerPortRow(n: NetworkSpec): Row {
  return {
    name: names.routerPort(n.networkId),
    mac: routerPortMac(n.networkId),
    networks: set([`${n.gateway}/${prefixLength(n.cidr)}`]),
    external_ids: networkExt(n, { [EXT.role]: 'gateway' }),
  };
}

export function switchRouterPortRow(n: NetworkSpec): Row {
  return {
    name: names.switchRouterPort(n.networkId),
    type: 'router',
    addresses: set(['router']),
    options: map({ 'router-port': names.routerPort(n.networkId) }),
    external_ids: networkExt(n, { [EXT.role]: 'router' }),
  };
}

export function dhcpRow(n: NetworkSpec): Row {
  return { cidr: n.cidr, options: map(dhcpOptions(n)), external_ids: networkExt(n) };
}

export function aclRow(n: NetworkSpec, r: AclRule): Row {
  return {
    name: r.rule,
    direction: r.direction,
    priority: r.priority,
    match: r.match,
    action: r.action,
    external_ids: networkExt(n, { [EXT.rule]: r.rule }),
  };
}

export function snatRow(n: NetworkSpec, externalIp: string): Row {
  return {
    type: 'snat',
    external_ip: externalIp,
    logical_ip: n.cidr,
    logical_port: none(),
    external_ids: networkExt(n, { [EXT.rule]: 'snat' }),
  };
}

/** A VLAN tier reaches the physical network through a localnet port tagged with the tier's VLAN id. */
export function localnetPortRow(n: NetworkSpec, networkName: string): Row {
  return {
    name: names.localnetPort(n.networkId),
    type: 'localnet',
    addresses: set(['unknown']),
    tag_request: n.isolation.segmentId,
    options: map({ network_name: networkName }),
    external_ids: networkExt(n, { [EXT.role]: 'localnet' }),
  };
}
