// The ACL decision of the simulator's trace, with NetworkAclSpec's semantics (adapter-sdk rule-specs.ts): rules in
// number order, first match decides; a packet no rule matches is dropped on Ingress and allowed on Egress. Traffic
// inside one tier never reaches here (the caller switches it without a filter). Stateful: only the first packet of
// a flow is traced, so "the reply passes" needs no rule of its own.
import type { NetworkAclRuleSpec, NetworkAclSpec, TraceFlow, TraceHop } from '@netplane/adapter-sdk';
import { DEFAULT_DENY_ACL_ID, ipv4ToInt, parseIpv4Cidr } from '@netplane/domain';
import type { SimStore } from './store';

export type TierAt = { type: 'tier'; id: string; name: string };

/**
 * The fixed default-deny a tier implemented with NetworkACL holds until a list is applied: the built-in default_deny,
 * reported as OVN reports its fixed rows, by the list's implicit Ingress default (no rule of it matched) rather than
 * as rule 1, so both adapters name it alike.
 */
const defaultDeny = (networkId: string, vpcId: string): NetworkAclSpec => ({
  version: 1,
  vpcId,
  networkId,
  cidr: '',
  listId: DEFAULT_DENY_ACL_ID,
  listName: 'default_deny',
  rules: [],
});

/** The ACL the switch holds: the list applied last, else default_deny when implemented with NetworkACL, else none. */
export function aclOfTier(store: SimStore, networkId: string, vpcId: string): NetworkAclSpec | undefined {
  return (
    store.acls.get(networkId) ?? (store.aclTiers.has(networkId) ? defaultDeny(networkId, vpcId) : undefined)
  );
}

/** Is `ip` inside `cidr`? A malformed CIDR matches nothing. */
export function inCidr(ip: string, cidr: string): boolean {
  const c = parseIpv4Cidr(cidr);
  const n = ipv4ToInt(ip);
  return c !== null && n !== null && n >= c.base && n < c.base + c.size;
}

function matches(rule: NetworkAclRuleSpec, flow: TraceFlow, remoteIp: string): boolean {
  if (rule.protocol !== 'all' && rule.protocol !== flow.protocol) return false;
  if (flow.protocol === 'icmp') {
    if (rule.protocol === 'icmp') {
      if (rule.icmpType !== null && rule.icmpType !== -1 && rule.icmpType !== flow.icmpType) return false;
      if (rule.icmpCode !== null && rule.icmpCode !== -1 && rule.icmpCode !== flow.icmpCode) return false;
    }
  } else if (rule.protocol !== 'all' && rule.portStart !== null && rule.portEnd !== null) {
    if (flow.port < rule.portStart || flow.port > rule.portEnd) return false;
  }
  return rule.cidrs.some((c) => inCidr(remoteIp, c));
}

/** "deny tcp 5432 from 10.1.1.0/24": a rule as the hop's summary names it. */
function ruleText(r: NetworkAclRuleSpec): string {
  const what =
    r.protocol === 'icmp'
      ? `icmp${r.icmpType !== null && r.icmpType !== -1 ? ` type ${r.icmpType}` : ''}`
      : r.protocol === 'all' || r.portStart === null
        ? r.protocol
        : `${r.protocol} ${r.portStart === r.portEnd ? r.portStart : `${r.portStart}-${r.portEnd}`}`;
  return `${r.action} ${what} ${r.trafficType === 'Ingress' ? 'from' : 'to'} ${r.cidrs.join(', ')}`;
}

/**
 * The ACL hop of one tier for one direction: `remoteIp` is the source of Ingress traffic and the destination of
 * Egress traffic, as the rules' CIDRs mean it. A tier without an ACL (no NetworkACL service) filters nothing.
 */
export function aclHop(
  acl: NetworkAclSpec | undefined,
  at: TierAt,
  trafficType: 'Ingress' | 'Egress',
  flow: TraceFlow,
  remoteIp: string,
): TraceHop {
  if (!acl) {
    return {
      kind: 'acl',
      verdict: 'pass',
      at,
      summary: `Tier ${at.name} has no ACL list: ${trafficType} traffic is not filtered`,
      evidence: [`switch np-net-${at.id}: no ACL`],
    };
  }
  const rules = [...acl.rules]
    .filter((r) => r.trafficType === trafficType)
    .sort((a, b) => a.number - b.number);
  const rule = rules.find((r) => matches(r, flow, remoteIp));
  const action = rule ? rule.action : trafficType === 'Ingress' ? 'deny' : 'allow';
  const verdict = action === 'allow' ? 'pass' : 'drop';
  const did = verdict === 'pass' ? 'allowed' : 'dropped';
  const summary = rule
    ? `ACL list ${acl.listName} rule ${rule.number} (${ruleText(rule)}) ${did} it`
    : `No ${trafficType} rule of ACL list ${acl.listName} matched: the implicit default (${trafficType} ${action}) ${did} it`;
  return {
    kind: 'acl',
    verdict,
    at,
    summary,
    ref: {
      type: 'aclRule',
      listId: acl.listId,
      ruleId: rule?.ruleId ?? null,
      number: rule?.number ?? null,
      action,
      trafficType,
    },
    evidence: [
      `switch np-net-${at.id}: ${trafficType} ${remoteIp} ${flow.protocol}${'port' in flow ? `/${flow.port}` : ''} → ${rule ? `rule ${rule.number}` : 'default'} ${action}`,
    ],
  };
}
