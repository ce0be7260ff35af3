// The simulated controller's tables: routers (VPCs), switches (networks), ports (NICs), the VLAN/VNI segment table,
// static NAT and load-balancing rules of the routers, and public IPs held by foreign systems.
import {
  AdapterError,
  aclListResourceId,
  aclRulesDigest,
  type NetworkAclSpec,
  type ObservedResource,
  type ObserveScope,
} from '@netplane/adapter-sdk';

export type ResourceKind = 'vpc' | 'network' | 'nic';
export const OUR_OWNER = 'netplane';

export type SimResource = {
  kind: ResourceKind;
  name: string;
  /** 'netplane' for ours; anything else is a foreign system's resource. */
  owner: string;
  /** Our ids, as a real controller keeps them in external_ids: netplane:id, netplane:vpc, netplane:network. */
  externalIds: Record<string, string>;
  attributes: Record<string, string>;
  /** Planted by a foreignOwner fault: cleared together with the faults. */
  plantedByFault: boolean;
  /** Breakage the adapter would see itself (tampered); cleared when the resource is implemented/prepared again. */
  issues?: string[];
};

export type RuleKind = 'nat' | 'lb' | 'pf';

/** A static NAT (nat), load-balancing (lb) or port forwarding (pf) rule on a VPC's router, named by its rule id. */
export type SimRule = {
  kind: RuleKind;
  ruleId: string;
  vpcId: string;
  networkId: string;
  /** As observe() reports them: nat type/externalIp/logicalIp, lb vip/protocol/members, plus networkId. */
  attributes: Record<string, string>;
  issues?: string[];
};

/** A public IP someone else uses: the whole address (their NAT) or one VIP of it (their load balancer). */
export type ForeignAddress = {
  ip: string;
  vip?: { port: number; protocol: string };
  /** Only on this VPC's router; undefined: anywhere on the controller. */
  vpcId?: string;
  owner: string;
  plantedByFault: boolean;
};

export type Segment = {
  method: string;
  segmentId: number;
  switchName: string;
  owner: string;
  plantedByFault: boolean;
};

export const nameOf = (kind: ResourceKind, id: string): string =>
  `np-${kind === 'nic' ? 'nic' : kind === 'vpc' ? 'vpc' : 'net'}-${id}`;
export const segmentKey = (method: string, segmentId: number): string =>
  `${method.toUpperCase()}:${segmentId}`;

export class SimStore {
  readonly vpcs = new Map<string, SimResource>();
  readonly networks = new Map<string, SimResource>();
  readonly nics = new Map<string, SimResource>();
  readonly segments = new Map<string, Segment>();
  readonly natRules = new Map<string, SimRule>();
  readonly lbRules = new Map<string, SimRule>();
  readonly pfRules = new Map<string, SimRule>();
  /** The Network ACL each of our switches holds, by network id (applyNetworkAcl replaces it whole). */
  readonly acls = new Map<string, NetworkAclSpec>();
  /**
   * Switches implemented with the NetworkACL service: until a list is applied they hold the fixed default-deny a
   * real controller makes at implement (the built-in default_deny list), which the trace shows.
   */
  readonly aclTiers = new Set<string>();
  foreignAddresses: ForeignAddress[] = [];

  table(kind: ResourceKind): Map<string, SimResource> {
    switch (kind) {
      case 'vpc':
        return this.vpcs;
      case 'network':
        return this.networks;
      case 'nic':
        return this.nics;
    }
  }

  /**
   * Finds the resource that would carry our name. Returns it when it is ours with the same attributes (adopt),
   * undefined when absent, and throws RESOURCE_CONFLICT when someone else holds the name or it differs.
   */
  adoptable(kind: ResourceKind, id: string, expected: Record<string, string>): SimResource | undefined {
    const name = nameOf(kind, id);
    const found = this.table(kind).get(name);
    if (!found) return undefined;
    if (found.owner !== OUR_OWNER || found.externalIds['netplane:id'] !== id) {
      throw new AdapterError(
        'RESOURCE_CONFLICT',
        `A ${kind} named ${name} already exists and belongs to ${found.owner}`,
        {
          vendorCode: 'ALREADY_EXISTS',
          vendorMessage: `${name} already exists (owner ${found.owner})`,
          conflict: { resource: kind, name, owner: found.owner },
        },
      );
    }
    const differing = Object.entries(expected).filter(([k, v]) => found.attributes[k] !== v);
    if (differing.length > 0) {
      const what = differing
        .map(([k, v]) => `${k} is ${found.attributes[k] ?? 'unset'}, wanted ${v}`)
        .join('; ');
      throw new AdapterError('RESOURCE_CONFLICT', `${name} already exists with different settings: ${what}`, {
        vendorCode: 'ALREADY_EXISTS_DIFFERENT',
        vendorMessage: what,
        conflict: { resource: kind, name, owner: found.owner },
      });
    }
    delete found.issues;
    return found;
  }

  plantForeign(kind: ResourceKind, id: string, owner: string, plantedByFault: boolean): void {
    const name = nameOf(kind, id);
    this.table(kind).set(name, { kind, name, owner, externalIds: { owner }, attributes: {}, plantedByFault });
  }

