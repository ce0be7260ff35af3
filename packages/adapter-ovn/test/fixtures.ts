// Spec builders for the adapter's own tests (GENEVE tiers, fresh ids so tests sharing a server never collide).
import { randomUUID } from 'node:crypto';
import type {
  NetworkAclRuleSpec,
  NetworkAclSpec,
  NetworkSpec,
  NicSpec,
  VpcSpec,
} from '@netplane/adapter-sdk';
import type { Service } from '@netplane/domain';

let third = 0;
let vni = 5000;

export const vpcSpec = (): VpcSpec => ({ vpcId: randomUUID(), name: 'vpc-test', cidr: '10.1.0.0/16' });

export function networkSpec(
  vpc: VpcSpec,
  services: Service[] = ['Connectivity', 'Dhcp', 'NetworkACL'],
): NetworkSpec {
  const t = third++ % 250;
  return {
    vpcId: vpc.vpcId,
    networkId: randomUUID(),
    name: `tier-${t}`,
    cidr: `10.1.${t}.0/24`,
    gateway: `10.1.${t}.1`,
    isolation: { method: 'GENEVE', segmentId: vni++ },
    services,
  };
}

export function nicSpec(n: NetworkSpec, index: number): NicSpec {
  const hex = (v: number) => v.toString(16).padStart(2, '0');
  const base = n.cidr.split('.').slice(0, 3).join('.');
  return {
    nicId: randomUUID(),
    networkId: n.networkId,
    vpcId: n.vpcId,
    mac: `02:aa:${hex(n.isolation.segmentId & 0xff)}:00:${hex(index >> 8)}:${hex(index & 0xff)}`,
    ip: `${base}.${10 + (index % 240)}`,
    vmName: `vm-${index}`,
  };
}

/** One ACL rule: allow tcp/5432 Ingress from 10.1.200.0/24 unless `over` says otherwise. */
export const aclRule = (number: number, over: Partial<NetworkAclRuleSpec> = {}): NetworkAclRuleSpec => ({
  ruleId: randomUUID(),
  number,
  action: 'allow',
  protocol: 'tcp',
  trafficType: 'Ingress',
  portStart: 5432,
  portEnd: 5432,
  icmpType: null,
  icmpCode: null,
  cidrs: ['10.1.200.0/24'],
  ...over,
});

export const aclSpec = (
  net: NetworkSpec,
  rules: NetworkAclRuleSpec[],
  listId = 'list-a',
): NetworkAclSpec => ({
  version: 1,
  vpcId: net.vpcId,
  networkId: net.networkId,
  cidr: net.cidr,
  listId,
  listName: listId,
  rules,
});
