// The test's own view of the host: what is left of a prefix's objects, "VM" namespaces on a NIC's peer, udhcpc and
// ping in them, and the clean-up that removes everything of a prefix whatever state a failed test left.
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createVrouterElement, type VrouterElement } from '..';
import { run, type Sshd } from './sshd';

/** 4 characters: `t` and 3 random base-36, so two test files (or runs) never share a name. */
export const testPrefix = () => `t${(randomBytes(4).readUInt32BE() % 46_656).toString(36).padStart(3, '0')}`;

const silent = { debug() {}, info() {}, warn() {}, error() {} };

export function element(
  sshd: Sshd,
  prefix: string,
  stateDir: string,
  over: Record<string, unknown> = {},
): VrouterElement {
  return createVrouterElement(
    {
      controllerId: `test-${prefix}`,
      endpoint: `ssh://root@127.0.0.1:${sshd.port}`,
      credentials: { privateKey: sshd.privateKey },
      config: { hostKey: sshd.hostKey, namePrefix: prefix, stateDir, ...over },
    },
    { logger: silent },
  );
}

/**
 * The host-namespace links named as the adapter names them with this prefix (or exactly `name`): the prefix, a kind
 * letter and digits or hex, so a machine's own `tun0` or `tap0…` is never taken for ours (and never cleaned up).
 */
export async function linksOf(prefixOrName: string): Promise<string[]> {
  const ours = new RegExp(`^${prefixOrName}([lxvrgnmpu][0-9a-f]+)?$`);
  // A dump interrupted by other tests' link changes may not parse: read again (a clean-up must not stop half-way).
  for (let i = 1; ; i++) {
    const { stdout } = await run('ip', ['-j', 'link', 'show']);
    try {
      return (JSON.parse(stdout) as { ifname: string }[]).map((l) => l.ifname).filter((n) => ours.test(n));
    } catch (e) {
      if (i >= 5) throw e;
    }
  }
}

export async function namespacesOf(prefix: string): Promise<string[]> {
  const { stdout } = await run('ip', ['netns', 'list']);
  return stdout
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(`${prefix}-`));
}

/** Pids of processes whose command line names the path (dnsmasq of a state dir, udhcpc of a VM). */
export async function processesWith(path: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((p) => /^\d+$/.test(p)).map(Number);
  const out: number[] = [];
  for (const pid of pids) {
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (pid !== process.pid && cmd.includes(path)) out.push(pid);
  }
  return out;
}

export async function cleanupHost(prefix: string, stateDir: string): Promise<void> {
  for (const pid of await processesWith(stateDir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  for (const ns of await namespacesOf(prefix)) await run('ip', ['netns', 'del', ns]).catch(() => undefined);
  for (const l of await linksOf(prefix)) await run('ip', ['link', 'del', l]).catch(() => undefined);
  await rm(stateDir, { recursive: true, force: true });
}

/** Moves the NIC's peer into a new "VM" namespace and brings it up; returns the namespace. */
export async function attachVm(prefix: string, peer: string, name: string): Promise<string> {
  const ns = `${prefix}-vm-${name}`;
  await run('ip', ['netns', 'add', ns]);
  await run('ip', ['link', 'set', peer, 'netns', ns]);
  await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  await run('ip', ['-n', ns, 'link', 'set', peer, 'up']);
  return ns;
}

export type Lease = { ip: string; subnet: string; router: string; mtu: string; dns: string; domain: string };

/** busybox udhcpc in the VM: its script records the lease and configures address, MTU and default route. */
export async function dhcp(ns: string, ifname: string, dir: string): Promise<Lease> {
  const script = `${dir}/udhcpc-${ns}.sh`;
  const out = `${dir}/lease-${ns}`;
  await writeFile(
    script,
    [
      '#!/bin/sh',
      'case "$1" in bound|renew)',
      `  printf 'ip=%s\\nsubnet=%s\\nrouter=%s\\nmtu=%s\\ndns=%s\\ndomain=%s\\n' "$ip" "$subnet" "$router" "$mtu" "$dns" "$domain" > ${out}`,
      '  ip addr add "$ip/$subnet" dev "$interface"',
      '  [ -n "$mtu" ] && ip link set dev "$interface" mtu "$mtu"',
      '  [ -n "$router" ] && ip route add default via "$router"',
      ';; esac',
      'exit 0',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  // -n: give up instead of looping, -q: exit once bound, -t/-T: 10 tries 1 s apart (a busy machine).
  await run('ip', [
    'netns',
    'exec',
    ns,
    'busybox',
    'udhcpc',
    '-i',
    ifname,
    '-n',
    '-q',
    '-f',
    '-t',
    '10',
    '-T',
    '1',
    '-O',
    'mtu',
    '-O',
    'dns',
    '-O',
    'domain',
    '-s',
    script,
  ]);
  const text = await readFile(out, 'utf8');
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  ) as Lease;
}

const ping = (ns: string, ip: string) =>
  run('ip', ['netns', 'exec', ns, 'ping', '-c', '1', '-W', '2', ip]).then(
    () => true,
    () => false,
  );

/** True when an ICMP echo gets an answer (a second try for a lost first packet). */
export async function pings(ns: string, ip: string): Promise<boolean> {
  return (await ping(ns, ip)) || ping(ns, ip);
}

/** True when one ICMP echo gets no answer in 2 s: only a failure of the test waits for nothing. */
export async function unreachable(ns: string, ip: string): Promise<boolean> {
  return !(await ping(ns, ip));
}
