// The "VMs" of the virtual-router bench: one network namespace per NIC, attached to the NIC's peer (the
// hypervisor's part: a passthru macvlan on it inside the VM, see attachVms), and busybox udhcpc in each asking for its
// lease. The bench's own overhead must not be what it measures: namespaces and attachments are made with one
// `ip -batch` each (not 4 processes per VM), and one small Python driver enters each namespace (setns) and spawns that
// VM's udhcpc, all of them at once, then reaps them, recording when each exited (udhcpc -q exits once bound).
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';

async function sh(cmd: string, args: string[], input?: string): Promise<string> {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  child.stdin.end(input ?? '');
  const code = await new Promise<number | null>((r) => child.once('close', r));
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${code}: ${Buffer.concat(err)}`);
  return Buffer.concat(out).toString();
}

/** One `ip -batch` of `lines`; `force` goes on past a failing line (clean-up). */
export const ipBatch = (lines: string[], force = false) =>
  lines.length === 0
    ? Promise.resolve('')
    : sh('ip', [...(force ? ['-force'] : []), '-batch', '-'], `${lines.join('\n')}\n`);

export type Vm = { ns: string; ifname: string; ip: string };

/**
 * The VMs exist before the storm (they are booting): their namespaces, made in one batch, with IPv6 off (a VM's
 * IPv6 autoconfiguration would flood the tier with 500 VMs' multicast, which is not what is measured).
 */
export async function createVms(vms: Vm[]): Promise<void> {
  await ipBatch(vms.map((v) => `netns add ${v.ns}`));
  await sh(
    'python3',
    ['-c', DRIVER],
    JSON.stringify({ mode: 'ipv6-off', spawners: 1, vms: vms.map((v) => [v.ns, '']) }),
  );
}

/** Deleting a namespace deletes the macvlan in it; the NIC's veth stays the adapter's. */
export const removeVms = (vms: Vm[]) =>
  ipBatch(
    vms.map((v) => `netns del ${v.ns}`),
    true,
  );

/** Links deleted as one kernel operation (a group), not one RCU grace period each. */
export const deleteLinks = (ifnames: string[]) =>
  ipBatch([...ifnames.map((n) => `link set dev ${n} group 4242`), 'link del group 4242'], true);

/**
 * The hypervisor's part, as KVM's macvtap passthru attaches a VM to a host interface: the NIC's peer up, and a
 * passthru macvlan on it (the peer's MAC, so the NIC's) made straight inside the VM's namespace, up, all in one batch.
 * Not `ip link set <peer> netns <vm>`: the kernel waits an RCU grace period (rcu_barrier) per device moved between
 * namespaces, 20 ms each here (10 s for 500, with nothing on the CPU), while a device made in a namespace pays none.
 */
export const attachVms = (vms: Vm[]) =>
  ipBatch(
    vms.flatMap((v) => [
      `link set dev ${v.ifname} up`,
      `link add link ${v.ifname} name eth0 netns ${v.ns} up type macvlan mode passthru`,
    ]),
  );

const DRIVER = `
import ctypes, json, os, sys, threading, time
libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000
job = json.load(sys.stdin)
vms = job['vms']
pids, reaped, first = {}, [], time.time() * 1000
spawned = [0]

def enter(ns):
    # setns moves only the calling thread: each spawner thread enters the VMs it serves, one after the other.
    fd = os.open('/run/netns/' + ns, os.O_RDONLY)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), 'setns ' + ns)
    os.close(fd)

def spawner(part):
    for ns, ifname in part:
        enter(ns)
        if job['mode'] == 'ipv6-off':
            for conf in ('all', 'default'):
                with open('/proc/sys/net/ipv6/conf/' + conf + '/disable_ipv6', 'w') as f:
                    f.write('1')
            continue
        log = [(os.POSIX_SPAWN_OPEN, 1, job['dir'] + '/log-' + ifname, os.O_WRONLY | os.O_CREAT, 0o644), (os.POSIX_SPAWN_DUP2, 1, 2)]
        argv = ['busybox', 'udhcpc', '-i', 'eth0', '-n', '-q', '-f', '-t', str(job['tries']), '-T', '1', '-s', '/nonexistent']
        pids[os.posix_spawn('/bin/busybox', argv, {}, file_actions=log)] = ns

