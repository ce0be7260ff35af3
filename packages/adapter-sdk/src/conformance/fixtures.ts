// Builders of VPC, network and NIC specs with fresh ids, so runs against a shared controller never collide.
import { randomInt, randomUUID } from 'node:crypto';
import type { IsolationMethod } from '@netplane/domain';
import type {
  CallContext,
  LbRuleSpec,
  NetworkSpec,
  NicSpec,
  ObservedResource,
  PortForwardingSpec,
  StaticNatSpec,
  VpcSpec,
} from '../element';

export type Fixtures = {
  vpc(): VpcSpec;
  network(vpc: VpcSpec): NetworkSpec;
  nic(network: NetworkSpec, index: number): NicSpec;
  ctx(signal?: AbortSignal): CallContext;
  /**
   * A public address never handed out before in this process (198.18.0.0/15, outside every fixture VPC): a controller
   * may hold public IPs zone-wide, and earlier cases leave their rules behind.
   */
  publicIp(): string;
  staticNat(nic: NicSpec, publicIp: string): StaticNatSpec;
  lbRule(network: NetworkSpec, publicIp: string, members: readonly NicSpec[]): LbRuleSpec;
  /** Public ports 2222-2224 onto the NIC's 22-24, tcp. */
  portForwarding(nic: NicSpec, publicIp: string): PortForwardingSpec;
};

// 198.18.0.0/15 without the .0 and .255 of each /24; a random start keeps two runs on one controller apart.
const PUBLIC_SPACE = 512 * 254;
let nextPublic = randomInt(0, PUBLIC_SPACE);

// One sequence per isolation method and process: every Fixtures of a test file (network and public-services suites
// on one controller) draws from it, so two suites never hand out the same VLAN/VNI. Separate random starts per
// Fixtures overlapped now and then ("VLAN … already used by localnet port"). The random start keeps two runs
// against one real controller (VLANs are zone-wide) apart.
const VLAN_RANGE = [100, 3900] as const;
const OVERLAY_RANGE = [10_000, 15_000_000] as const;
const nextSegment = new Map<IsolationMethod, number>();

function takeSegment(method: IsolationMethod): number {
  const [lo, hi] = method === 'VLAN' ? VLAN_RANGE : OVERLAY_RANGE;
  const n = nextSegment.get(method) ?? randomInt(lo, hi);
  nextSegment.set(method, n + 1 >= hi ? lo : n + 1);
  return n;
}

export function createFixtures(method: IsolationMethod): Fixtures {
  let octet = randomInt(0, 200);
  return {
    vpc: () => ({ vpcId: randomUUID(), name: 'conformance-vpc', cidr: '10.0.0.0/16' }),
    network(vpc) {
      const third = octet++ % 250;
      return {
        vpcId: vpc.vpcId,
        networkId: randomUUID(),
        name: `conformance-tier-${third}`,
        cidr: `10.0.${third}.0/24`,
        gateway: `10.0.${third}.1`,
        isolation: { method, segmentId: takeSegment(method) },
        services: ['Connectivity', 'Dhcp'],
      };
    },
    nic(network, index) {
      const base = network.cidr.split('.').slice(0, 3).join('.');
      const hex = (n: number) => n.toString(16).padStart(2, '0');
      return {
        nicId: randomUUID(),
        networkId: network.networkId,
        vpcId: network.vpcId,
        mac: `02:00:${hex(randomInt(0, 256))}:${hex(randomInt(0, 256))}:${hex(index >> 8)}:${hex(index & 0xff)}`,
        ip: `${base}.${10 + index}`,
        vmName: `conformance-vm-${index}`,
      };
    },
    ctx: (signal) => ({ signal: signal ?? AbortSignal.timeout(15_000), idempotencyKey: randomUUID() }),
    publicIp: () => {
      const n = nextPublic++ % PUBLIC_SPACE;
      const block = Math.floor(n / 254);
      return `198.${18 + (block >> 8)}.${block & 0xff}.${(n % 254) + 1}`;
    },
    staticNat: (nic, publicIp) => ({
      ruleId: randomUUID(),
      vpcId: nic.vpcId,
      networkId: nic.networkId,
      nicId: nic.nicId,
      publicIp,
      privateIp: nic.ip,
    }),
    lbRule: (network, publicIp, members) => ({
      ruleId: randomUUID(),
      vpcId: network.vpcId,
      networkId: network.networkId,
      name: 'conformance-lb',
      publicIp,
      publicPort: 80,
      privatePort: 8080,
      protocol: 'tcp',
      algorithm: 'roundrobin',
      members: members.map((m) => ({ nicId: m.nicId, ip: m.ip })),
    }),
    portForwarding: (nic, publicIp) => ({
      version: 1,
      ruleId: randomUUID(),
      vpcId: nic.vpcId,
      networkId: nic.networkId,
      nicId: nic.nicId,
      publicIp,
      privateIp: nic.ip,
      protocol: 'tcp',
      publicPortStart: 2222,
      publicPortEnd: 2224,
      privatePortStart: 22,
      privatePortEnd: 24,
    }),
  };
}

export const idsOf = (resources: ObservedResource[], kind: ObservedResource['kind']): string[] =>
  resources
    .filter((r) => r.kind === kind)
    .map((r) => r.id)
    .sort();

/** What observe should report for an Lb rule's members: `ip:privatePort`, sorted, joined by ','. */
export const membersOf = (rule: LbRuleSpec): string =>
  rule.members
    .map((m) => `${m.ip}:${rule.privatePort}`)
    .sort()
    .join(',');
