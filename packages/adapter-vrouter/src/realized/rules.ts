// The rules' half of the Realized check: the kernel's nftables rules in the router namespace against what Netplane
// applied. An ACL list is realized when the tier's two chains hold exactly the rules rendered from its record (in
// nft.ts's canonical form, compared by digest), the forward chain starts stateful and jumps into them; a static NAT,
// port forward or source NAT when its rules do what their comments (the NAT record) say and its public address is
// on the public veth. NAT rules the kernel lost entirely are known from the NAT record file (nat/record.ts).

import { createHash } from 'node:crypto';
import {
  aclListResourceId,
  unrealizedVerdict as no,
  type RealizedResource,
  type RealizedVerdict as Verdict,
  realizedVerdict as yes,
} from '@netplane/adapter-sdk';
import { REALIZED_REASONS as R } from '@netplane/domain';
import { type AclRecord, aclTable } from '../acl/render';
import type { Ctx } from '../context';
import { publicBridgeFor, vlanOfLink } from '../nat/public-vlan';
import { type NatState, natStateOf, natTable, publicHostSide, publicRouterSide } from '../nat/table';
import { expectedJumps, expectedTierChains, STATEFUL } from '../trace/expected';
import { type Cond, canonical, chainOf, type Rule, type Ruleset } from '../trace/nft';
import { type Appliance, adminUp } from './read';

const digest = (rules: readonly Rule[]) =>
  createHash('sha256')
    .update(JSON.stringify(rules.map(canonical)))
    .digest('hex')
    .slice(0, 16);

export function aclVerdicts(c: Ctx, a: Appliance, wanted: ReadonlySet<string> | null): RealizedResource[] {
  return a.records
    .filter((r) => !wanted || wanted.has(r.networkId))
    .map((rec) => ({ kind: 'acl' as const, id: aclListResourceId(rec.networkId), ...aclVerdict(c, a, rec) }));
}

function aclVerdict(c: Ctx, a: Appliance, rec: AclRecord): Verdict {
  if (!a.ruleset) return no(R.missingOnHost, `the router namespace ${a.ns} is missing`);
  const table = aclTable(c.names.prefix, rec.vpcId);
  if (!a.ruleset.tables.some((t) => t.family === 'inet' && t.name === table))
    return no(R.rulesDiffer, `the nftables table inet ${table} is missing from ${a.ns}`);
  const fwd = chainOf(a.ruleset, 'inet', table, 'forward');
  if (fwd?.hook !== 'forward' || fwd.type !== 'filter')
    return no(R.rulesDiffer, `the table inet ${table} has no forward hook chain`);
  if (canonical(fwd.rules[0] ?? STATEFUL) !== canonical(STATEFUL) || fwd.rules.length === 0)
    return no(
      R.rulesDiffer,
      `the forward chain of inet ${table} does not start with ct state established,related accept`,
    );
  const have = new Set(fwd.rules.map(canonical));
  if (!expectedJumps(c.names, rec).every((j) => have.has(canonical(j))))
    return no(R.rulesDiffer, `the forward chain of inet ${table} does not jump into the tier's chains`);
  const evidence: string[] = [];
  for (const [name, want] of expectedTierChains(rec)) {
    const got = chainOf(a.ruleset, 'inet', table, name)?.rules ?? [];
    const [dw, dg] = [digest(want), digest(got)];
    evidence.push(`chain ${name}: ${got.length} rules, kernel digest ${dg}, applied ${dw}`);
    if (dw === dg) continue;
    const i = want.findIndex((r, k) => got[k] === undefined || canonical(r) !== canonical(got[k] as Rule));
    const at = i < 0 ? want.length : i;
    const shown = (r: Rule | undefined) => (r ? r.comment || 'a rule without comment' : 'nothing');
    return no(
      R.rulesDiffer,
      `chain ${name} differs from list ${rec.listId} at rule ${at + 1}: the kernel holds ${shown(got[at])}, Netplane applied ${shown(want[at])}`,
      evidence,
    );
  }
  return yes(`the kernel holds exactly the ${rec.rules.length} rules of list ${rec.listName}`, evidence);
}

/** Our NAT table's state by its rules' comments (what nat/table.ts reads), from the model of the ruleset. */
export function natOfKernel(c: Ctx, vpcId: string, rs: Ruleset | null): NatState | null {
  if (!rs) return null;
  const items = [
    ...rs.tables.map((t) => ({ table: t })),
    ...rs.chains.flatMap((ch) =>
      ch.rules.map((r) => ({
        rule: { family: ch.family, table: ch.table, chain: ch.name, comment: r.comment },
      })),
    ),
  ];
  const st = natStateOf(c, vpcId, { items });
  return st === 'foreign' ? null : st;
}

const eq = (ip: string): Cond => ({ f: 'daddr', in: [ipInterval(ip)], neg: false });
const ipInterval = (ip: string): [number, number] => {
  const n = ip.split('.').reduce((x, o) => x * 256 + Number(o), 0);
  return [n, n];
};

