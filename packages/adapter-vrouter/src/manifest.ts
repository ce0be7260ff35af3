// The virtual router adapter's manifest: only what this package really configures on the router host today.
// Lb is haproxy per VPC in its router namespace (src/lb); Firewall the public side's stateful filter (src/firewall).
import { type AdapterManifest, configSchemaFrom, credentialSchemaFrom } from '@netplane/adapter-sdk';
import packageJson from '../package.json' with { type: 'json' };
import { vrouterConfigSchema, vrouterCredentialSchema } from './config';
import { LB_ALGORITHMS_OFFERED } from './lb/config';
import { MAX_BATCH } from './names';

export const vrouterManifest: AdapterManifest = {
  id: 'virtual-router',
  vendor: 'Netplane',
  version: packageJson.version,
  displayName: 'Virtual Router (Linux over SSH)',
  description:
    'Drives a Linux router host over SSH, as CloudStack drives its Virtual Router: a VPC is a router network ' +
    'namespace, a tier a bridge per VLAN id or VNI (VXLAN device on the bridge) with the gateway address on a veth ' +
    "into the router namespace, a NIC a veth port on the tier's bridge whose peer the hypervisor takes, with a " +
    'static lease in the dnsmasq serving the tier (router, DNS and MTU options). Commands are batched: ip -batch ' +
    'and one dnsmasq reload per batch of NICs. NetworkACL lists are an nftables table per VPC in its router ' +
    'namespace, replaced atomically (one nft -f) per apply, stateful. SourceNat, StaticNat and PortForwarding are ' +
    'another nftables table per VPC, rewritten whole with nft -f, behind a veth on the configured public bridge ' +
    '(a public range with a VLAN: a bridge per public VLAN, its port the 802.1Q sub-interface of the public uplink ' +
    'when the kernel has 802.1Q). ' +
    'Lb is one haproxy per VPC in its router namespace (tcp mode, a backend per rule; member changes through its ' +
    'runtime API, other changes by seamless reloads; established connections are kept). Firewall is the stateful ingress filter of the public side, an nftables table ' +
    'rendered from the published services (NAT, port forwards, LB listeners, ICMP echo): everything else from the ' +
    'public network is dropped. There are no firewall rules of their own.',
  protocol: 'SSH',
  isolationMethods: ['VLAN', 'VXLAN'],
  services: {
    Connectivity: { DistributedRouter: false, StretchedL2Subnet: false, RegionLevelVpc: false },
    Dhcp: { DhcpAccrossMultipleSubnets: false },
    // nftables in the VPC's router namespace (src/acl): one table per VPC, replaced atomically per apply.
    NetworkACL: {
      SupportedProtocols: ['tcp', 'udp', 'icmp', 'all'],
      DefaultPolicy: 'deny-ingress-allow-egress',
      SupportsAclLists: true,
    },
    SourceNat: { SupportedSourceNatTypes: ['peraccount'], RedundantRouter: false },
    StaticNat: {},
    PortForwarding: { SupportedProtocols: ['tcp', 'udp'] },
    // haproxy in tcp mode (no UDP); source hashing is consistent (a member change moves only its own clients).
    Lb: { SupportedLbAlgorithms: [...LB_ALGORITHMS_OFFERED], SupportedProtocols: ['tcp'] },
    // No rule API: the filter lets in what the VPC publishes (the protocols of its NAT, port forwards and LB) and
    // ICMP echo to its public IPs, on every public IP of the VPC, ingress only.
    Firewall: {
      SupportedProtocols: ['tcp', 'udp', 'icmp'],
      MultipleIps: true,
      SupportedTrafficDirection: 'ingress',
    },
  },
  canEnableIndividualServices: true,
  serviceDependencies: [
    { service: 'Dhcp', requires: ['Connectivity'] },
    { service: 'NetworkACL', requires: ['Connectivity'] },
    { service: 'SourceNat', requires: ['Connectivity'] },
    { service: 'StaticNat', requires: ['Connectivity'] },
    { service: 'PortForwarding', requires: ['Connectivity'] },
    { service: 'Lb', requires: ['Connectivity'] },
    { service: 'Firewall', requires: ['Connectivity'] },
  ],
  credentialSchema: credentialSchemaFrom(vrouterCredentialSchema),
  configSchema: configSchemaFrom(vrouterConfigSchema),
  endpointHint: 'ssh://root@192.0.2.10:3922 (the host key pinned in the config)',
  limits: { maxBatchSize: MAX_BATCH, recommendedConcurrency: 4, recommendedCallsPerSecond: 50 },
  idempotentByKey: true,
  supportsBatchPrepare: true,
};
