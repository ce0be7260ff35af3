// Builds the adapter-facing specs (VpcSpec, NetworkSpec, NicSpec) from our rows, and groups a tier's elements by
// controller (one element may give several services; it is implemented once with all of them).
import type { NetworkSpec, NicSpec, VpcSpec } from '@netplane/adapter-sdk';
import type { networksRepo, nicsRepo, vpcsRepo } from '@netplane/db';
import type { IsolationMethod, Service } from '@netplane/domain';

export const vpcSpecOf = (v: vpcsRepo.VpcRow): VpcSpec => ({ vpcId: v.id, name: v.name, cidr: v.cidr });

/** `sourceNatIp`: the VPC's source-NAT address (publicIpsRepo.sourceNatOf), passed when the VPC has one. */
export const networkSpecOf = (
  n: networksRepo.NetworkRow,
  services: readonly Service[],
  sourceNatIp?: string,
): NetworkSpec => ({
  vpcId: n.vpcId,
  networkId: n.id,
  name: n.name,
  cidr: n.cidr,
  gateway: n.gateway,
  isolation: { method: n.isolationMethod as IsolationMethod, segmentId: n.segmentId ?? 0 },
  services,
  ...(sourceNatIp !== undefined && { sourceNatIp }),
});

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
