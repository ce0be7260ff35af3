// The VPC's NAT as one nftables table in its router namespace (`ip <prefix>_nat_<hash of the VPC id>`), the table's
// comment carrying the VPC id and each rule's comment carrying our ids and addresses. The table is the record: a
// change reads it back (`nft -j list ruleset`), edits the parsed state and rewrites the whole table in one `nft -f`
// transaction, so a half-applied NAT never exists and a retry finds exactly what the first try made.
import { createHash } from 'node:crypto';
import type { Ctx } from '../context';

export type StaticRule = { ruleId: string; networkId: string; publicIp: string; privateIp: string };
export type SourceNat = { networkId: string; ip: string; plen: number; gateway: string | null };
export type PfRule = {
  ruleId: string;
  protocol: 'tcp' | 'udp';
  publicIp: string;
  publicPorts: [number, number];
  privateIp: string;
  privatePorts: [number, number];
};
export type NatState = {
  snat: SourceNat | null;
  statics: StaticRule[];
  pfs: PfRule[];
  /** The public range's VLAN (src/nat/public-vlan.ts), null or absent when untagged; not in the table itself. */
  vlan?: number | null;
};

const range = ([a, b]: [number, number]) => `${a}-${b}`;
const pfTag = (r: PfRule) =>
  `"pf ${r.ruleId} ${r.protocol} ${r.publicIp} ${range(r.publicPorts)} ${r.privateIp} ${range(r.privatePorts)}"`;

/** Port forwarding: the public range mapped port by port onto the private range (an anonymous nft map). */
function pfLine(r: PfRule): string {
  const [ps, pe] = r.publicPorts;
  const pairs = Array.from({ length: pe - ps + 1 }, (_, i) => `${ps + i} : ${r.privatePorts[0] + i}`);
  const p = r.protocol;
  return `    ip daddr ${r.publicIp} ${p} dport ${ps}-${pe} dnat to ${r.privateIp} : ${p} dport map { ${pairs.join(', ')} } comment ${pfTag(r)}`;
}

const h10 = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 10);

export const natTable = (c: Ctx, vpcId: string) => `${c.names.prefix}_nat_${h10(vpcId)}`;
export const tableTag = (vpcId: string) => `netplane:vpc=${vpcId}`;
/** The public veth: `p` on the public bridge in the host namespace, `q` in the router namespace. */
export const publicHostSide = (c: Ctx, vpcId: string) => `${c.names.prefix}p${h10(vpcId)}`;
export const publicRouterSide = (c: Ctx, vpcId: string) => `${c.names.prefix}q${h10(vpcId)}`;

/** The NAT state last applied to the VPC (a hidden file: the tier directories' loops skip it). */
export const natRecordPath = (c: Ctx, vpcId: string) => `${c.stateRoot}/.nat-${vpcId}.json`;

/** The whole table: created empty if absent, deleted and made again, in one transaction. */
export function renderTable(c: Ctx, vpcId: string, s: NatState): string {
  const t = natTable(c, vpcId);
  const pub = publicRouterSide(c, vpcId);
  const statics = [...s.statics].sort((a, b) => a.ruleId.localeCompare(b.ruleId));
  const tag = (r: StaticRule) => `"nat ${r.ruleId} ${r.networkId} ${r.publicIp} ${r.privateIp}"`;
  const pfs = [...s.pfs].sort((a, b) => a.ruleId.localeCompare(b.ruleId));
  const pre = [
    ...statics.map((r) => `    ip daddr ${r.publicIp} dnat to ${r.privateIp} comment ${tag(r)}`),
    ...pfs.map(pfLine),
  ];
  // The static NATs' own SNAT first: a NIC with a static NAT leaves by its public IP, every other one by the VPC's.
  const post = statics.map(
    (r) => `    oifname "${pub}" ip saddr ${r.privateIp} snat to ${r.publicIp} comment ${tag(r)}`,
  );
  if (s.snat) {
    const { networkId, ip, plen, gateway } = s.snat;
    post.push(
      `    oifname "${pub}" snat to ${ip} comment "snat ${networkId} ${ip}/${plen} ${gateway ?? '-'}"`,
    );
  }
  // Hairpin: a VM reaching a public IP of its own VPC is DNATed back inside; from the router's address the reply
  // comes back through the router (un-NATed to the public IP) rather than straight from a VM of the same tier, or
  // from the VM itself. Only flows that came from inside: a client on the public side keeps its own address.
  post.push(`    iifname != "${pub}" oifname != "${pub}" ct status dnat masquerade comment "hairpin"`);
  return [
    `table ip ${t} {}`,
    `delete table ip ${t}`,
    `table ip ${t} {`,
    `  comment "${tableTag(vpcId)}"`,
    '  chain pre {',
    '    type nat hook prerouting priority dstnat; policy accept;',
    // nft 1.0's JSON leaves out a table's comment: this rule (a counter of new flows) carries the VPC id instead.
    `    counter comment "${tableTag(vpcId)}"`,
    ...pre,
    '  }',
    '  chain post {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    ...post,
    '  }',
    '}',
    '',
  ].join('\n');
}

