// One round trip that reads what the router host really holds: its links (`ip -j link`), the router namespaces and
// their addresses (`ip -n … -j addr`), and each tier's dnsmasq files and process. Every plan and observe starts here.
import { type HostEntry, networkDir, parseHosts, runningProbe } from './dnsmasq';
import type { Names } from './names';
import { parseTag, type Tag } from './names';
import type { HostRunner } from './session';
import { q, SECTION, splitSections } from './shell';

export type Link = {
  ifname: string;
  master?: string;
  ifalias?: string;
  address?: string;
  mtu?: number;
  operstate?: string;
  flags?: string[];
  addr_info?: { family: string; local: string; prefixlen: number }[];
};

export type TierFiles = {
  conf: string | null;
  hosts: Map<string, HostEntry>;
  hostsRaw: string | null;
  running: boolean;
};

export type HostState = {
  /** Links of the host namespace whose name starts with our prefix, by name. */
  links: Map<string, Link>;
  /** Router namespaces read: their links by name, or null when the namespace does not exist. */
  namespaces: Map<string, Map<string, Link> | null>;
  tiers: Map<string, TierFiles>;
};

export type ReadScope = { namespaces: readonly string[] | 'all'; tiers: readonly string[] | 'all' };

export function tagOf(link: Link | undefined): Tag | null {
  return parseTag(link?.ifalias);
}

function parseLinks(json: string | undefined): Link[] | null {
  const text = (json ?? '').trim();
  if (text === '' || text === 'null') return null;
  return JSON.parse(text) as Link[];
}

export async function readHost(
  ssh: HostRunner,
  names: Names,
  stateRoot: string,
  scope: ReadScope,
  signal: AbortSignal,
): Promise<HostState> {
  const nsPrefix = names.routerNs('');
  const nsLoop =
    scope.namespaces === 'all'
      ? `$(ip netns list 2>/dev/null | cut -d' ' -f1 | grep '^${nsPrefix}' || true)`
      : scope.namespaces.map(q).join(' ');
  const tierLoop =
    scope.tiers === 'all' ? `$(ls ${q(stateRoot)} 2>/dev/null || true)` : scope.tiers.map(q).join(' ');
  const script = [
    `echo '${SECTION}links'`,
    'ip -j link show',
    `for ns in ${nsLoop}; do`,
    `  echo "${SECTION}ns $ns"`,
    '  ip -n "$ns" -j -d addr show 2>/dev/null || echo null',
    'done',
    `for t in ${tierLoop}; do`,
    `  d=${q(stateRoot)}/"$t"`,
    `  echo "${SECTION}conf $t"; cat "$d/dnsmasq.conf" 2>/dev/null || echo '#missing'`,
    `  echo "${SECTION}hosts $t"; cat "$d/hosts" 2>/dev/null || true`,
    `  echo "${SECTION}run $t"; ${runningProbe('"$d"')}`,
    'done',
  ].join('\n');
  const sections = splitSections(await ssh.runOk(script, signal, 'Reading the router host'));
  const links = new Map<string, Link>();
  for (const l of parseLinks(sections.get('links')) ?? []) {
    if (l.ifname.startsWith(names.prefix)) links.set(l.ifname, l);
  }
  const namespaces = new Map<string, Map<string, Link> | null>();
  const tiers = new Map<string, TierFiles>();
  for (const [key, body] of sections) {
    const [kind, name] = [key.slice(0, key.indexOf(' ')), key.slice(key.indexOf(' ') + 1)];
    if (kind === 'ns') {
      const list = parseLinks(body);
      namespaces.set(name, list ? new Map(list.map((l) => [l.ifname, l])) : null);
    } else if (kind === 'conf') {
      const conf = body.trim() === '#missing' ? null : body;
      const hostsRaw = sections.get(`hosts ${name}`) ?? null;
      tiers.set(name, {
        conf,
        hostsRaw,
        hosts: parseHosts(hostsRaw),
        running: (sections.get(`run ${name}`) ?? '').startsWith('running'),
      });
    }
  }
  if (scope.namespaces !== 'all')
    for (const ns of scope.namespaces) if (!namespaces.has(ns)) namespaces.set(ns, null);
  return { links, namespaces, tiers };
}

export const tierDir = networkDir;
