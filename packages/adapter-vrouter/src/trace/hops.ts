// Evaluated chains → hops named by Netplane's objects: a rule of our ACL table by its comment (list, rule id and
// number, from the tier's record), the closing drop of an Ingress chain and the fall-through of an Egress chain as
// the list's defaults, a NAT rule by its comment (static NAT, port forwarding, source NAT). A rule of a table that is
// not ours which drops the packet is named as such: the kernel, not our records, decides.
import { describeAclRule, type TraceHop } from '@netplane/adapter-sdk';
import { type AclRecord, aclTable, DEFAULT_COMMENT, inChain, outChain } from '../acl/render';
import type { Ctx } from '../context';
import type { ChainResult, Step } from './eval';
import type { Nat, Rule } from './nft';

export type At = TraceHop['at'];
export type HopCtx = {
  c: Ctx;
  vpcId: string;
  records: readonly AclRecord[];
  tierName: (networkId: string) => string;
};

const RULE = /^netplane:rule=([^,]+),n=(\d+)$/;

export const ruleEvidence = (s: Step) =>
  `nft ${s.chain.family} ${s.chain.table} ${s.chain.name}: ${s.rule ? s.rule.comment || '(no comment)' : `policy ${s.chain.policy ?? 'accept'}`}`;

/** The record whose chain `name` is (in_/out_ of its tier). */
const recordOfChain = (h: HopCtx, name: string) =>
  h.records.find((r) => name === inChain(r.networkId) || name === outChain(r.networkId));

export function filterHops(h: HopCtx, results: readonly ChainResult[]): TraceHop[] {
  const ours = aclTable(h.c.names.prefix, h.vpcId);
  const hops: TraceHop[] = [];
  for (const res of results) {
    const steps = res.steps;
    steps.forEach((s, i) => {
      const rec = recordOfChain(h, s.chain.name);
      const own = s.chain.family === 'inet' && s.chain.table === ours;
      if (own && s.rule?.verdict.v === 'jump') {
        const target = s.rule.verdict.target;
        const next = steps[i + 1];
        const tr = recordOfChain(h, target);
        // A jump into an Egress chain no rule of which matched: the list's default, allow.
        if (tr && target.startsWith('out_') && next?.chain.name !== target)
          hops.push(aclHop(h, tr, null, 'Egress', false, [ruleEvidence(s)]));
        return;
      }
      const m = s.rule ? RULE.exec(s.rule.comment) : null;
      const r = m ? rec?.rules.find((x) => x.ruleId === m[1]) : undefined;
      if (own && rec && s.rule && (s.rule.comment === DEFAULT_COMMENT || r)) {
        const dropped = s.rule.verdict.v === 'drop';
        if (s.rule.comment === DEFAULT_COMMENT)
          hops.push(aclHop(h, rec, null, 'Ingress', true, [ruleEvidence(s)]));
        else {
          hops.push(
            aclHop(h, rec, r ?? null, s.chain.name.startsWith('in_') ? 'Ingress' : 'Egress', dropped, [
              ruleEvidence(s),
            ]),
          );
        }
        return;
      }
      // A rule Netplane did not make (in someone else's table, or added by hand to ours) that drops the packet.
      if (s.rule?.verdict.v === 'drop')
        hops.push({
          kind: 'acl',
          verdict: 'drop',
          at: { type: 'router', id: h.vpcId, name: 'VPC router' },
          summary: `a rule Netplane did not make (chain ${s.chain.name} of table ${s.chain.family} ${s.chain.table}) dropped it`,
          evidence: [ruleEvidence(s)],
        });
      else if (!s.rule && s.chain.policy === 'drop')
        hops.push({
          kind: 'acl',
          verdict: 'drop',
          at: { type: 'router', id: h.vpcId, name: 'VPC router' },
          summary: `the drop policy of chain ${s.chain.name} (table ${s.chain.family} ${s.chain.table}, not Netplane's) dropped it`,
          evidence: [ruleEvidence(s)],
        });
    });
  }
  return hops;
}

function aclHop(
  h: HopCtx,
  rec: AclRecord,
  rule: AclRecord['rules'][number] | null,
  trafficType: 'Ingress' | 'Egress',
  dropped: boolean,
  evidence: string[],
): TraceHop {
  const tier = h.tierName(rec.networkId);
  const list = `ACL list ${rec.listName}`;
  const summary = rule
    ? `${list} rule ${rule.number} (${describeAclRule(rule)}) ${dropped ? 'dropped' : 'allowed'} it`
    : trafficType === 'Ingress'
      ? `no rule of ${list} matched: Ingress is denied by default`
      : `no rule of ${list} matched: Egress is allowed by default`;
  return {
    kind: 'acl',
    verdict: dropped ? 'drop' : 'pass',
    at: { type: 'tier', id: rec.networkId, name: tier },
    summary,
    ref: {
      type: 'aclRule',
      listId: rec.listId,
      ruleId: rule?.ruleId ?? null,
      number: rule?.number ?? null,
      action: rule ? rule.action : dropped ? 'deny' : 'allow',
      trafficType,
    },
    evidence,
  };
}

/** A NAT rewrite hop from the rule that made it, named by its comment. */
export function natHop(
  h: HopCtx,
  rule: Rule,
  nat: Nat,
  from: string,
  port: number | null,
  evidence: string[],
): TraceHop {
  const words = rule.comment.split(' ');
  const at: At = { type: 'gateway', id: h.vpcId, name: 'VPC gateway' };
  const to = nat.ports ? `${nat.addr}:${nat.ports.find(([p]) => p === port)?.[1] ?? port}` : nat.addr;
  if (nat.type === 'dnat') {
    const pf = words[0] === 'pf';
    return {
      kind: 'nat',
      verdict: 'pass',
      at,
      summary: pf
        ? `port forwarding rule ${words[1]} sends ${from}:${port} to ${to}`
        : `static NAT${words[0] === 'nat' ? ` rule ${words[1]}` : ''} rewrites the destination ${from} to ${nat.addr}`,
      ...(words[0] === 'pf' || words[0] === 'nat'
        ? {
            ref: pf
              ? { type: 'portForwarding' as const, ruleId: words[1] ?? '' }
              : { type: 'staticNat' as const, ruleId: words[1] ?? '' },
          }
        : {}),
      rewrite: { field: 'ip4.dst', from, to: nat.addr },
      evidence,
    };
  }
  const statik = words[0] === 'nat';
  if (nat.type === 'masquerade')
    return {
      kind: 'nat',
      verdict: 'pass',
      at,
      summary: `hairpin NAT rewrites the source ${from} to the router's ${nat.addr}, so the reply comes back through it`,
      rewrite: { field: 'ip4.src', from, to: nat.addr },
      evidence,
    };
  return {
    kind: 'nat',
    verdict: 'pass',
    at,
    summary: `${statik ? 'static NAT' : 'source NAT'} rewrites the source ${from} to ${nat.addr}`,
    ref: statik ? { type: 'staticNat', ruleId: words[1] ?? '' } : { type: 'sourceNat', publicIp: nat.addr },
    rewrite: { field: 'ip4.src', from, to: nat.addr },
    evidence,
  };
}
