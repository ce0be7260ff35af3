// The kernel's nftables ruleset of a router namespace (`nft -n -j list ruleset`: numeric, so protocols, ct states
// and ICMP types are numbers) as a small model of the matches and verdicts Netplane's tables use: addresses as
// intervals, ports as ranges, l4proto, ICMP type/code, interface names, ct state, and the NAT statements. The same
// model serves the Realized check (the kernel's rules compared with the ones rendered from the records) and the
// trace (a packet evaluated against the chains). An expression outside it is kept as `unknown`: the check then says
// the rules differ, and the trace refuses to guess.

export type Interval = [number, number];
export type Cond =
  | { f: 'saddr' | 'daddr'; in: Interval[]; neg: boolean }
  | { f: 'l4proto' | 'nfproto'; in: number[]; neg: boolean }
  | { f: 'sport' | 'dport'; proto: number; in: Interval[]; neg: boolean }
  | { f: 'icmpType' | 'icmpCode'; in: Interval[]; neg: boolean }
  | { f: 'iifname' | 'oifname'; in: string[]; neg: boolean }
  | { f: 'ct'; states: number; neg: boolean }
  | { f: 'ctStatus'; bits: number; neg: boolean };

/** A NAT statement; masquerade's address is the outgoing interface's (addr ''), known only on the way out. */
export type Nat = { type: 'dnat' | 'snat' | 'masquerade'; addr: string; ports?: [number, number][] };
export type Verdict =
  | { v: 'accept' | 'drop' | 'return' | 'continue' }
  | { v: 'jump' | 'goto'; target: string }
  | { v: 'nat'; nat: Nat };

export type Rule = {
  comment: string;
  conds: Cond[];
  verdict: Verdict;
  /** Expressions outside the model (JSON), in order: the rule cannot be evaluated. */
  unknown: string[];
};
export type Chain = {
  family: string;
  table: string;
  name: string;
  hook?: string;
  type?: string;
  prio?: number;
  policy?: 'accept' | 'drop';
  rules: Rule[];
};
export type Ruleset = { chains: Chain[]; tables: { family: string; name: string }[] };

export const PROTO = { icmp: 1, tcp: 6, udp: 17 } as const;
/** ct state bits as nft prints them numerically. */
export const CT = { invalid: 1, established: 2, related: 4, new: 8, untracked: 64 } as const;
/** ct status bits (the kernel's IPS_* flags) as nft prints them numerically: the hairpin and firewall rules test dnat. */
export const CT_STATUS = { snat: 16, dnat: 32 } as const;

