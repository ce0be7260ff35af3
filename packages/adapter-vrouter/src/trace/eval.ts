// One packet through the kernel's chains as nft.ts models them: the base chains of a hook (families ip and inet) in
// priority order, each rule's conditions, first match decides, jump/goto/return as netfilter does them, the chain's
// policy at its end. A rule with an expression outside the model stops the evaluation (`unknown`), never a guess.
import type { Chain, Cond, Interval, Rule, Ruleset } from './nft';

export type Packet = {
  src: number;
  dst: number;
  proto: number;
  sport: number | null;
  dport: number | null;
  icmpType: number | null;
  icmpCode: number | null;
  iif: string;
  oif: string;
  /** The ct state bit: a traced packet is the first of its connection (new). */
  ct: number;
  /** The ct status bits: dnat once prerouting rewrote its destination. */
  ctStatus: number;
};

/** A rule that matched (or a chain's policy, rule null) on the way. */
export type Step = { chain: Chain; rule: Rule | null };
export type ChainResult =
  | { kind: 'accept' | 'drop'; steps: Step[]; nat?: Rule }
  | { kind: 'unknown'; steps: Step[]; rule: Rule; chain: Chain };

const inside = (iv: readonly Interval[], n: number | null) =>
  n !== null && iv.some(([a, b]) => n >= a && n <= b);

export function matches(c: Cond, p: Packet): boolean {
  switch (c.f) {
    case 'saddr':
      return inside(c.in, p.src) !== c.neg;
    case 'daddr':
      return inside(c.in, p.dst) !== c.neg;
    case 'l4proto':
      return c.in.includes(p.proto) !== c.neg;
    case 'nfproto':
      return c.in.includes(2) !== c.neg;
    // A payload match carries its protocol dependency: `tcp dport != 22` never matches a udp packet.
    case 'sport':
    case 'dport':
      return p.proto === c.proto && inside(c.in, c.f === 'dport' ? p.dport : p.sport) !== c.neg;
    case 'icmpType':
      return p.proto === 1 && inside(c.in, p.icmpType) !== c.neg;
    case 'icmpCode':
      return p.proto === 1 && inside(c.in, p.icmpCode) !== c.neg;
    case 'iifname':
      return c.in.includes(p.iif) !== c.neg;
    case 'oifname':
      return c.in.includes(p.oif) !== c.neg;
    case 'ct':
      return ((p.ct & c.states) !== 0) !== c.neg;
    case 'ctStatus':
      return ((p.ctStatus & c.bits) === c.bits) !== c.neg;
  }
}

type Inner =
  | { kind: 'accept' | 'drop' | 'return'; nat?: Rule }
  | { kind: 'unknown'; rule: Rule; chain: Chain };

function run(rs: Ruleset, chain: Chain, p: Packet, steps: Step[], depth: number): Inner {
  if (depth > 16)
    return {
      kind: 'unknown',
      rule: {
        comment: 'jump depth',
        conds: [],
        verdict: { v: 'continue' },
        unknown: ['jumps nested deeper than 16'],
      },
      chain,
    };
  for (const rule of chain.rules) {
    // The conditions are ANDed: one known condition that fails is enough to skip a rule, whatever else it holds
    // (the hairpin's `masquerade` never stops a packet from the public side it does not match).
    if (!rule.conds.every((c) => matches(c, p))) continue;
    if (rule.unknown.length > 0) return { kind: 'unknown', rule, chain };
    const v = rule.verdict;
    if (v.v === 'continue') continue;
    steps.push({ chain, rule });
    if (v.v === 'accept' || v.v === 'drop' || v.v === 'return') return { kind: v.v };
    if (v.v === 'nat') return { kind: 'accept', nat: rule };
    if (v.v !== 'jump' && v.v !== 'goto') continue;
    const target = rs.chains.find(
      (c) => c.family === chain.family && c.table === chain.table && c.name === v.target,
    );
    if (!target) return { kind: 'unknown', rule, chain };
    const r = run(rs, target, p, steps, depth + 1);
    if (r.kind !== 'return') return r;
    if (v.v === 'goto') return r;
  }
  if (chain.hook === undefined) return { kind: 'return' };
  steps.push({ chain, rule: null });
  return { kind: chain.policy === 'drop' ? 'drop' : 'accept' };
}

/** The base chains of a hook in the order the kernel runs them. */
export function baseChains(rs: Ruleset, hook: string, type: 'filter' | 'nat'): Chain[] {
  return rs.chains
    .filter((c) => c.hook === hook && c.type === type && (c.family === 'ip' || c.family === 'inet'))
    .sort((a, b) => (a.prio ?? 0) - (b.prio ?? 0));
}

/** A filter hook: every base chain in turn; a drop anywhere is final, an accept ends only its own chain. */
export function filterHook(rs: Ruleset, hook: string, p: Packet): ChainResult[] {
  const out: ChainResult[] = [];
  for (const chain of baseChains(rs, hook, 'filter')) {
    const steps: Step[] = [];
    const r = run(rs, chain, p, steps, 0);
    if (r.kind === 'unknown') return [...out, { kind: 'unknown', steps, rule: r.rule, chain: r.chain }];
    const kind = r.kind === 'drop' ? 'drop' : 'accept';
    out.push({ kind, steps });
    if (kind === 'drop') break;
  }
  return out;
}

/** A nat hook: the first rule with a NAT statement that matches, in the chains' order (null: no rewrite). */
export function natHook(rs: Ruleset, hook: string, p: Packet): ChainResult | null {
  for (const chain of baseChains(rs, hook, 'nat')) {
    const steps: Step[] = [];
    const r = run(rs, chain, p, steps, 0);
    if (r.kind === 'unknown') return { kind: 'unknown', steps, rule: r.rule, chain: r.chain };
    if (r.kind === 'drop') return { kind: 'drop', steps };
    if (r.nat) return { kind: 'accept', steps, nat: r.nat };
  }
  return null;
}
