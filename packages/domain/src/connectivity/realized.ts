// The Realized condition (beside Ready and Synced): Ready says Netplane's calls succeeded, Synced that the controller
// holds the rows Netplane expects, Realized that the controller made them work (OVN: compiled into the Southbound
// database, ports bound, NAT/LB/ACL flows present). Reasons are CamelCase; these are the ones Netplane itself uses,
// adapters may report others.
export const REALIZED_REASONS = {
  /** Every part was found applied. */
  realized: 'Realized',
  /** The adapter has no realized check (checkRealized absent): Unknown, never False. */
  unsupported: 'CheckUnsupported',
  /** Not checked yet since the last change. */
  pending: 'NotChecked',
  /** The check itself failed (controller unreachable...): Unknown. */
  checkFailed: 'CheckFailed',
  /** OVN: ovn-northd did not compile the change within the bounded wait (nb_cfg never reached sb_cfg). */
  northdNotRunning: 'NorthdNotRunning',
  /** The change reached the compiled state but a part of it has no compiled form (datapath, logical flows). */
  notCompiled: 'NotCompiled',
  /** NAT or LB on a router with no gateway chassis: accepted but inert. */
  noGatewayChassis: 'NoGatewayChassis',
  /** A NIC's port has no binding in the compiled state (virtual router: no VM has taken the NIC's veth peer). */
  portNotBound: 'PortNotBound',
  /** Virtual router: a device the part needs is not on the appliance (namespace, bridge, veth, address, route). */
  missingOnHost: 'MissingOnHost',
  /** Virtual router: a NIC's port is on its tier's bridge but administratively down. */
  portDown: 'PortDown',
  /** Virtual router: the tier's DHCP server (dnsmasq) is not running. */
  dhcpNotRunning: 'DhcpNotRunning',
  /** Virtual router: the NIC's lease is not in the hosts file the running dnsmasq last loaded. */
  dhcpEntryNotLoaded: 'DhcpEntryNotLoaded',
  /** Virtual router: the kernel's nftables rules differ from the ACL or NAT rules Netplane applied. */
  rulesDiffer: 'RulesDiffer',
} as const;
export type RealizedReason = (typeof REALIZED_REASONS)[keyof typeof REALIZED_REASONS];