# A few spawners at once, as 500 VMs each start their own client: one spawner waits on each child's exec in turn.
threads = [threading.Thread(target=spawner, args=(vms[k::job['spawners']],)) for k in range(job['spawners'])]
for t in threads:
    t.start()
def joined():
    for t in threads:
        t.join()
    spawned[0] = time.time() * 1000
waiter = threading.Thread(target=joined)
waiter.start()
total = len(vms) if job['mode'] == 'dhcp' else 0
while len(reaped) < total:
    try:
        pid, status = os.wait()
    except ChildProcessError:
        time.sleep(0.001)
        continue
    reaped.append((pid, os.waitstatus_to_exitcode(status), time.time() * 1000))
waiter.join()
t = os.times()
exits = [[pids[pid], code, at] for pid, code, at in reaped]
cpu = {'driverCpuMs': (t.user + t.system) * 1000, 'udhcpcCpuMs': (t.children_user + t.children_system) * 1000}
print(json.dumps({'firstSpawnAt': first, 'allSpawnedAt': spawned[0], 'exits': exits, 'cpu': cpu}))
`;

export type LeaseRun = {
  /** Epoch ms: the first udhcpc spawned, all spawned, the last one exited with its lease. */
  firstSpawnAt: number;
  allSpawnedAt: number;
  lastLeaseAt: number;
  ok: number;
  failures: string[];
  /** CPU of the VM side: the driver's spawn loop, and every udhcpc (children) together. */
  cpu: Record<string, number>;
};

/** Every VM asks for its lease at once; a VM counts when its lease holds exactly its NIC's address. */
export async function serveLeases(vms: Vm[], dir: string, spawners = 8, tries = 20): Promise<LeaseRun> {
  const out = await sh(
    'python3',
    ['-c', DRIVER],
    JSON.stringify({ mode: 'dhcp', spawners, tries, dir, vms: vms.map((v) => [v.ns, v.ifname]) }),
  );
  const r = JSON.parse(out) as {
    firstSpawnAt: number;
    allSpawnedAt: number;
    exits: [string, number, number][];
    cpu: Record<string, number>;
  };
  const failures: string[] = [];
  let ok = 0;
  let lastLeaseAt = 0;
  const exitOf = new Map(r.exits.map(([ns, code, at]) => [ns, { code, at }]));
  for (const vm of vms) {
    const exit = exitOf.get(vm.ns);
    // udhcpc says "lease of <ip> obtained from <server>" once bound (no script: its fork and exec per event are
    // not the router's work; -s names no file, so udhcpc's child fails its exec at once).
    const log = await readFile(`${dir}/log-${vm.ifname}`, 'utf8').catch(() => '');
    const ip = /lease of (\S+) obtained/.exec(log)?.[1];
    if (exit?.code === 0 && ip === vm.ip) {
      ok++;
      lastLeaseAt = Math.max(lastLeaseAt, exit.at);
    } else {
      const at = exit ? Math.round(exit.at - r.firstSpawnAt) : null;
      failures.push(
        `${vm.ns}: udhcpc exit ${exit?.code} at +${at} ms, lease ${ip ?? 'none'} (want ${vm.ip}): ${log.trim().split('\n').slice(-2).join(' | ')}`,
      );
    }
  }
  const cpu = Object.fromEntries(Object.entries(r.cpu).map(([k, v]) => [k, Math.round(v)]));
  return { firstSpawnAt: r.firstSpawnAt, allSpawnedAt: r.allSpawnedAt, lastLeaseAt, ok, failures, cpu };
}
