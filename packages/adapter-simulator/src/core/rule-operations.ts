// Static NAT and load-balancing rules on a VPC's router (port forwards in pf-operations.ts): apply converges (adopting what exists under the rule id), a
// public IP or VIP held by anything else on the router is RESOURCE_CONFLICT, and revoking an unknown rule succeeds.
import {
  AdapterError,
  type LbRuleRef,
  type LbRuleSpec,
  NETWORK_ACL_SPEC_VERSION,
  type NetworkAclSpec,
  type StaticNatRef,
  type StaticNatSpec,
} from '@netplane/adapter-sdk';
import { nameOf, OUR_OWNER, type SimRule, type SimStore } from './store';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function checkIp(ip: string, what: string): void {
  if (!IPV4.test(ip)) throw new AdapterError('INVALID_REQUEST', `${what} ${ip} is not an IPv4 address`);
}

export function checkPort(port: number, what: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new AdapterError('INVALID_REQUEST', `${what} ${port} is outside 1-65535`);
}

/** Rules hang off the tier's switch and its router: the switch must be ours and in that VPC. */
export function requireSwitch(store: SimStore, networkId: string, vpcId?: string): void {
  const name = nameOf('network', networkId);
  const sw = store.networks.get(name);
  if (!sw || sw.owner !== OUR_OWNER || (vpcId !== undefined && sw.externalIds['netplane:vpc'] !== vpcId)) {
    throw new AdapterError('INVALID_REQUEST', `Network ${networkId} is not implemented on this controller`, {
      vendorCode: 'NO_SUCH_SWITCH',
      vendorMessage: `switch ${name} not found`,
    });
  }
}

function conflict(what: string, holder: string, owner: string): AdapterError {
  return new AdapterError('RESOURCE_CONFLICT', `${what} is already used by ${holder}`, {
    vendorCode: 'ADDRESS_IN_USE',
    vendorMessage: `${what} is already used by ${holder} (owner ${owner})`,
    conflict: { resource: 'publicIp', name: what, owner },
  });
}

const vipOf = (r: SimRule) => {
  const [ip = '', port = ''] = (r.attributes.vip ?? '').split(':');
  return { ip, port: Number(port), protocol: r.attributes.protocol ?? '' };
};

/** Ports of an address a rule claims: one VIP (LB), a range (port forwarding); absent: the whole address (NAT). */
export type PortClaim = { start: number; end: number; protocol: string };

const portsOfPf = (r: SimRule): PortClaim => {
  const [start = '0', end = start] = (r.attributes.publicPorts ?? '').split('-');
  return { start: Number(start), end: Number(end), protocol: r.attributes.protocol ?? '' };
};

/**
 * Who else on this VPC's router uses the public IP (or only ports of it when `ports` is given): a foreign NAT or load
 * balancer, another of our static NATs (they take the whole address), or one of our load balancers or port forwards
 * on an overlapping port of the same protocol (any, for a whole-address static NAT).
 */
export function checkAddressFree(
  store: SimStore,
  rule: { ruleId: string; vpcId: string; kind: SimRule['kind'] },
  ip: string,
  ports?: PortClaim,
): void {
  const what = !ports
    ? `Public IP ${ip}`
    : ports.start === ports.end
      ? `VIP ${ip}:${ports.start}/${ports.protocol}`
      : `Ports ${ip}:${ports.start}-${ports.end}/${ports.protocol}`;
  const clashes = (p: PortClaim | undefined) =>
    !ports || !p || (p.protocol === ports.protocol && p.start <= ports.end && ports.start <= p.end);
  const self = (r: SimRule) => r.kind === rule.kind && r.ruleId === rule.ruleId;
  for (const a of store.foreignAddresses) {
    if (a.ip !== ip || (a.vpcId !== undefined && a.vpcId !== rule.vpcId)) continue;
    if (!clashes(a.vip && { start: a.vip.port, end: a.vip.port, protocol: a.vip.protocol })) continue;
    throw conflict(what, a.vip ? `a load balancer of ${a.owner}` : `a NAT of ${a.owner}`, a.owner);
  }
  for (const r of store.natRules.values()) {
    if (r.vpcId !== rule.vpcId || self(r)) continue;
    if (r.attributes.externalIp === ip) throw conflict(what, `static NAT ${r.ruleId}`, OUR_OWNER);
  }
  for (const r of store.lbRules.values()) {
    if (r.vpcId !== rule.vpcId || self(r)) continue;
    const other = vipOf(r);
    if (other.ip === ip && clashes({ start: other.port, end: other.port, protocol: other.protocol }))
      throw conflict(what, `load balancer ${r.ruleId}`, OUR_OWNER);
  }
  for (const r of store.pfRules.values()) {
    if (r.vpcId !== rule.vpcId || self(r)) continue;
    if (r.attributes.publicIp === ip && clashes(portsOfPf(r)))
      throw conflict(what, `port forwarding ${r.ruleId}`, OUR_OWNER);
  }
}

