// What the simulator's trace reads of its tables for one VPC: tiers by id (named as the engine named them), our ports
// by NIC id or by address, the router's rules, the source-NAT address and which addresses are the VPC's own.
import type { TraceSpec } from '@netplane/adapter-sdk';
import { nameOf, OUR_OWNER, type SimResource, type SimRule, type SimStore } from './store';
import type { TierAt } from './trace-acl';

export class VpcView {
  constructor(
    private readonly store: SimStore,
    private readonly spec: TraceSpec,
  ) {}

  tierAt(networkId: string): TierAt {
    const name =
      this.spec.tiers.find((t) => t.networkId === networkId)?.name ??
      this.store.networks.get(nameOf('network', networkId))?.attributes.displayName ??
      networkId;
    return { type: 'tier', id: networkId, name };
  }

  portOf(nicId: string): SimResource | undefined {
    const p = this.store.nics.get(nameOf('nic', nicId));
    return p?.owner === OUR_OWNER ? p : undefined;
  }

  portByIp(networkId: string, ip: string): SimResource | undefined {
    for (const p of this.store.nics.values())
      if (p.owner === OUR_OWNER && p.externalIds['netplane:network'] === networkId && p.attributes.ip === ip)
        return p;
    return undefined;
  }

  rulesOfVpc(kind: SimRule['kind']): SimRule[] {
    return [...this.store.rules(kind).values()].filter((r) => r.vpcId === this.spec.vpcId);
  }

  /** The tier's source-NAT address as the switch holds it, else the VPC's. */
  sourceNatIpOf(networkId: string): string | undefined {
    return (
      this.store.networks.get(nameOf('network', networkId))?.attributes.sourceNatIp ??
      this.spec.publicNetwork?.sourceNatIp
    );
  }

  isPublicOfVpc(ip: string): boolean {
    if (this.spec.publicNetwork?.sourceNatIp === ip) return true;
    return (
      this.rulesOfVpc('nat').some((r) => r.attributes.externalIp === ip) ||
      this.rulesOfVpc('lb').some((r) => r.attributes.vip?.split(':')[0] === ip) ||
      this.rulesOfVpc('pf').some((r) => r.attributes.publicIp === ip)
    );
  }
}
