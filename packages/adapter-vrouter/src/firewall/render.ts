// The Firewall service of the appliance: the stateful ingress filter of the VPC's public side, as CloudStack's
// Firewall guards its public IPs. Netplane has no firewall-rule API, so the filter is rendered from what the VPC
// publishes: from the public veth, the replies of connections made from inside (ct established,related), the flows
// the NAT table rewrote (static NAT, port forwarding: ct status dnat), the LB listeners (publicIp:port of haproxy in
// the router namespace) and ICMP echo to the VPC's public IPs pass; everything else is dropped (a tier's private
// address routed from the public side, the router's own services). One table per VPC, `inet <prefix>_fw_<hash>`,
// next to the NAT and ACL tables, replaced with them in one `nft -f` transaction whenever the public side changes.
import { createHash } from 'node:crypto';
import type { Ctx } from '../context';
import type { LbRule } from '../lb/config';
import { type NatState, publicRouterSide, type Ruleset } from '../nat/table';

const h10 = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 10);

export const fwTable = (c: Ctx, vpcId: string) => `${c.names.prefix}_fw_${h10(vpcId)}`;

/** The VPC's public addresses the router itself answers: source NAT, port forwards, LB VIPs (static NATs are DNAT'd). */
export function publicIps(nat: NatState, lb: readonly LbRule[]): string[] {
  const ips = new Set<string>([...nat.pfs.map((r) => r.publicIp), ...lb.map((r) => r.publicIp)]);
  if (nat.snat) ips.add(nat.snat.ip);
  return [...ips].sort();
}

function body(c: Ctx, vpcId: string, nat: NatState, lb: readonly LbRule[]): string[] {
  const pub = publicRouterSide(c, vpcId);
  const listeners = [...new Set(lb.map((r) => `${r.publicIp} . ${r.publicPort}`))].sort();
  const echo = publicIps(nat, lb);
  return [
    '  chain input {',
    '    type filter hook input priority filter; policy accept;',
    `    iifname "${pub}" jump public_in`,
    '  }',
    '  chain forward {',
    '    type filter hook forward priority filter; policy accept;',
    `    iifname "${pub}" jump public_fwd`,
    '  }',
    '  chain public_in {',
    '    ct state established,related accept',
    ...(listeners.length > 0 ? [`    ip daddr . tcp dport { ${listeners.join(', ')} } accept`] : []),
    ...(echo.length > 0 ? [`    ip daddr { ${echo.join(', ')} } icmp type echo-request accept`] : []),
    '    drop',
    '  }',
    '  chain public_fwd {',
    '    ct state established,related accept',
    '    ct status dnat accept',
    '    drop',
    '  }',
  ];
}

/** The tag of the table's first rule: our VPC id and a digest of the rest, so a stale or edited table is seen. */
const tagOf = (vpcId: string, lines: readonly string[]) =>
  `netplane:vpc=${vpcId},fw=${h10(lines.join('\n'))}`;

export function renderFirewall(c: Ctx, vpcId: string, nat: NatState, lb: readonly LbRule[]): string {
  const t = fwTable(c, vpcId);
  const lines = body(c, vpcId, nat, lb);
  const input = lines.indexOf('    type filter hook input priority filter; policy accept;');
  // nft 1.0's JSON leaves out a table's comment: a counter rule in the input chain carries the tag instead.
  lines.splice(input + 1, 0, `    counter comment "${tagOf(vpcId, lines)}"`);
  return [`table inet ${t} {}`, `delete table inet ${t}`, `table inet ${t} {`, ...lines, '}', ''].join('\n');
}

export type FwStatus = 'current' | 'stale' | 'missing' | 'foreign';

/** What the namespace holds of the VPC's firewall table against what `nat` and `lb` need. */
export function firewallStatus(
  c: Ctx,
  vpcId: string,
  rs: Ruleset,
  nat: NatState,
  lb: readonly LbRule[],
): FwStatus {
  const t = fwTable(c, vpcId);
  if (!rs.items.some((i) => i.table?.family === 'inet' && i.table.name === t)) return 'missing';
  const tags = rs.items
    .filter((i) => i.rule?.family === 'inet' && i.rule.table === t)
    .map((i) => i.rule?.comment ?? '');
  if (!tags.some((x) => x.startsWith(`netplane:vpc=${vpcId},`))) return 'foreign';
  return tags.includes(tagOf(vpcId, body(c, vpcId, nat, lb))) ? 'current' : 'stale';
}

/** Observe's issue for the firewall, if any (every public-side row of the VPC carries it: its repair rewrites it). */
export function firewallIssue(status: FwStatus): string[] {
  if (status === 'missing') return ['the public firewall table is missing'];
  if (status === 'stale') return ['the public firewall table does not match the published services'];
  if (status === 'foreign') return ['the public firewall table is not Netplane’s'];
  return [];
}
