// The simulator's manifest: an honest description of what the simulated controller offers.
import { type AdapterManifest, configSchemaFrom, credentialSchemaFrom } from '@netplane/adapter-sdk';
import { LB_ALGORITHMS, LB_PROTOCOLS } from '@netplane/domain';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };
import { MAX_BATCH_SIZE } from './core/controller';

export const SIMULATOR_VERSION: string = packageJson.version;

export const simulatorConfigSchema = z
  .object({
    /** Applied to the controller's profile when the element is created (in-process mode only). */
    latencyMs: z.number().min(0).max(60_000).optional(),
    jitterMs: z.number().min(0).max(60_000).optional(),
    /**
     * Models a controller whose VPC routers reach the public network only through a configured gateway (OVN's
     * gatewayChassis): when true and gatewayChassis is unset, canHandle DECLINES SourceNat, StaticNat and Lb.
     */
    requireGatewayChassis: z.boolean().optional(),
    gatewayChassis: z.string().min(1).max(255).optional(),
  })
  .strict();

export type SimulatorConfig = z.infer<typeof simulatorConfigSchema>;

export const simulatorCredentialSchema = z.object({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(500),
});

const GATEWAY_SERVICES: readonly string[] = ['SourceNat', 'StaticNat', 'Lb'];

/** The reason the simulated controller declines `service` for want of a gateway, or undefined. */
export function gatewayDeclineOf(config: SimulatorConfig, service: string): string | undefined {
  if (!config.requireGatewayChassis || config.gatewayChassis || !GATEWAY_SERVICES.includes(service))
    return undefined;
  return `${service} needs a gateway chassis for the VPC router: set gatewayChassis in the controller config`;
}

export const simulatorManifest: AdapterManifest = {
  id: 'simulator',
  vendor: 'Netplane',
  version: SIMULATOR_VERSION,
  displayName: 'Netplane simulator',
  description:
    'A stateful simulated SDN controller (routers, switches, ports, VLAN/VNI table) with configurable latency, ' +
    'limits and scripted faults, for demos, tests and fault drills. Endpoint sim://<name> runs in the server; ' +
    'http://127.0.0.1:<port> talks to a standalone simulator process.',
  protocol: 'SIMULATED',
  isolationMethods: ['VLAN', 'VXLAN', 'GENEVE'],
  services: {
    Dhcp: { DhcpAccrossMultipleSubnets: false },
    Dns: { AllowDnsSuffixModification: true },
    UserData: {},
    SourceNat: { SupportedSourceNatTypes: ['peraccount', 'perzone'], RedundantRouter: false },
    // Static NAT and Lb are real calls on the simulated routers (rules held, conflicts on public IPs, observed).
    StaticNat: {},
    PortForwarding: { SupportedProtocols: ['tcp', 'udp'] },
    Firewall: {
      SupportedProtocols: ['tcp', 'udp', 'icmp'],
      MultipleIps: true,
      TrafficStatistics: 'per public ip',
    },
    Lb: {
      SupportedLbAlgorithms: [...LB_ALGORITHMS],
      SupportedProtocols: [...LB_PROTOCOLS],
    },
    NetworkACL: { SupportedProtocols: ['tcp', 'udp', 'icmp', 'all'], SupportsAclLists: true },
    Vpn: { SupportedVpnTypes: ['s2svpn', 'remoteaccess'] },
    Gateway: {},
    Connectivity: { DistributedRouter: true, StretchedL2Subnet: false, RegionLevelVpc: false },
    SecurityGroup: { SupportedProtocols: ['tcp', 'udp', 'icmp'], Ingress: true, Egress: true },
  },
  canEnableIndividualServices: true,
  serviceDependencies: [
    { service: 'PortForwarding', requires: ['SourceNat'] },
    { service: 'StaticNat', requires: ['SourceNat'] },
    { service: 'Lb', requires: ['SourceNat'] },
    { service: 'Vpn', requires: ['SourceNat'] },
  ],
  credentialSchema: credentialSchemaFrom(simulatorCredentialSchema),
  configSchema: configSchemaFrom(simulatorConfigSchema),
  endpointHint: 'sim://<name> (in-process) or http://127.0.0.1:<port> (standalone simulator)',
  limits: { maxBatchSize: MAX_BATCH_SIZE, recommendedConcurrency: 16, recommendedCallsPerSecond: 200 },
  idempotentByKey: true,
  supportsBatchPrepare: true,
};
