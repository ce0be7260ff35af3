// One SSH round trip that reads what the appliance really holds for one VPC, for the Realized check and the trace:
// the host's links with details (`ip -j -d link`: bridge membership, state, VXLAN devices), the router namespace's
// links and addresses, routes, IPv4 forwarding and its whole nftables ruleset (`nft -n -j`), each tier's dnsmasq
// files, process and the hosts file it was last (re)loaded with, and the VPC's applied ACL records.
import { AdapterError } from '@netplane/adapter-sdk';
import type { AclRecord } from '../acl/render';
import type { Ctx } from '../context';
import { type HostEntry, parseHosts, runningProbe } from '../dnsmasq';
import type { Link } from '../host-state';
import { type NatState, natRecordPath } from '../nat/table';
import { q, SECTION, splitSections } from '../shell';
import { parseRuleset, type Ruleset } from '../trace/nft';

export type DLink = Link & { flags?: string[]; linkinfo?: { info_kind?: string } };
export type Route = { dst: string; gateway?: string; dev?: string };

export type TierRead = {
  conf: string | null;
  hosts: Map<string, HostEntry>;
  /** The running dnsmasq's pid, null when none runs. */
  pid: number | null;
  /** The hosts file as dnsmasq was last HUPed or started with it, and that dnsmasq's pid. */
  loaded: { pid: number | null; hosts: Map<string, HostEntry> } | null;
  /** Seconds since the epoch: the hosts file's last change, the running dnsmasq's start. */
  hostsMtime: number | null;
  startedAt: number | null;
};

export type Appliance = {
  vpcId: string;
  ns: string;
  /** Host namespace links with our prefix, by name. */
  links: Map<string, DLink>;
  /** The router namespace's links, null when it does not exist. */
  nsLinks: Map<string, DLink> | null;
  routes: Route[];
  forwarding: boolean;
  ruleset: Ruleset | null;
  tiers: Map<string, TierRead>;
  records: AclRecord[];
  /** The NAT state last applied (nat/table.ts natRecordPath), null when none was. */
  natRecord: NatState | null;
};

const json = <T>(text: string | undefined): T | null => {
  const t = (text ?? '').trim();
  if (t === '' || t === 'null') return null;
  try {
    return JSON.parse(t) as T;
  } catch {
    return null;
  }
};
const num = (text: string | undefined) => {
  const n = Number.parseFloat((text ?? '').trim());
  return Number.isFinite(n) ? n : null;
};

/** Reads tried before giving up on a host whose link dump keeps coming back unparsable (links churning meanwhile). */
const READ_TRIES = 3;

/**
 * The read, again when the host's link list did not parse (`ip` may cut a dump a concurrent change interrupted):
 * judging from a partial list would call present parts missing, so a host that never answers whole is an error.
 */
export async function readAppliance(c: Ctx, vpcId: string, signal: AbortSignal): Promise<Appliance> {
  for (let i = 1; ; i++) {
    const a = await readOnce(c, vpcId, signal);
    if (a) return a;
    if (i >= READ_TRIES)
      throw new AdapterError(
        'VENDOR_ERROR',
        `The router host's link list did not parse in ${READ_TRIES} reads`,
      );
  }
}

