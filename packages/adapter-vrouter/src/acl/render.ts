// NetworkACL lists → one nftables table per VPC in its router namespace (`inet <prefix>_acl_<hash(vpcId)>`): a
// forward-hook chain (policy accept) that first accepts `ct state established,related` (allow is stateful: replies of
// an allowed connection pass), then jumps by interface into the tiers' chains: a packet leaving a tier (in on the
// tier's gateway veth) into `out_<hash(networkId)>`, a packet entering one (out on its gateway veth) into `in_…`.
// Rules go in number order, first match decides: allow is `return` (so a packet between two tiers passes the source
// tier's Egress and then the destination tier's Ingress), deny is `drop`; an Ingress chain ends in `drop` (ingress no
// rule matches is dropped), an Egress chain falls through (allowed). Traffic inside a tier is bridged and never
// reaches the router's forward hook, so it is never filtered, and neither is DHCP (input to the gateway).
// Every rule carries our ids in its comment: the jumps `netplane:net=<networkId>,list=<listId>`, the list's rules
// `netplane:rule=<ruleId>,n=<number>`, the closing drop `netplane:default`; observe() checks the kernel against them.
import { createHash } from 'node:crypto';
import { isIPv4 } from 'node:net';
import {
  AdapterError,
  aclRulesDigest,
  NETWORK_ACL_SPEC_VERSION,
  type NetworkAclRuleSpec,
  type NetworkAclSpec,
} from '@netplane/adapter-sdk';
import type { Names } from '../names';
import { checkId } from '../validate';

const h10 = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 10);

export const aclTable = (prefix: string, vpcId: string) => `${prefix}_acl_${h10(vpcId)}`;
export const inChain = (networkId: string) => `in_${h10(networkId)}`;
export const outChain = (networkId: string) => `out_${h10(networkId)}`;
export const jumpComment = (r: Pick<AclRecord, 'networkId' | 'listId'>) =>
  `netplane:net=${r.networkId},list=${r.listId}`;
export const ruleComment = (r: NetworkAclRuleSpec) => `netplane:rule=${r.ruleId},n=${r.number}`;
export const DEFAULT_COMMENT = 'netplane:default';

/** What the host keeps of an applied list (`<stateDir>/<prefix>/<networkId>/acl.json`): the table is built from it. */
export type AclRecord = {
  vpcId: string;
  networkId: string;
  cidr: string;
  listId: string;
  listName: string;
  digest: string;
  rules: NetworkAclRuleSpec[];
};

function bad(what: string, v: unknown): never {
  throw new AdapterError('INVALID_REQUEST', `Invalid ${what}: ${JSON.stringify(v)?.slice(0, 80)}`);
}

function checkCidr(what: string, v: unknown): void {
  const [ip, plen, ...rest] = typeof v === 'string' ? v.split('/') : [];
  const n = Number(plen);
  if (rest.length > 0 || !ip || !isIPv4(ip) || plen === '' || !Number.isInteger(n) || n < 0 || n > 32)
    bad(what, v);
}

const intIn = (v: unknown, lo: number, hi: number) =>
  Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi;

/** Every value that reaches the nft script is checked: ids, CIDRs, numbers, enumerations. */
export function checkAclSpec(spec: NetworkAclSpec): void {
  if (spec.version !== NETWORK_ACL_SPEC_VERSION) {
    throw new AdapterError(
      'INVALID_REQUEST',
      `NetworkAclSpec version ${String(spec.version)} is not supported`,
    );
  }
  checkId('vpcId', spec.vpcId);
  checkId('networkId', spec.networkId);
  checkId('ACL list id', spec.listId);
  checkCidr('tier cidr', spec.cidr);
  if (typeof spec.listName !== 'string' || spec.listName.length > 255) bad('ACL list name', spec.listName);
  const numbers = new Set<number>();
  for (const r of spec.rules) {
    checkId('ACL rule id', r.ruleId);
    if (!intIn(r.number, 1, 9999) || numbers.has(r.number))
      bad('ACL rule number (1..9999, unique)', r.number);
    numbers.add(r.number);
    if (r.action !== 'allow' && r.action !== 'deny') bad('ACL action', r.action);
    if (r.trafficType !== 'Ingress' && r.trafficType !== 'Egress') bad('ACL traffic type', r.trafficType);
    if (!['tcp', 'udp', 'icmp', 'all'].includes(r.protocol)) bad('ACL protocol', r.protocol);
    if ((r.portStart === null) !== (r.portEnd === null)) bad('ACL port range', [r.portStart, r.portEnd]);
    if (r.portStart !== null && (!intIn(r.portStart, 0, 65535) || !intIn(r.portEnd, r.portStart, 65535)))
      bad('ACL port range', [r.portStart, r.portEnd]);
    for (const v of [r.icmpType, r.icmpCode]) if (v !== null && !intIn(v, -1, 255)) bad('ICMP type/code', v);
    if (!Array.isArray(r.cidrs) || r.cidrs.length === 0) bad('ACL rule cidrs', r.cidrs);
    for (const c of r.cidrs) checkCidr('ACL rule CIDR', c);
  }
}

