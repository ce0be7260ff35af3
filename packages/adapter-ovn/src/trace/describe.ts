// What hops say: for people, an ACL list rule as the console shows it and what an ACL row decided; for experts, the
// logical flow behind the hop (pipeline, stage, table, priority, match and actions).
import { describeAclRule } from '@netplane/adapter-sdk';
import type { TraceStage } from '@netplane/ovsdb';
import type { AclOrigin } from './view';

export const evidence = (s: TraceStage) =>
  `${s.pipeline} ${s.stage} (table ${s.table}, priority ${s.priority}): ${s.match} => ${s.actions.join(' ')}`;

export function aclSummary(o: AclOrigin, tier: string, dropped: boolean): string {
  const list = `ACL list ${o.listName}`;
  if (o.rule)
    return `${list} rule ${o.rule.number} (${describeAclRule(o.rule)}) ${dropped ? 'dropped' : 'allowed'} it`;
  if (o.fixed === 'intra-tier') return `traffic within tier ${tier} is always allowed (${list})`;
  if (o.fixed === 'egress') return `no rule of ${list} matched: Egress is allowed by default`;
  if (o.fixed === 'default-deny') return `no rule of ${list} matched: Ingress is denied by default`;
  return `ACL ${o.fixed ?? ''} of tier ${tier} ${dropped ? 'dropped' : 'allowed'} it`;
}
