// One round trip that reads what the ACL side of the router host holds: the records of the applied lists
// (`<stateDir>/<prefix>/<networkId>/acl.json`), the ruleset of the VPCs' router namespaces (`nft -j list ruleset`)
// and, for an apply, the tier's gateway in its namespace. issuesOf() compares a record with the kernel.
import type { Ctx } from '../context';
import type { Link } from '../host-state';
import { parseTag } from '../names';
import { q, SECTION, splitSections } from '../shell';
import { type AclRecord, aclTable, expectedChains, inChain, jumpComment } from './render';

/** The rules' comments of each chain of one of our tables, in order, or null when the table is not there. */
export type TableState = Map<string, string[]> | null;

export type AclState = {
  records: AclRecord[];
  /** By VPC id (only VPCs whose namespace was read): its table's chains. */
  tables: Map<string, TableState>;
  /** The gateway link of the tier asked for, in its namespace (null: absent, or no namespace). */
  gateway: Link | null;
};

type NftItem = {
  table?: { family: string; name: string };
  rule?: { family: string; table: string; chain: string; comment?: string };
};

export function networkAclDir(c: Ctx, networkId: string): string {
  return `${c.stateRoot}/${networkId}`;
}

export async function readAcl(
  c: Ctx,
  vpcIds: readonly string[] | 'all',
  gateway: { vpcId: string; networkId: string } | null,
  signal: AbortSignal,
): Promise<AclState> {
  const nsLoop =
    vpcIds === 'all'
      ? `$(ip netns list 2>/dev/null | cut -d' ' -f1 | grep '^${c.names.routerNs('')}' || true)`
      : vpcIds.map((v) => q(c.names.routerNs(v))).join(' ');
  const script = [
    `for f in ${q(c.stateRoot)}/*/acl.json; do [ -f "$f" ] && { echo "${SECTION}rec"; cat "$f"; echo; }; done`,
    `for ns in ${nsLoop}; do`,
    `  echo "${SECTION}nft $ns"`,
    '  ip netns exec "$ns" nft -j list ruleset 2>/dev/null || echo null',
    'done',
    ...(gateway
      ? [
          `echo '${SECTION}gw'`,
          `ip -n ${q(c.names.routerNs(gateway.vpcId))} -j link show dev ${c.names.gatewayRouterSide(gateway.networkId)} 2>/dev/null || echo null`,
        ]
      : []),
  ].join('\n');
  const out = await c.ssh.runOk(script, signal, 'Reading the ACL state of the router host');
  // Sections repeat (one `rec` per record): split by hand for those, splitSections for the rest.
  const records: AclRecord[] = [];
  for (const chunk of out.split(`${SECTION}rec\n`).slice(1)) {
    const body = chunk.split(SECTION)[0]?.trim() ?? '';
    try {
      records.push(JSON.parse(body) as AclRecord);
    } catch {
      // A record cut or edited by hand is no record: its tier shows no list, which is drift for the engine.
    }
  }
  const sections = splitSections(out);
  const nsToVpc = new Map<string, string>();
  for (const v of vpcIds === 'all' ? records.map((r) => r.vpcId) : vpcIds)
    nsToVpc.set(c.names.routerNs(v), v);
  const tables = new Map<string, TableState>();
  for (const [key, body] of sections) {
    if (!key.startsWith('nft ')) continue;
    const ns = key.slice(4);
    const vpcId = nsToVpc.get(ns) ?? ns.slice(c.names.routerNs('').length);
    tables.set(vpcId, parseTable(body, aclTable(c.names.prefix, vpcId)));
  }
  let gw: Link | null = null;
  const gwText = sections.get('gw')?.trim();
  if (gwText && gwText !== 'null') gw = (JSON.parse(gwText) as Link[])[0] ?? null;
  return { records, tables, gateway: gw };
}

function parseTable(json: string, name: string): TableState {
  const text = json.trim();
  if (text === '' || text === 'null') return null;
  const items = (JSON.parse(text) as { nftables?: NftItem[] }).nftables ?? [];
  if (!items.some((i) => i.table?.family === 'inet' && i.table.name === name)) return null;
  const chains = new Map<string, string[]>();
  for (const i of items) {
    if (i.rule?.family !== 'inet' || i.rule.table !== name) continue;
    chains.set(i.rule.chain, [...(chains.get(i.rule.chain) ?? []), i.rule.comment ?? '']);
  }
  return chains;
}

/** What the kernel misses of a record's list (empty: it holds exactly the list's rules). */
export function issuesOf(rec: AclRecord, table: TableState | undefined): string[] {
  if (!table) return ['the nftables table of the VPC is missing'];
  const issues: string[] = [];
  const jumps = (table.get('forward') ?? []).filter((cm) => cm === jumpComment(rec)).length;
  if (jumps !== 2) issues.push('the forward chain does not jump into the tier chains');
  for (const [chain, want] of expectedChains(rec)) {
    const have = table.get(chain) ?? [];
    if (JSON.stringify(have) !== JSON.stringify(want)) {
      issues.push(
        `the chain ${chain} does not hold the list's ${chain === inChain(rec.networkId) ? 'Ingress' : 'Egress'} rules`,
      );
    }
  }
  return issues;
}

export const gatewayOf = (link: Link | null, networkId: string) => parseTag(link?.ifalias)?.net === networkId;