  rules(kind: RuleKind): Map<string, SimRule> {
    return kind === 'nat' ? this.natRules : kind === 'lb' ? this.lbRules : this.pfRules;
  }

  plantAddress(address: ForeignAddress): void {
    this.foreignAddresses.push(address);
  }

  /** Removes the foreign uses of this IP (this VIP only when given) on this VPC's router or controller-wide. */
  removeAddress(ip: string, vip?: { port: number; protocol: string }, vpcId?: string): void {
    this.foreignAddresses = this.foreignAddresses.filter(
      (a) =>
        !(a.ip === ip && a.vpcId === vpcId && a.vip?.port === vip?.port && a.vip?.protocol === vip?.protocol),
    );
  }

  plantSegment(method: string, segmentId: number, owner: string, plantedByFault: boolean): void {
    const key = segmentKey(method, segmentId);
    this.segments.set(key, {
      method: method.toUpperCase(),
      segmentId,
      switchName: `${owner}-sw-${segmentId}`,
      owner,
      plantedByFault,
    });
  }

  removePlanted(): void {
    for (const kind of ['vpc', 'network', 'nic'] as const) {
      for (const [name, r] of this.table(kind)) if (r.plantedByFault) this.table(kind).delete(name);
    }
    for (const [key, s] of this.segments) if (s.plantedByFault) this.segments.delete(key);
    this.foreignAddresses = this.foreignAddresses.filter((a) => !a.plantedByFault);
  }

  /** A router or switch going away takes its NAT and load-balancer rules with it. */
  removeRulesWhere(match: (r: SimRule) => boolean): void {
    for (const table of [this.natRules, this.lbRules, this.pfRules])
      for (const [id, r] of table) if (match(r)) table.delete(id);
  }

  removeNetwork(name: string): void {
    const sw = this.networks.get(name);
    if (!sw) return;
    for (const [portName, port] of this.nics) {
      if (
        port.owner === OUR_OWNER &&
        port.externalIds['netplane:network'] === sw.externalIds['netplane:id']
      ) {
        this.nics.delete(portName);
      }
    }
    for (const [key, seg] of this.segments) if (seg.switchName === name) this.segments.delete(key);
    const networkId = sw.externalIds['netplane:id'];
    if (sw.owner === OUR_OWNER) {
      this.removeRulesWhere((r) => r.networkId === networkId);
      if (networkId) {
        this.acls.delete(networkId);
        this.aclTiers.delete(networkId);
      }
    }
    this.networks.delete(name);
  }

  countOurs(kind: ResourceKind): number {
    let n = 0;
    for (const r of this.table(kind).values()) if (r.owner === OUR_OWNER) n++;
    return n;
  }

  countForeign(): number {
    let n = 0;
    for (const kind of ['vpc', 'network', 'nic'] as const)
      for (const r of this.table(kind).values()) if (r.owner !== OUR_OWNER) n++;
    for (const s of this.segments.values()) if (s.owner !== OUR_OWNER) n++;
    return n + this.foreignAddresses.length;
  }

  /** Our resources in scope, as the engine compares them with desired state. Foreign ones are not ours to report. */
  observe(scope: ObserveScope): ObservedResource[] {
    const nets = scope.networkIds ? new Set(scope.networkIds) : undefined;
    const inScope = (r: SimResource): boolean => {
      if (r.owner !== OUR_OWNER) return false;
      if (scope.vpcId !== undefined && r.externalIds['netplane:vpc'] !== scope.vpcId) return false;
      if (nets) {
        if (r.kind === 'vpc') return false;
        const netId = r.kind === 'network' ? r.externalIds['netplane:id'] : r.externalIds['netplane:network'];
        return netId !== undefined && nets.has(netId);
      }
      return true;
    };
    const out: ObservedResource[] = [];
    for (const kind of ['vpc', 'network', 'nic'] as const) {
      for (const r of this.table(kind).values()) {
        if (!inScope(r)) continue;
        out.push({
          kind,
          id: r.externalIds['netplane:id'] ?? '',
          name: r.name,
          attributes: { ...r.attributes },
          ...(r.issues && r.issues.length > 0 ? { issues: [...r.issues] } : {}),
        });
      }
    }
    for (const kind of ['nat', 'lb', 'pf'] as const) {
      for (const r of this.rules(kind).values()) {
        if (scope.vpcId !== undefined && r.vpcId !== scope.vpcId) continue;
        if (nets && !nets.has(r.networkId)) continue;
        out.push({
          kind,
          id: r.ruleId,
          name: `np-${kind}-${r.ruleId}`,
          attributes: { ...r.attributes },
          ...(r.issues && r.issues.length > 0 ? { issues: [...r.issues] } : {}),
        });
      }
    }
    // The list each tier holds, as every adapter with applyNetworkAcl reports it (kind acl, id <networkId>/list).
    for (const [networkId, acl] of this.acls) {
      if (scope.vpcId !== undefined && acl.vpcId !== scope.vpcId) continue;
      if (nets && !nets.has(networkId)) continue;
      out.push({
        kind: 'acl',
        id: aclListResourceId(networkId),
        name: acl.listName,
        attributes: {
          networkId,
          aclList: acl.listId,
          aclListName: acl.listName,
          aclRules: aclRulesDigest(acl.rules),
        },
      });
    }
    return out;
  }
}
