// The OVN adapter's manifest: only what this package really configures in the OVN Northbound database.
import { type AdapterManifest, configSchemaFrom, credentialSchemaFrom } from '@netplane/adapter-sdk';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };
import { OVN_LB_ALGORITHMS } from './lb';
import { MAX_BATCH } from './names';

export const OVN_ADAPTER_VERSION: string = packageJson.version;

const pem = z.string().trim().min(1).max(20_000);
/** TLS material for ssl: endpoints; empty for tcp: and unix: endpoints. Every field is a secret. */
export const ovnCredentialSchema = z
  .object({ privateKey: pem.optional(), certificate: pem.optional(), caCertificate: pem.optional() })
  .strict()
  .transform(
    (c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as Record<string, string>,
  );

export const ovnConfigSchema = z
  .object({
    /**
     * Legacy: the external address SourceNat translated a tier's CIDR to before VPCs had their own. Still accepted, and
     * used only by tiers implemented without a gateway (gatewayChassis unset); new tiers get the VPC's address.
     */
    snatExternalIp: z.ipv4().optional(),
    /**
     * The chassis (its name in the Southbound Chassis table, as `ovn-sbctl show` lists it) that hosts the VPCs' gateway
     * router ports: SourceNat, StaticNat and Lb reach the public network there. Without it those services are declined.
     */
    gatewayChassis: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,255}$/)
      .optional(),
    /** The physical network name in ovn-bridge-mappings that VLAN tiers' localnet ports attach to. */
    localnetNetworkName: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/)
      .optional(),
    /**
     * The Southbound database ovn-northd compiles into (tcp:, ssl: with the same TLS credentials as the Northbound, or
     * unix:). Read only: the Realized check (Port_Binding, datapaths, logical flows) and the connectivity check
     * (ovn-trace) need it; without it both answer that they cannot, never guess.
     */
    southboundEndpoint: z
      .string()
      .regex(
        /^(tcp|ssl):[^\s]{1,250}$|^unix:\/[^\s]{1,250}$/,
        'must be tcp:HOST:PORT, ssl:HOST:PORT or unix:/path',
      )
      .optional(),
    /** Our echo keep-alive; ovsdb-server's own probe is answered regardless. */
    probeIntervalMs: z.number().int().min(0).max(600_000).optional(),
    connectTimeoutMs: z.number().int().min(100).max(120_000).optional(),
  })
  .strict();
export type OvnConfig = z.infer<typeof ovnConfigSchema>;

export const MAX_BATCH_SIZE = MAX_BATCH;

export const ovnManifest: AdapterManifest = {
  id: 'ovn',
  vendor: 'OVN',
  version: OVN_ADAPTER_VERSION,
  displayName: 'OVN (Open Virtual Network)',
  description:
    'Drives the OVN Northbound database over OVSDB (RFC 7047): a VPC is a Logical_Router, a tier a Logical_Switch ' +
    'joined to it by a router port, a NIC a Logical_Switch_Port with port security; DHCP_Options per tier, the ' +
    "tier's default ACLs on one Port_Group, source NAT as a NAT row, static NAT as a dnat_and_snat NAT row, load " +
    "balancing as a Load_Balancer on the tier's switch and the VPC's router (source-hash only: OVN hashes flows, it " +
    'has no round robin or least connections), port forwarding as a one-backend Load_Balancer per rule. The router reaches the public network through a gateway port on the ' +
    "VPC's external switch, bound to the controller's gatewayChassis. Tiers are Geneve overlays, or VLANs through a " +
    'localnet port when the controller names its physical network (localnetNetworkName).',
  protocol: 'OVSDB',
  isolationMethods: ['GENEVE', 'VLAN'],
  services: {
    Connectivity: { DistributedRouter: true, StretchedL2Subnet: false, RegionLevelVpc: false },
    Gateway: {},
    Dhcp: { DhcpAccrossMultipleSubnets: false },
    NetworkACL: {
      SupportedProtocols: ['tcp', 'udp', 'icmp', 'all'],
      DefaultPolicy: 'deny-ingress-allow-egress',
      SupportsAclLists: true,
    },
    SourceNat: { SupportedSourceNatTypes: ['perzone'], RedundantRouter: false },
    StaticNat: {},
    Lb: { SupportedLbAlgorithms: OVN_LB_ALGORITHMS, SupportedProtocols: ['tcp', 'udp'] },
    PortForwarding: { SupportedProtocols: ['tcp', 'udp'] },
  },
  canEnableIndividualServices: true,
  // Both live on the VPC's router and reach the tier through its router port: the Connectivity the same
  // provider configures.
  serviceDependencies: [
    { service: 'StaticNat', requires: ['Connectivity'] },
    { service: 'Lb', requires: ['Connectivity'] },
    { service: 'PortForwarding', requires: ['Connectivity'] },
  ],
  credentialSchema: credentialSchemaFrom(ovnCredentialSchema),
  configSchema: configSchemaFrom(ovnConfigSchema),
  endpointHint: 'tcp:127.0.0.1:6641 or unix:/var/run/ovn/ovnnb_db.sock (ssl:HOST:6641 with TLS credentials)',
  limits: { maxBatchSize: MAX_BATCH_SIZE, recommendedConcurrency: 8, recommendedCallsPerSecond: 200 },
  idempotentByKey: true,
  supportsBatchPrepare: true,
};
