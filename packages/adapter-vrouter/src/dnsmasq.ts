// dnsmasq per tier, in the VPC's router namespace, bound to the tier's gateway interface: static leases only (from
// Netplane's MAC/IP), with the router, DNS and MTU options. Hosts live in one dhcp-hostsfile, re-read on SIGHUP, so
// a batch of NICs is one file write and one reload.
import type { NetworkSpec } from '@netplane/adapter-sdk';
import { q, writeFile } from './shell';

export type HostEntry = { nicId: string; mac: string; ip: string };

export function networkDir(stateRoot: string, networkId: string): string {
  return `${stateRoot}/${networkId}`;
}

function maskOf(prefixLength: number): string {
  const n = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  return [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');
}

export function renderConf(network: NetworkSpec, dir: string, gatewayIf: string, mtu: number): string {
  const [address, plen] = network.cidr.split('/') as [string, string];
  const dns = network.dhcp?.dnsServers ?? [];
  const domain = network.dhcp?.dnsDomain ?? null;
  return [
    `# netplane network ${network.networkId} vpc ${network.vpcId}`,
    'port=0',
    `interface=${gatewayIf}`,
    'bind-interfaces',
    'user=root',
    'dhcp-authoritative',
    `dhcp-range=${address},static,${maskOf(Number(plen))},12h`,
    `dhcp-option=option:router,${network.gateway}`,
    ...(dns.length > 0 ? [`dhcp-option=option:dns-server,${dns.join(',')}`] : []),
    ...(domain ? [`dhcp-option=option:domain-name,${domain}`] : []),
    `dhcp-option=option:mtu,${mtu}`,
    `dhcp-hostsfile=${dir}/hosts`,
    // No lease database: every lease is static (the hosts file), so dnsmasq answers the same after a restart, and it
    // would otherwise rewrite and fsync the whole file for each lease it hands out (500 in a boot storm, one at a
    // time in its single thread, on a disk-backed stateDir).
    'leasefile-ro',
    `pid-file=${dir}/pid`,
    '',
  ].join('\n');
}

/** `mac,set:<nicId>,ip`: the tag carries our NIC id, so the file alone says which entry is whose. */
export const renderHost = (e: HostEntry): string => `${e.mac},set:${e.nicId},${e.ip}`;

export function parseHosts(text: string | null | undefined): Map<string, HostEntry> {
  const out = new Map<string, HostEntry>();
  for (const line of (text ?? '').split('\n')) {
    const parts = line.trim().split(',');
    const tag = parts.find((p) => p.startsWith('set:'));
    if (!tag || parts.length < 3) continue;
    const nicId = tag.slice(4);
    out.set(nicId, { nicId, mac: parts[0] ?? '', ip: parts[parts.length - 1] ?? '' });
  }
  return out;
}

export const renderHosts = (entries: Iterable<HostEntry>): string =>
  [...entries]
    .sort((a, b) => a.nicId.localeCompare(b.nicId))
    .map((e) => `${renderHost(e)}\n`)
    .join('');

/**
 * Edits the hosts file under the host lock: the dropped NICs' lines out, the new lines in, then an atomic rename.
 * An edit of what the file holds then (not a rewrite from our earlier read), so a concurrent writer's entries stay.
 */
export function editHosts(path: string, dropped: ReadonlySet<string>, added: Iterable<HostEntry>): string {
  const patterns = [...dropped].map((id) => `-e ${q(`,set:${id},`)}`).join(' ');
  const keep =
    dropped.size > 0
      ? `grep -v -F ${patterns} ${q(path)} > ${q(`${path}.edit`)} || true`
      : `cat ${q(path)} > ${q(`${path}.edit`)} 2>/dev/null || true`;
  return [
    keep,
    writeFile(`${path}.new`, renderHosts(added)),
    `cat ${q(`${path}.new`)} >> ${q(`${path}.edit`)}`,
    `rm -f ${q(`${path}.new`)}`,
    `mv -f ${q(`${path}.edit`)} ${q(path)}`,
  ].join('\n');
}

/**
 * Shell that prints `running <pid>` when this tier's dnsmasq (its pid file, its config on the command line) runs.
 * `dir` is a shell word: a quoted path, or "$d" inside a loop.
 */
export function runningProbe(dir: string): string {
  return `pid=$(cat ${dir}/pid 2>/dev/null || true); if [ -n "$pid" ] && tr '\\0' ' ' < /proc/$pid/cmdline 2>/dev/null | grep -qF ${dir}/dnsmasq.conf; then echo "running $pid"; fi`;
}

/**
 * SIGKILL: dnsmasq keeps nothing we need (the leases are static, from the hosts file). The wait, until the process
 * is gone or a zombie (a daemon's parent is the host's init, which may be slow to reap it), makes sure a restarted
 * one can bind the interface again.
 */
export const stopScript = (dir: string): string =>
  `pid=$(${runningProbe(q(dir))} | cut -d' ' -f2); if [ -n "$pid" ]; then kill -KILL "$pid"; ` +
  `while [ -e /proc/$pid ] && ! grep -qs '^State:.*Z' /proc/$pid/status; do sleep 0.02; done; fi`;

/**
 * `<dir>/loaded`: the hosts file as the dnsmasq of pid N was (re)loaded with it (`# pid N`, then its lines), written
 * under the host lock right when it is HUPed or started: the Realized check judges a NIC's lease by it.
 */
const markLoaded = (dir: string): string =>
  `{ echo "# pid $(cat ${q(`${dir}/pid`)} 2>/dev/null)"; cat ${q(`${dir}/hosts`)} 2>/dev/null; } > ${q(`${dir}/loaded.tmp`)} && mv -f ${q(`${dir}/loaded.tmp`)} ${q(`${dir}/loaded`)}`;

export const reloadScript = (dir: string): string =>
  `pid=$(${runningProbe(q(dir))} | cut -d' ' -f2); if [ -n "$pid" ]; then kill -HUP "$pid"; ${markLoaded(dir)}; fi`;

export const startScript = (dir: string, netns: string): string =>
  `touch ${q(`${dir}/hosts`)}; ip netns exec ${q(netns)} dnsmasq --conf-file=${q(`${dir}/dnsmasq.conf`)}\n${markLoaded(dir)}`;
