// The simulated controller's tables: routers (VPCs), switches (networks), ports (NICs) and the VLAN/VNI segment table.
import { AdapterError, type ObservedResource, type ObserveScope } from '@netplane/adapter-sdk';

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
    return found;
  }

  plantForeign(kind: ResourceKind, id: string, owner: string, plantedByFault: boolean): void {
    const name = nameOf(kind, id);
    this.table(kind).set(name, { kind, name, owner, externalIds: { owner }, attributes: {}, plantedByFault });
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
    return n;
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
        });
      }
    }
    return out;
  }
}
