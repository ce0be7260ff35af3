// Spec builders for the simulator's own tests.
import { randomUUID } from 'node:crypto';
import type { NetworkSpec, NicSpec, VpcSpec } from '@netplane/adapter-sdk';

export const vpcSpec = (): VpcSpec => ({ vpcId: randomUUID(), name: 'vpc', cidr: '10.1.0.0/16' });

export const networkSpec = (vpc: VpcSpec, vlan = 120): NetworkSpec => ({
  vpcId: vpc.vpcId,
  networkId: randomUUID(),
  name: 'tier',
  cidr: '10.1.1.0/24',
  gateway: '10.1.1.1',
  isolation: { method: 'VLAN', segmentId: vlan },
  services: ['Connectivity'],
});

export const nicSpec = (net: NetworkSpec, i: number): NicSpec => ({
  nicId: randomUUID(),
  networkId: net.networkId,
  vpcId: net.vpcId,
  mac: `02:00:00:00:00:${i.toString(16).padStart(2, '0')}`,
  ip: `10.1.1.${10 + i}`,
  vmName: `vm-${i}`,
});