async function readOnce(c: Ctx, vpcId: string, signal: AbortSignal): Promise<Appliance | null> {
  const ns = c.names.routerNs(vpcId);
  const root = q(c.stateRoot);
  // The tiers of the VPC by their dnsmasq config's first line, the ACL records by their vpcId: only this VPC's files.
  const script = [
    `echo '${SECTION}links'; ip -j -d link show`,
    `if ip netns list | cut -d' ' -f1 | grep -qx ${q(ns)}; then`,
    `  echo '${SECTION}addr'; ip -n ${q(ns)} -j -d addr show`,
    `  echo '${SECTION}route'; ip -n ${q(ns)} -j route show`,
    `  echo '${SECTION}fwd'; ip netns exec ${q(ns)} cat /proc/sys/net/ipv4/ip_forward`,
    `  echo '${SECTION}nft'; ip netns exec ${q(ns)} nft -n -j list ruleset 2>/dev/null || echo null`,
    'fi',
    `for d in $(grep -l ${q(` vpc ${vpcId}$`)} ${root}/*/dnsmasq.conf 2>/dev/null | xargs -r -n1 dirname); do`,
    '  t=$(basename "$d")',
    `  echo "${SECTION}conf $t"; cat "$d/dnsmasq.conf"`,
    `  echo "${SECTION}hosts $t"; cat "$d/hosts" 2>/dev/null || true`,
    `  echo "${SECTION}loaded $t"; cat "$d/loaded" 2>/dev/null || echo '#none'`,
    `  echo "${SECTION}mtime $t"; stat -c %.9Y "$d/hosts" 2>/dev/null || true`,
    `  echo "${SECTION}run $t"; ${runningProbe('"$d"')}`,
    '  p=$(cat "$d/pid" 2>/dev/null || true)',
    // The process's start as epoch seconds: now less its age (uptime less its start in clock ticks since boot).
    `  echo "${SECTION}start $t"; [ -n "$p" ] && [ -r /proc/$p/stat ] && awk -v hz=$(getconf CLK_TCK) -v now=$(date +%s.%N) -v up=$(cut -d' ' -f1 /proc/uptime) '{ sub(/^.*\\) /, ""); printf "%.3f\\n", now - (up - $20 / hz) }' /proc/$p/stat || true`,
    'done',
    `for f in $(grep -l -F ${q(`"vpcId":"${vpcId}"`)} ${root}/*/acl.json 2>/dev/null || true); do`,
    `  echo "${SECTION}rec $(basename $(dirname "$f"))"; cat "$f"; echo`,
    'done',
    `echo '${SECTION}natrec'; cat ${q(natRecordPath(c, vpcId))} 2>/dev/null || echo null`,
    'true',
  ].join('\n');
  const s = splitSections(await c.ssh.runOk(script, signal, `Reading the router host for VPC ${vpcId}`));
  const byName = (list: DLink[] | null) => new Map((list ?? []).map((l) => [l.ifname, l]));
  const all = json<DLink[]>(s.get('links'));
  const addr = s.has('addr') ? json<DLink[]>(s.get('addr')) : null;
  if (!all || (s.has('addr') && !addr)) return null;
  const links = new Map([...byName(all)].filter(([n]) => n.startsWith(c.names.prefix)));
  const tiers = new Map<string, TierRead>();
  const records: AclRecord[] = [];
  for (const [key, body] of s) {
    const [kind, id = ''] = key.split(' ');
    if (kind === 'conf') {
      const run = (s.get(`run ${id}`) ?? '').trim();
      const loadedText = s.get(`loaded ${id}`) ?? '#none';
      const pidLine = /^# pid (\d+)/.exec(loadedText);
      tiers.set(id, {
        conf: body,
        hosts: parseHosts(s.get(`hosts ${id}`)),
        pid: run.startsWith('running ') ? Number(run.slice(8)) : null,
        loaded:
          loadedText.trim() === '#none'
            ? null
            : { pid: pidLine ? Number(pidLine[1]) : null, hosts: parseHosts(loadedText) },
        hostsMtime: num(s.get(`mtime ${id}`)),
        startedAt: num(s.get(`start ${id}`)),
      });
    } else if (kind === 'rec') {
      const rec = json<AclRecord>(body);
      if (rec?.vpcId === vpcId) records.push(rec);
    }
  }
  return {
    vpcId,
    ns,
    links,
    nsLinks: addr ? byName(addr) : null,
    routes: json<Route[]>(s.get('route')) ?? [],
    forwarding: (s.get('fwd') ?? '').trim() === '1',
    ruleset: s.has('nft') ? parseRuleset(s.get('nft')) : null,
    tiers,
    records,
    natRecord: json<NatState>(s.get('natrec')),
  };
}

/** Administratively up, and (operstate) with its lower layer up: a veth whose peer is down is LOWERLAYERDOWN. */
export const adminUp = (l: DLink | undefined) => l?.flags?.includes('UP') ?? false;
export const operUp = (l: DLink | undefined) =>
  l?.operstate === 'UP' || (l?.operstate === 'UNKNOWN' && adminUp(l));
