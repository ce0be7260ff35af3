// The fingerprint of a Network ACL list's rules. An adapter reports it on the list a tier holds (observed kind `acl`,
// id `<networkId>/list`, attribute `aclRules`) and the engine compares it with the rules it would apply, so a
// controller that holds the tier's list with other rules (a Northbound restored from a backup, a record edited by
// hand) is drift, not only a controller that lost the list.
import { createHash } from 'node:crypto';
import type { NetworkAclRuleSpec } from './element';

/** The id suffix of the observed resource that is a tier's list: `<networkId>/list`. */
export const ACL_LIST_RESOURCE = 'list';
export const aclListResourceId = (networkId: string): string => `${networkId}/${ACL_LIST_RESOURCE}`;

/** `<rule count>:<16 hex digits>`, the same for the same rules in any order (they are sorted by number). */
export function aclRulesDigest(rules: readonly NetworkAclRuleSpec[]): string {
  const canonical = [...rules]
    .sort((a, b) => a.number - b.number)
    .map((r) => [
      r.ruleId,
      r.number,
      r.action,
      r.protocol,
      r.trafficType,
      r.portStart,
      r.portEnd,
      r.icmpType,
      r.icmpCode,
      [...r.cidrs],
    ]);
  const hash = createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 16);
  return `${rules.length}:${hash}`;
}