type NftItem = {
  table?: { family: string; name: string };
  rule?: { family: string; table: string; chain: string; comment?: string; expr?: unknown[] };
};

export type Ruleset = { items: NftItem[] };

export function parseRuleset(json: string): Ruleset | null {
  const text = json.trim();
  if (text === '' || text.startsWith('missing')) return null;
  const parsed = JSON.parse(text) as { nftables?: NftItem[] };
  return { items: parsed.nftables ?? [] };
}

/** Our table's state, `null` when absent, or `'foreign'` when a table of that name does not carry our VPC id. */
export function natStateOf(c: Ctx, vpcId: string, rs: Ruleset): NatState | null | 'foreign' {
  const name = natTable(c, vpcId);
  const table = rs.items.find((i) => i.table?.family === 'ip' && i.table.name === name)?.table;
  if (!table) return null;
  const tagged = rs.items.some(
    (i) => i.rule?.family === 'ip' && i.rule.table === name && i.rule.comment === tableTag(vpcId),
  );
  if (!tagged) return 'foreign';
  const state: NatState = { snat: null, statics: [], pfs: [] };
  for (const { rule } of rs.items) {
    if (rule?.family !== 'ip' || rule.table !== name) continue;
    const words = (rule.comment ?? '').split(' ');
    if (rule.chain === 'pre' && words[0] === 'nat' && words.length === 5) {
      const [, ruleId, networkId, publicIp, privateIp] = words as [string, string, string, string, string];
      state.statics.push({ ruleId, networkId, publicIp, privateIp });
    } else if (rule.chain === 'pre' && words[0] === 'pf' && words.length === 7) {
      const [, ruleId, protocol, publicIp, pub, privateIp, priv] = words as string[];
      const ports = (x: string) => x.split('-').map(Number) as [number, number];
      state.pfs.push({
        ruleId: ruleId as string,
        protocol: protocol === 'udp' ? 'udp' : 'tcp',
        publicIp: publicIp as string,
        publicPorts: ports(pub as string),
        privateIp: privateIp as string,
        privatePorts: ports(priv as string),
      });
    } else if (rule.chain === 'post' && words[0] === 'snat' && words.length === 4) {
      const [ip, plen] = (words[2] as string).split('/');
      state.snat = {
        networkId: words[1] as string,
        ip: ip as string,
        plen: Number(plen),
        gateway: words[3] === '-' ? null : (words[3] as string),
      };
    }
  }
  return state;
}

/** Whether a table that is not ours rewrites `ip` (a DNAT or SNAT rule naming it): someone else's NAT. */
export function foreignNatOn(c: Ctx, vpcId: string, rs: Ruleset, ip: string): string | null {
  const ours = natTable(c, vpcId);
  for (const { rule } of rs.items) {
    if (!rule || (rule.family === 'ip' && rule.table === ours)) continue;
    const body = JSON.stringify(rule.expr ?? []);
    if ((body.includes('"dnat"') || body.includes('"snat"')) && body.includes(`"${ip}"`)) {
      return `${rule.family} ${rule.table}`;
    }
  }
  return null;
}
