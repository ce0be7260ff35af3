// The VPC's load balancer as one haproxy configuration: a `listen` section per Netplane LB rule (named by the rule
// id, servers named by NIC id), bound to publicIp:publicPort in the VPC's router namespace. The configuration file is
// the record: each section carries a comment with the rule's fields, so a change reads it back, edits the parsed
// rules and renders the whole file again (deterministically: the same rules give the same bytes).
import { isIPv4 } from 'node:net';
import { AdapterError, type LbRuleSpec } from '@netplane/adapter-sdk';
import type { LbAlgorithm } from '@netplane/domain';
import type { Ctx } from '../context';
import { encodeTag, parseTag } from '../names';
import { checkId } from '../validate';

export const LB_ALGORITHMS_OFFERED: readonly LbAlgorithm[] = ['roundrobin', 'leastconn', 'source'];

export type LbMember = { nicId: string; ip: string };
export type LbRule = {
  ruleId: string;
  networkId: string;
  publicIp: string;
  publicPort: number;
  privatePort: number;
  algorithm: LbAlgorithm;
  members: LbMember[];
};

/** `<stateDir>/<prefix>/lb-<vpcId>`: haproxy.cfg, pid and the stats socket `sock`. */
export const lbDir = (c: Ctx, vpcId: string) => `${c.stateRoot}/lb-${vpcId}`;
export const lbPaths = (c: Ctx, vpcId: string) => {
  const dir = lbDir(c, vpcId);
  return { dir, cfg: `${dir}/haproxy.cfg`, pid: `${dir}/pid`, sock: `${dir}/sock` };
};
/** A Unix socket path holds 107 bytes (sun_path): a longer stateDir cannot hold the stats socket. */
const SUN_PATH_MAX = 107;

const bad = (what: string, v: unknown): never => {
  throw new AdapterError('INVALID_REQUEST', `Invalid ${what}: ${JSON.stringify(v)?.slice(0, 40)}`);
};
const port = (what: string, v: unknown) => {
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 65_535) bad(what, v);
};

/** Every value that reaches the configuration or a script is checked: ids, addresses, ports, enumerations. */
export function checkLbSpec(c: Ctx, rule: LbRuleSpec): LbRule {
  for (const k of ['ruleId', 'vpcId', 'networkId'] as const) checkId(k, rule[k]);
  if (typeof rule.publicIp !== 'string' || !isIPv4(rule.publicIp)) bad('public IP', rule.publicIp);
  port('public port', rule.publicPort);
  port('private port', rule.privatePort);
  if (rule.protocol !== 'tcp') {
    throw new AdapterError('INVALID_REQUEST', 'The virtual router balances tcp only (haproxy in tcp mode)');
  }
  if (!LB_ALGORITHMS_OFFERED.includes(rule.algorithm)) bad('LB algorithm', rule.algorithm);
  const seen = new Set<string>();
  for (const m of rule.members ?? []) {
    checkId('member nicId', m.nicId);
    if (typeof m.ip !== 'string' || !isIPv4(m.ip)) bad('member IP', m.ip);
    if (seen.has(m.nicId)) bad('member (twice)', m.nicId);
    seen.add(m.nicId);
  }
  if (lbPaths(c, rule.vpcId).sock.length > SUN_PATH_MAX) {
    throw new AdapterError(
      'INVALID_REQUEST',
      `config stateDir is too long for haproxy's stats socket (a Unix socket path holds ${SUN_PATH_MAX} bytes)`,
    );
  }
  return {
    ruleId: rule.ruleId,
    networkId: rule.networkId,
    publicIp: rule.publicIp,
    publicPort: rule.publicPort,
    privatePort: rule.privatePort,
    algorithm: rule.algorithm,
    members: [...(rule.members ?? [])]
      .map((m) => ({ nicId: m.nicId, ip: m.ip }))
      .sort((a, b) => a.nicId.localeCompare(b.nicId)),
  };
}

export const vipOf = (r: Pick<LbRule, 'publicIp' | 'publicPort'>) => `${r.publicIp}:${r.publicPort}`;
export const membersOf = (r: LbRule) =>
  r.members
    .map((m) => `${m.ip}:${r.privatePort}`)
    .sort()
    .join(',');
export const sameRule = (a: LbRule | undefined, b: LbRule) => JSON.stringify(a) === JSON.stringify(b);

const fileTag = (vpcId: string) => encodeTag({ kind: 'lb', vpc: vpcId });

export function renderConfig(c: Ctx, vpcId: string, rules: readonly LbRule[]): string {
  const p = lbPaths(c, vpcId);
  const lines = [
    `# ${fileTag(vpcId)}`,
    '# Written by Netplane (virtual router adapter); edits are overwritten.',
    'global',
    // expose-fd listeners: a reload (-x) takes the listening sockets over, so no SYN is refused meanwhile.
    `    stats socket ${p.sock} mode 600 level admin expose-fd listeners`,
    '    stats timeout 30s',
    // Within a login session's usual open-files limit: haproxy needs about two descriptors per connection.
    '    maxconn 4096',
    'defaults',
    '    mode tcp',
    '    timeout connect 5s',
    '    timeout client 1h',
    '    timeout server 1h',
  ];
  for (const r of [...rules].sort((a, b) => a.ruleId.localeCompare(b.ruleId))) {
    const tag = encodeTag({
      rule: r.ruleId,
      net: r.networkId,
      vip: vipOf(r),
      port: String(r.privatePort),
      algo: r.algorithm,
    });
    lines.push(`listen ${r.ruleId}`, `    # ${tag}`, `    bind ${vipOf(r)}`, `    balance ${r.algorithm}`);
    // Consistent hashing keeps a client on its member when another member comes or goes.
    if (r.algorithm === 'source') lines.push('    hash-type consistent');
    for (const m of r.members) lines.push(`    server ${m.nicId} ${m.ip}:${r.privatePort}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The rules a configuration holds; null when the file is absent, 'foreign' when it is not ours for this VPC. */
export function parseConfig(vpcId: string, text: string | null): LbRule[] | null | 'foreign' {
  if (text === null) return null;
  if (!text.startsWith(`# ${fileTag(vpcId)}\n`)) return 'foreign';
  const rules: LbRule[] = [];
  let cur: LbRule | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('listen ')) cur = null;
    const tag = line.startsWith('# ') ? parseTag(line.slice(2)) : null;
    if (tag?.rule && tag.vip) {
      const [publicIp, publicPort] = tag.vip.split(':');
      cur = {
        ruleId: tag.rule,
        networkId: tag.net ?? '',
        publicIp: publicIp ?? '',
        publicPort: Number(publicPort),
        privatePort: Number(tag.port),
        algorithm: (tag.algo ?? 'roundrobin') as LbAlgorithm,
        members: [],
      };
      rules.push(cur);
    }
    const m = /^server (\S+) ([0-9.]+):\d+$/.exec(line);
    if (m && cur) cur.members.push({ nicId: m[1] as string, ip: m[2] as string });
  }
  for (const r of rules) r.members.sort((a, b) => a.nicId.localeCompare(b.nicId));
  return rules;
}
