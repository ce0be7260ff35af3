// The DHCP_Options a tier gets: addressing (server, router, lease) and what the guest needs from the zone and the
// physical network (issue 11 point 5): the MTU left once the overlay's encapsulation is taken off the physical
// link's MTU, and the zone's DNS servers and search domain.
import type { NetworkSpec } from '@netplane/adapter-sdk';
import type { IsolationMethod } from '@netplane/domain';
import { routerPortMac } from './names';

/**
 * Bytes an isolation method adds around a guest frame on an IPv4 underlay. For the overlays these are OVN's own
 * figures (lib/ovn-util.h: GENEVE_TUNNEL_OVERHEAD 38 = UDP 8 + Geneve 8 + OVN's 8-byte metadata option + inner
 * Ethernet 14; VXLAN_TUNNEL_OVERHEAD 30 = UDP 8 + VXLAN 8 + inner Ethernet 14; STT_TUNNEL_OVERHEAD 18) plus the outer
 * IPv4 header (20), which OVN leaves to the caller: Geneve 58, VXLAN 50 (1442 and 1450 on a 1500 link, the figures
 * OVN deployments hand their guests). A VLAN tag lives in the link's own header: no overhead. GRE: outer IPv4 20 +
 * GRE with key 8 + inner Ethernet 14.
 */
export const ENCAPSULATION_OVERHEAD: Record<IsolationMethod, number> = {
  VLAN: 0,
  GENEVE: 38 + 20,
  VXLAN: 30 + 20,
  STT: 18 + 20,
  GRE: 20 + 8 + 14,
};

/** An element given no physical MTU (an older engine) assumes plain Ethernet. */
export const DEFAULT_PHYSICAL_MTU = 1500;

export const guestMtu = (n: Pick<NetworkSpec, 'isolation' | 'dhcp'>): number =>
  (n.dhcp?.physicalMtu ?? DEFAULT_PHYSICAL_MTU) - ENCAPSULATION_OVERHEAD[n.isolation.method];

/** The options observe() checks on every tier: derived from the tier's own rows, so they can be compared without a spec. */
export const coreDhcpOptions = (n: Pick<NetworkSpec, 'networkId' | 'gateway'>): Record<string, string> => ({
  server_id: n.gateway,
  server_mac: routerPortMac(n.networkId),
  router: n.gateway,
  lease_time: '3600',
});

/** Options that come from the zone and the physical network (the spec's `dhcp`), in OVN's DHCP_Options syntax. */
export function settingsDhcpOptions(n: Pick<NetworkSpec, 'isolation' | 'dhcp'>): Record<string, string> {
  const servers = n.dhcp?.dnsServers ?? [];
  return {
    mtu: String(guestMtu(n)),
    // OVN takes one address bare and several as a set: {a, b}.
    ...(servers.length === 1 ? { dns_server: servers[0] ?? '' } : {}),
    ...(servers.length > 1 ? { dns_server: `{${servers.join(', ')}}` } : {}),
    // domain_name is a string option: OVN wants it quoted.
    ...(n.dhcp?.dnsDomain ? { domain_name: `"${n.dhcp.dnsDomain}"` } : {}),
  };
}

/** Everything we set on a tier's DHCP_Options. */
export const dhcpOptions = (
  n: Pick<NetworkSpec, 'networkId' | 'gateway' | 'isolation' | 'dhcp'>,
): Record<string, string> => ({ ...coreDhcpOptions(n), ...settingsDhcpOptions(n) });

/** Options the zone's settings own: one the settings no longer give (a search domain cleared) is removed. */
export const SETTINGS_OPTIONS = ['mtu', 'dns_server', 'domain_name'] as const;