export function applyStaticNat(store: SimStore, rule: StaticNatSpec): { adopted: boolean } {
  checkIp(rule.publicIp, 'Public IP');
  checkIp(rule.privateIp, 'Private IP');
  requireSwitch(store, rule.networkId, rule.vpcId);
  checkAddressFree(store, { ...rule, kind: 'nat' }, rule.publicIp);
  const adopted = store.natRules.has(rule.ruleId);
  store.natRules.set(rule.ruleId, {
    kind: 'nat',
    ruleId: rule.ruleId,
    vpcId: rule.vpcId,
    networkId: rule.networkId,
    attributes: {
      type: 'dnat_and_snat',
      externalIp: rule.publicIp,
      logicalIp: rule.privateIp,
      logicalPort: rule.nicId,
      networkId: rule.networkId,
    },
  });
  return { adopted };
}

export function revokeStaticNat(store: SimStore, ref: StaticNatRef): void {
  store.natRules.delete(ref.ruleId);
}

export function applyLbRule(store: SimStore, rule: LbRuleSpec): { adopted: boolean } {
  checkIp(rule.publicIp, 'Public IP');
  checkPort(rule.publicPort, 'Public port');
  checkPort(rule.privatePort, 'Private port');
  for (const m of rule.members) checkIp(m.ip, `Member ${m.nicId} IP`);
  requireSwitch(store, rule.networkId, rule.vpcId);
  checkAddressFree(store, { ...rule, kind: 'lb' }, rule.publicIp, {
    start: rule.publicPort,
    end: rule.publicPort,
    protocol: rule.protocol,
  });
  const adopted = store.lbRules.has(rule.ruleId);
  store.lbRules.set(rule.ruleId, {
    kind: 'lb',
    ruleId: rule.ruleId,
    vpcId: rule.vpcId,
    networkId: rule.networkId,
    attributes: {
      vip: `${rule.publicIp}:${rule.publicPort}`,
      protocol: rule.protocol,
      members: [...new Set(rule.members.map((m) => `${m.ip}:${rule.privatePort}`))].sort().join(','),
      algorithm: rule.algorithm,
      name: rule.name,
      networkId: rule.networkId,
    },
  });
  return { adopted };
}

export function revokeLbRule(store: SimStore, ref: LbRuleRef): void {
  store.lbRules.delete(ref.ruleId);
}

/** One ACL rule as the switch's `acl` attribute lists it: "10 Ingress allow tcp 22-22 10.0.0.0/16". */
const aclRuleText = (r: NetworkAclSpec['rules'][number]): string => {
  const what =
    r.protocol === 'icmp'
      ? `icmp ${r.icmpType ?? -1}/${r.icmpCode ?? -1}`
      : r.portStart !== null
        ? `${r.protocol} ${r.portStart}-${r.portEnd}`
        : r.protocol;
  return `${r.number} ${r.trafficType} ${r.action} ${what} ${r.cidrs.join(',')}`;
};

/**
 * Replaces the tier's ACL with the spec (kept per network, and shown on the switch as attributes `aclList` and
 * `acl`, so the console's resource view and tests see it). Same spec again: adopted.
 */
export function applyNetworkAcl(store: SimStore, acl: NetworkAclSpec): { adopted: boolean } {
  if (acl.version !== NETWORK_ACL_SPEC_VERSION)
    throw new AdapterError(
      'INVALID_REQUEST',
      `NetworkAclSpec version ${String(acl.version)} is not supported`,
    );
  requireSwitch(store, acl.networkId, acl.vpcId);
  const numbers = new Set<number>();
  for (const r of acl.rules) {
    if (numbers.has(r.number))
      throw new AdapterError('INVALID_REQUEST', `ACL rule number ${r.number} appears twice`);
    numbers.add(r.number);
    for (const c of r.cidrs) checkIp(c.split('/')[0] ?? '', `ACL rule ${r.number} CIDR`);
  }
  const text = [...acl.rules]
    .sort((a, b) => a.number - b.number)
    .map(aclRuleText)
    .join('; ');
  const sw = store.networks.get(nameOf('network', acl.networkId));
  const adopted = sw?.attributes.aclList === acl.listId && sw.attributes.acl === text;
  if (sw) sw.attributes = { ...sw.attributes, aclList: acl.listId, aclListName: acl.listName, acl: text };
  store.acls.set(acl.networkId, acl);
  return { adopted };
}
