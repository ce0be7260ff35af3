// What the kernel must hold for an applied ACL record, in nft.ts's model: the rules acl/render.ts renders, as nft
// reads them back (a set of CIDRs as merged intervals, `tcp dport` implying tcp, `0.0.0.0/0` no address match).
import type { NetworkAclRuleSpec } from '@netplane/adapter-sdk';
import { type AclRecord, DEFAULT_COMMENT, inChain, jumpComment, outChain, ruleComment } from '../acl/render';
import type { Names } from '../names';
import { type Cond, CT, cidrInterval, merge, PROTO, type Rule } from './nft';

function condsOf(r: NetworkAclRuleSpec): Cond[] {
  const conds: Cond[] = [];
  if (!r.cidrs.includes('0.0.0.0/0')) {
    conds.push({
      f: r.trafficType === 'Ingress' ? 'saddr' : 'daddr',
      in: merge(r.cidrs.map(cidrInterval)),
      neg: false,
    });
  }
  if (r.protocol === 'icmp') {
    const t = r.icmpType !== null && r.icmpType !== -1 ? r.icmpType : null;
    const c = r.icmpCode !== null && r.icmpCode !== -1 ? r.icmpCode : null;
    if (t !== null) conds.push({ f: 'icmpType', in: [[t, t]], neg: false });
    if (c !== null) conds.push({ f: 'icmpCode', in: [[c, c]], neg: false });
    if (t === null && c === null) conds.push({ f: 'l4proto', in: [PROTO.icmp], neg: false });
  } else if (r.protocol === 'tcp' || r.protocol === 'udp') {
    if (r.portStart === null || r.portEnd === null)
      conds.push({ f: 'l4proto', in: [PROTO[r.protocol]], neg: false });
    else conds.push({ f: 'dport', proto: PROTO[r.protocol], in: [[r.portStart, r.portEnd]], neg: false });
  }
  return conds;
}

const rule = (comment: string, conds: Cond[], verdict: Rule['verdict']): Rule => ({
  comment,
  conds,
  verdict,
  unknown: [],
});

/** The tier's two chains, rule by rule. */
export function expectedTierChains(rec: AclRecord): Map<string, Rule[]> {
  const of = (t: 'Ingress' | 'Egress') =>
    rec.rules
      .filter((r) => r.trafficType === t)
      .map((r) => rule(ruleComment(r), condsOf(r), { v: r.action === 'allow' ? 'return' : 'drop' }));
  return new Map([
    [inChain(rec.networkId), [...of('Ingress'), rule(DEFAULT_COMMENT, [], { v: 'drop' })]],
    [outChain(rec.networkId), of('Egress')],
  ]);
}

/** The tier's jumps in the forward chain. */
export function expectedJumps(names: Names, rec: AclRecord): Rule[] {
  const g = names.gatewayRouterSide(rec.networkId);
  const c = jumpComment(rec);
  return [
    rule(c, [{ f: 'iifname', in: [g], neg: false }], { v: 'jump', target: outChain(rec.networkId) }),
    rule(c, [{ f: 'oifname', in: [g], neg: false }], { v: 'jump', target: inChain(rec.networkId) }),
  ];
}

/** The forward chain's first rule: replies of an allowed connection pass (allow is stateful). */
export const STATEFUL = rule('', [{ f: 'ct', states: CT.established | CT.related, neg: false }], {
  v: 'accept',
});