export function recordOf(spec: NetworkAclSpec): AclRecord {
  // Fields in a fixed order: the record read back compares equal (adopt) whatever order the caller's keys had.
  const rules = [...spec.rules]
    .sort((a, b) => a.number - b.number)
    .map((r) => ({
      ruleId: r.ruleId,
      number: r.number,
      action: r.action,
      protocol: r.protocol,
      trafficType: r.trafficType,
      portStart: r.portStart,
      portEnd: r.portEnd,
      icmpType: r.icmpType,
      icmpCode: r.icmpCode,
      cidrs: [...r.cidrs],
    }));
  return {
    vpcId: spec.vpcId,
    networkId: spec.networkId,
    cidr: spec.cidr,
    listId: spec.listId,
    listName: spec.listName,
    digest: aclRulesDigest(rules),
    rules,
  };
}

function protocolMatch(r: NetworkAclRuleSpec): string {
  if (r.protocol === 'all') return '';
  if (r.protocol === 'icmp') {
    const t = r.icmpType !== null && r.icmpType !== -1 ? ` icmp type ${r.icmpType}` : '';
    const c = r.icmpCode !== null && r.icmpCode !== -1 ? ` icmp code ${r.icmpCode}` : '';
    return t || c ? `${t}${c}` : ' meta l4proto icmp';
  }
  if (r.portStart === null || r.portEnd === null) return ` meta l4proto ${r.protocol}`;
  const ports = r.portStart === r.portEnd ? `${r.portStart}` : `${r.portStart}-${r.portEnd}`;
  return ` ${r.protocol} dport ${ports}`;
}

function ruleLine(r: NetworkAclRuleSpec): string {
  const field = r.trafficType === 'Ingress' ? 'ip saddr' : 'ip daddr';
  // 0.0.0.0/0 is every address: no address match at all.
  const remote = r.cidrs.includes('0.0.0.0/0')
    ? ''
    : ` ${field} ${r.cidrs.length === 1 ? r.cidrs[0] : `{ ${r.cidrs.join(', ')} }`}`;
  const verdict = r.action === 'allow' ? 'return' : 'drop';
  return `meta nfproto ipv4${remote}${protocolMatch(r)} ${verdict} comment "${ruleComment(r)}"`;
}

/** The whole table of a VPC from the records of its tiers, as one `nft -f` transaction that replaces it. */
export function renderTable(names: Names, vpcId: string, records: readonly AclRecord[]): string {
  const table = aclTable(names.prefix, vpcId);
  const sorted = [...records].sort((a, b) => a.networkId.localeCompare(b.networkId));
  // `table … {}` then `delete table`: the delete never fails on a first apply, and the whole file is one
  // transaction, so the kernel goes from the old table to the new one with nothing in between.
  const out = [`table inet ${table} {}`, `delete table inet ${table}`];
  if (sorted.length === 0) return `${out.join('\n')}\n`;
  out.push(`table inet ${table} {`);
  for (const rec of sorted) {
    const ingress = rec.rules.filter((r) => r.trafficType === 'Ingress').map(ruleLine);
    const egress = rec.rules.filter((r) => r.trafficType === 'Egress').map(ruleLine);
    out.push(`  chain ${inChain(rec.networkId)} {`, ...ingress.map((l) => `    ${l}`));
    out.push(`    drop comment "${DEFAULT_COMMENT}"`, '  }');
    out.push(`  chain ${outChain(rec.networkId)} {`, ...egress.map((l) => `    ${l}`), '  }');
  }
  out.push(
    '  chain forward {',
    '    type filter hook forward priority filter; policy accept;',
    '    ct state established,related accept',
  );
  for (const rec of sorted) {
    const g = names.gatewayRouterSide(rec.networkId);
    const c = jumpComment(rec);
    out.push(
      `    meta nfproto ipv4 iifname "${g}" jump ${outChain(rec.networkId)} comment "${c}"`,
      `    meta nfproto ipv4 oifname "${g}" jump ${inChain(rec.networkId)} comment "${c}"`,
    );
  }
  out.push('  }', '}');
  return `${out.join('\n')}\n`;
}

/** The comments each chain of the tier must hold, in order: what observe() and the adopt check compare. */
export function expectedChains(rec: AclRecord): Map<string, string[]> {
  const ids = (t: string) => rec.rules.filter((r) => r.trafficType === t).map(ruleComment);
  return new Map([
    [inChain(rec.networkId), [...ids('Ingress'), DEFAULT_COMMENT]],
    [outChain(rec.networkId), ids('Egress')],
  ]);
}
