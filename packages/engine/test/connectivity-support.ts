// Shared by the engine's connectivity tests: a VPC on the simulator with three tiers (web with two NICs, a source-NAT
// address and acquired public IPs; app and db with one NIC each), every service of the checks offered.
import type { Service, TraceFlow } from '@netplane/domain';
import type { Engine } from '../src/index';
import { simulatorOffering } from './describe-world';
import { implementWithNics, RULE_SERVICES, worldEdgeTier } from './edge';
import type { World } from './world';

export const EDGE_SERVICES: Service[] = [...RULE_SERVICES, 'NetworkACL'];

export const tcp = (port: number): TraceFlow => ({ protocol: 'tcp', port });
export const icmp: TraceFlow = { protocol: 'icmp', icmpType: 8, icmpCode: 0 };

export async function threeTierVpc(w: World, engine: Engine, offeringId: string, net: number) {
  const edge = await worldEdgeTier(w, engine, { offeringId, net, count: 2 });
  const tier = async (name: string, octet: number) => {
    const t = await engine.createTier(
      { vpcId: edge.vpc.id, name, offeringId, cidr: `10.${net}.${octet}.0/24` },
      't',
    );
    const nics = await implementWithNics(engine, t.id, 1);
    return { tier: t, nics };
  };
  const app = await tier('app', 2);
  const db = await tier('db', 3);
  return { ...edge, web: edge.tier, app, db };
}

export const offeringFor = (w: World) => simulatorOffering(w, EDGE_SERVICES);
