// The rule specs of the adapter contract: static NAT, load balancing, port forwarding and Network ACL lists, as the
// engine sends them to applyStaticNat / applyLbRule / applyPortForwarding / applyNetworkAcl (element.ts).
import type { AclAction, AclProtocol, AclTrafficType, LbAlgorithm, LbProtocol } from '@netplane/domain';

/** A public IP mapped one-to-one onto a NIC's private IP (CloudStack's static NAT; OVN's dnat_and_snat). */
export type StaticNatSpec = {
  ruleId: string;
  vpcId: string;
  networkId: string;
  nicId: string;
  publicIp: string;
  privateIp: string;
};
export type StaticNatRef = { ruleId: string; vpcId: string; networkId: string };

/** A load-balancing rule of one tier: publicIp:publicPort spread over the members' privatePort. */
export type LbRuleSpec = {
  ruleId: string;
  vpcId: string;
  networkId: string;
  name: string;
  publicIp: string;
  publicPort: number;
  privatePort: number;
  protocol: LbProtocol;
  /** One of the provider's Lb SupportedLbAlgorithms (the API checks it before any call). */
  algorithm: LbAlgorithm;
  /** NICs of this tier that receive the traffic; empty keeps the rule with no backends. */
  members: readonly { nicId: string; ip: string }[];
};
export type LbRuleRef = { ruleId: string; vpcId: string; networkId: string };

/** The version of PortForwardingSpec this SDK sends; an adapter refuses (INVALID_REQUEST) a version it does not know. */
export const PORT_FORWARDING_SPEC_VERSION = 1;

/**
 * A port forwarding rule (version 1): traffic to publicIp on publicPortStart..publicPortEnd (protocol) goes to the
 * NIC's privateIp on the same offset of privatePortStart..privatePortEnd. The API guarantees start ≤ end, ranges of
 * equal length (at most 1000 ports), and no other rule of ours on an overlapping port of the address and protocol.
 */
export type PortForwardingSpec = {
  version: typeof PORT_FORWARDING_SPEC_VERSION;
  ruleId: string;
  vpcId: string;
  networkId: string;
  nicId: string;
  publicIp: string;
  privateIp: string;
  protocol: 'tcp' | 'udp';
  publicPortStart: number;
  publicPortEnd: number;
  privatePortStart: number;
  privatePortEnd: number;
};
export type PortForwardingRef = { ruleId: string; vpcId: string; networkId: string };

/** The version of NetworkAclSpec this SDK sends; an adapter refuses (INVALID_REQUEST) a version it does not know. */
export const NETWORK_ACL_SPEC_VERSION = 1;
/** The manifest's NetworkACL capability that says the element has applyNetworkAcl (ACL lists). */
export const ACL_LISTS_CAPABILITY = 'SupportsAclLists';

/** One rule of a Network ACL list, as CloudStack's NetworkACLItem. */
export type NetworkAclRuleSpec = {
  /** Our rule id (stable across edits and renumbering). */
  ruleId: string;
  /** 1..9999, unique in the list; lower numbers are evaluated first (higher priority). */
  number: number;
  action: AclAction;
  protocol: AclProtocol;
  /** Ingress: traffic into the tier's NICs; Egress: traffic out of them. */
  trafficType: AclTrafficType;
  /** tcp/udp only, both or neither; null = every port. */
  portStart: number | null;
  portEnd: number | null;
  /** icmp only; null or -1 = any. */
  icmpType: number | null;
  icmpCode: number | null;
  /** Canonical IPv4 CIDRs of the remote side: the source of Ingress traffic, the destination of Egress traffic. */
  cidrs: readonly string[];
};

/**
 * The whole ACL of one tier (version 1). The adapter replaces whatever ACL it holds for the tier with exactly this
 * (converging: applying the same spec again changes nothing and answers `adopted: true`). Semantics:
 * - rules in `number` order, first match decides; allow is stateful (replies of an allowed connection pass);
 * - traffic between NICs of the same tier is never filtered, nor a NIC's limited broadcast (255.255.255.255: DHCP
 *   discovery), which never leaves the tier;
 * - Ingress no rule matches is dropped; Egress no rule matches is allowed. So `default_deny` (one rule: 1 Ingress
 *   all deny 0.0.0.0/0) is the tier's old fixed default-deny, and `default_allow` lets everything through.
 */
export type NetworkAclSpec = {
  version: typeof NETWORK_ACL_SPEC_VERSION;
  vpcId: string;
  networkId: string;
  /** The tier's CIDR (what "same tier" means). */
  cidr: string;
  listId: string;
  listName: string;
  /** Sorted by number, numbers unique. */
  rules: readonly NetworkAclRuleSpec[];
};