export const ipNum = (ip: string): number => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
export const ipStr = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export function cidrInterval(cidr: string): Interval {
  const [base = '0.0.0.0', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const lo = Math.floor(ipNum(base) / size) * size;
  return [lo, lo + size - 1];
}

/** Sorted, overlapping and adjacent intervals merged: nft merges a set of prefixes the same way. */
export function merge(list: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [a, b] of [...list].sort((x, y) => x[0] - y[0])) {
    const last = out.at(-1);
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

type J = Record<string, unknown>;
const isObj = (x: unknown): x is J => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A right-hand side as intervals: a value, a prefix, a range, a set of those (addresses go through `num`). */
function intervals(right: unknown, num: (v: unknown) => number): Interval[] | null {
  if (typeof right === 'number' || typeof right === 'string') return [[num(right), num(right)]];
  if (Array.isArray(right)) {
    const parts = right.map((r) => intervals(r, num));
    return parts.some((p) => p === null) ? null : merge(parts.flat() as Interval[]);
  }
  if (!isObj(right)) return null;
  if (isObj(right.prefix)) {
    const p = right.prefix as { addr: string; len: number };
    return [cidrInterval(`${p.addr}/${p.len}`)];
  }
  if (Array.isArray(right.range)) {
    const [a, b] = right.range as [unknown, unknown];
    return [[num(a), num(b)]];
  }
  if (Array.isArray(right.set)) return intervals(right.set, num);
  return null;
}

const asNum = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);
const asIp = (v: unknown) => (typeof v === 'string' ? ipNum(v) : Number.NaN);

function condOf(m: J): Cond | null {
  const op = m.op;
  if (op !== '==' && op !== '!=' && op !== 'in') return null;
  const neg = op === '!=';
  const left = m.left as J;
  const right = m.right;
  if (isObj(left?.payload)) {
    const { protocol, field } = left.payload as { protocol: string; field: string };
    if (protocol === 'ip' && (field === 'saddr' || field === 'daddr')) {
      const iv = intervals(right, asIp);
      return iv ? { f: field, in: iv, neg } : null;
    }
    if ((protocol === 'tcp' || protocol === 'udp') && (field === 'dport' || field === 'sport')) {
      const iv = intervals(right, asNum);
      return iv ? { f: field, proto: PROTO[protocol], in: iv, neg } : null;
    }
    if (protocol === 'icmp' && (field === 'type' || field === 'code')) {
      const iv = intervals(right, asNum);
      return iv ? { f: field === 'type' ? 'icmpType' : 'icmpCode', in: iv, neg } : null;
    }
    return null;
  }
  if (isObj(left?.meta)) {
    const key = (left.meta as { key: string }).key;
    if (key === 'l4proto' || key === 'nfproto') {
      const iv = intervals(right, asNum);
      return iv ? { f: key, in: iv.flatMap(([a, b]) => range(a, b)), neg } : null;
    }
    if (key === 'iifname' || key === 'oifname') {
      const names =
        typeof right === 'string' ? [right] : isObj(right) && Array.isArray(right.set) ? right.set : null;
      return names?.every((n) => typeof n === 'string') ? { f: key, in: names as string[], neg } : null;
    }
    return null;
  }
  const ctKey = isObj(left?.ct) ? (left.ct as { key: string }).key : null;
  if (ctKey === 'state' || ctKey === 'status') {
    const bits = (Array.isArray(right) ? right : [right]).reduce<number>((a, b) => a | asNum(b), 0);
    if (Number.isNaN(bits)) return null;
    return ctKey === 'state' ? { f: 'ct', states: bits, neg } : { f: 'ctStatus', bits, neg };
  }
  return null;
}

const range = (a: number, b: number) => Array.from({ length: Math.min(b - a + 1, 256) }, (_, i) => a + i);

function natOf(type: 'dnat' | 'snat', body: unknown): Nat | null {
  if (!isObj(body) || typeof body.addr !== 'string') return null;
  if (body.port === undefined) return { type, addr: body.addr };
  const map = isObj(body.port) && isObj(body.port.map) ? (body.port.map as J) : null;
  const data = map && isObj(map.data) && Array.isArray(map.data.set) ? (map.data.set as unknown[]) : null;
  if (typeof body.port === 'number') return { type, addr: body.addr, ports: [[Number.NaN, body.port]] };
  if (!data?.every((p) => Array.isArray(p) && p.length === 2)) return null;
  return { type, addr: body.addr, ports: data as [number, number][] };
}

export function ruleOf(comment: string, expr: readonly unknown[]): Rule {
  const rule: Rule = { comment, conds: [], verdict: { v: 'continue' }, unknown: [] };
  for (const e of expr) {
    if (!isObj(e)) {
      rule.unknown.push(JSON.stringify(e));
      continue;
    }
    const [key] = Object.keys(e);
    const body = key === undefined ? undefined : e[key];
    if (key === 'match' && isObj(body)) {
      const c = condOf(body);
      if (c) rule.conds.push(c);
      else rule.unknown.push(JSON.stringify(e));
    } else if (key === 'counter' || key === 'log') {
      // Counts or logs, decides nothing.
    } else if (key === 'accept' || key === 'drop' || key === 'return') rule.verdict = { v: key };
    else if (key === 'reject') rule.verdict = { v: 'drop' };
    else if ((key === 'jump' || key === 'goto') && isObj(body) && typeof body.target === 'string')
      rule.verdict = { v: key, target: body.target };
    else if (key === 'dnat' || key === 'snat') {
      const nat = natOf(key, body);
      if (nat) rule.verdict = { v: 'nat', nat };
      else rule.unknown.push(JSON.stringify(e));
    } else if (key === 'masquerade' && (body === null || (isObj(body) && Object.keys(body).length === 0)))
      rule.verdict = { v: 'nat', nat: { type: 'masquerade', addr: '' } };
    else rule.unknown.push(JSON.stringify(e));
  }
  return rule;
}

type Item = {
  table?: { family: string; name: string };
  /** A chain as nft prints it: the model's fields, with any policy nft knows. */
  chain?: Omit<Chain, 'rules' | 'policy'> & { policy?: string };
  rule?: { family: string; table: string; chain: string; comment?: string; expr?: unknown[] };
};

/** Parses `nft -n -j list ruleset`; null for a namespace that could not be read. */
export function parseRuleset(json: string | undefined): Ruleset | null {
  const text = (json ?? '').trim();
  if (text === '' || text === 'null') return null;
  const items = ((JSON.parse(text) as { nftables?: Item[] }).nftables ?? []) as Item[];
  const chains = new Map<string, Chain>();
  const key = (f: string, t: string, n: string) => `${f} ${t} ${n}`;
  for (const { chain: c } of items) {
    if (!c) continue;
    chains.set(key(c.family, c.table, c.name), {
      family: c.family,
      table: c.table,
      name: c.name,
      ...(c.hook !== undefined && { hook: c.hook }),
      ...(c.type !== undefined && { type: c.type }),
      ...(c.prio !== undefined && { prio: c.prio }),
      ...(c.policy === 'accept' || c.policy === 'drop' ? { policy: c.policy } : {}),
      rules: [],
    });
  }
  for (const { rule: r } of items) {
    if (!r) continue;
    chains.get(key(r.family, r.table, r.chain))?.rules.push(ruleOf(r.comment ?? '', r.expr ?? []));
  }
  return {
    chains: [...chains.values()],
    tables: items.flatMap((i) => (i.table ? [{ family: i.table.family, name: i.table.name }] : [])),
  };
}

export const chainOf = (rs: Ruleset | null, family: string, table: string, name: string) =>
  rs?.chains.find((c) => c.family === family && c.table === table && c.name === name);

/**
 * A rule in a canonical form for comparison: conditions sorted, nfproto left out (nft drops `meta nfproto ipv4`
 * where an ip match implies it), so the kernel's rule and the one rendered from a record compare equal.
 */
export function canonical(r: Rule): string {
  const conds = r.conds.filter((c) => c.f !== 'nfproto').map((c) => JSON.stringify(c));
  return JSON.stringify({ comment: r.comment, conds: conds.sort(), verdict: r.verdict, unknown: r.unknown });
}