export function natVerdicts(c: Ctx, a: Appliance): RealizedResource[] {
  const applied = a.natRecord ?? natOfKernel(c, a.vpcId, a.ruleset);
  if (!applied) return [];
  const rs = a.ruleset;
  const t = natTable(c, a.vpcId);
  const pre = chainOf(rs, 'ip', t, 'pre')?.rules ?? [];
  const post = chainOf(rs, 'ip', t, 'post')?.rules ?? [];
  const q = publicRouterSide(c, a.vpcId);
  const pub = a.nsLinks?.get(q);
  const host = a.links.get(publicHostSide(c, a.vpcId));
  const tablePresent = rs?.tables.some((x) => x.family === 'ip' && x.name === t) ?? false;
  const side = (ip: string): Verdict | null => {
    if (!tablePresent) return no(R.rulesDiffer, `the NAT table ip ${t} is missing from ${a.ns}`);
    const bridge = publicBridgeFor(c, host ? vlanOfLink(host) : (a.natRecord?.vlan ?? null));
    if (!host || host.master !== bridge || !adminUp(host) || !adminUp(pub))
      return no(R.missingOnHost, `the public veth ${q} is not up on the public bridge ${bridge}`);
    if (!pub?.addr_info?.some((x) => x.local === ip))
      return no(R.missingOnHost, `the public address ${ip} is missing on ${q}`);
    return null;
  };
  const find = (rules: Rule[], comment: string, want: Omit<Rule, 'comment'>) => {
    const got = rules.find((r) => r.comment === comment);
    return got && canonical(got) === canonical({ ...want, comment }) ? got : null;
  };
  const oif: Cond = { f: 'oifname', in: [q], neg: false };
  const out: RealizedResource[] = [];
  for (const r of applied.statics) {
    const tag = `nat ${r.ruleId} ${r.networkId} ${r.publicIp} ${r.privateIp}`;
    const d = find(pre, tag, {
      conds: [eq(r.publicIp)],
      verdict: { v: 'nat', nat: { type: 'dnat', addr: r.privateIp } },
      unknown: [],
    });
    const s = find(post, tag, {
      conds: [oif, { f: 'saddr', in: [ipInterval(r.privateIp)], neg: false }],
      verdict: { v: 'nat', nat: { type: 'snat', addr: r.publicIp } },
      unknown: [],
    });
    const v =
      side(r.publicIp) ??
      (d && s
        ? yes(`${r.publicIp} ⇄ ${r.privateIp} (DNAT and SNAT in ip ${t})`, [`ip ${t} pre/post: ${tag}`])
        : no(
            R.rulesDiffer,
            `the DNAT or SNAT rule of static NAT ${r.publicIp} → ${r.privateIp} is missing or altered in ip ${t}`,
          ));
    out.push({ kind: 'nat', id: r.ruleId, ...v });
  }
  for (const r of applied.pfs) {
    const [ps, pe] = r.publicPorts;
    const tag = `pf ${r.ruleId} ${r.protocol} ${r.publicIp} ${ps}-${pe} ${r.privateIp} ${r.privatePorts.join('-')}`;
    const pairs = Array.from(
      { length: pe - ps + 1 },
      (_, i) => [ps + i, r.privatePorts[0] + i] as [number, number],
    );
    const d = find(pre, tag, {
      conds: [
        eq(r.publicIp),
        { f: 'dport', proto: r.protocol === 'tcp' ? 6 : 17, in: [[ps, pe]], neg: false },
      ],
      verdict: { v: 'nat', nat: { type: 'dnat', addr: r.privateIp, ports: pairs } },
      unknown: [],
    });
    const v =
      side(r.publicIp) ??
      (d
        ? yes(`${r.publicIp}:${ps}-${pe} → ${r.privateIp} in ip ${t}`, [`ip ${t} pre: ${tag}`])
        : no(
            R.rulesDiffer,
            `the DNAT rule of port forwarding ${r.publicIp}:${ps}-${pe} is missing or altered in ip ${t}`,
          ));
    out.push({ kind: 'pf', id: r.ruleId, ...v });
  }
  if (applied.snat) {
    const { networkId, ip, plen, gateway } = applied.snat;
    const tag = `snat ${networkId} ${ip}/${plen} ${gateway ?? '-'}`;
    const s = find(post, tag, {
      conds: [oif],
      verdict: { v: 'nat', nat: { type: 'snat', addr: ip } },
      unknown: [],
    });
    const route =
      gateway === null || a.routes.some((x) => x.dst === 'default' && x.gateway === gateway && x.dev === q);
    const v =
      side(ip) ??
      (!s
        ? no(R.rulesDiffer, `the source NAT rule to ${ip} is missing or altered in ip ${t}`)
        : !route
          ? no(R.missingOnHost, `the default route via ${gateway} is missing in ${a.ns}`)
          : yes(`the VPC leaves by ${ip}${gateway ? ` via ${gateway}` : ''}`, [`ip ${t} post: ${tag}`]));
    out.push({ kind: 'nat', id: `${networkId}/snat`, ...v });
  }
  return out;
}
