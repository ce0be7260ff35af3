// The test's public network: a bridge on the host (the adapter's config publicBridge) and a "public" namespace on
// it holding the upstream gateway address; a one-shot TCP listener that records who connected, and a client.
import { spawn } from 'node:child_process';
import { run } from './sshd';

export type PublicSide = {
  bridge: string;
  ns: string;
  cidr: string;
  gateway: string;
  remove(): Promise<void>;
};

export async function createPublicSide(prefix: string, third: number): Promise<PublicSide> {
  const bridge = `${prefix}pubbr`;
  const ns = `${prefix}-public`;
  const gateway = `203.0.${third}.1`;
  await run('ip', ['link', 'add', 'name', bridge, 'type', 'bridge']);
  await run('ip', ['link', 'set', bridge, 'up']);
  await run('ip', ['netns', 'add', ns]);
  await run('ip', [
    'link',
    'add',
    'name',
    `${prefix}pubup`,
    'type',
    'veth',
    'peer',
    'name',
    'up0',
    'netns',
    ns,
  ]);
  await run('ip', ['link', 'set', `${prefix}pubup`, 'master', bridge, 'up']);
  await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  await run('ip', ['-n', ns, 'link', 'set', 'up0', 'up']);
  await run('ip', ['-n', ns, 'addr', 'add', `${gateway}/24`, 'dev', 'up0']);
  return {
    bridge,
    ns,
    cidr: `203.0.${third}.0/24`,
    gateway,
    async remove() {
      await run('ip', ['netns', 'del', ns]).catch(() => undefined);
      await run('ip', ['link', 'del', bridge]).catch(() => undefined);
    },
  };
}

/**
 * A public namespace joined to an existing bridge (a public VLAN's bridge the adapter made: on a host without 802.1Q
 * the bridge is the VLAN, so this namespace is "on VLAN n"), holding the upstream gateway `<gateway>/24`.
 * remove() deletes the namespace and its veth, never the bridge.
 */
export async function joinPublicBridge(
  prefix: string,
  name: string,
  bridge: string,
  gateway: string,
): Promise<PublicSide> {
  const ns = `${prefix}-public-${name}`;
  const host = `${prefix}pj${name}`;
  await run('ip', ['netns', 'add', ns]);
  await run('ip', ['link', 'add', 'name', host, 'type', 'veth', 'peer', 'name', 'up0', 'netns', ns]);
  await run('ip', ['link', 'set', host, 'master', bridge, 'up']);
  await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  await run('ip', ['-n', ns, 'link', 'set', 'up0', 'up']);
  await run('ip', ['-n', ns, 'addr', 'add', `${gateway}/24`, 'dev', 'up0']);
  return {
    bridge,
    ns,
    cidr: `${gateway.split('.').slice(0, 3).join('.')}.0/24`,
    gateway,
    async remove() {
      await run('ip', ['netns', 'del', ns]).catch(() => undefined);
      await run('ip', ['link', 'del', host]).catch(() => undefined);
    },
  };
}

const SERVER = `
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', int(sys.argv[1]))); s.listen(8); s.settimeout(float(sys.argv[3]))
print('ready', flush=True)
while True:
    try:
        c, peer = s.accept()
    except socket.timeout:
        break
    print('peer ' + peer[0], flush=True); c.sendall(sys.argv[2].encode()); c.close()
`;

export type Listener = { peers: string[]; stop(): void };

/** A TCP listener in `ns` answering `reply` to every connection and recording each peer's address. */
export async function listen(ns: string, port: number, reply: string): Promise<Listener> {
  const child = spawn('ip', ['netns', 'exec', ns, 'python3', '-c', SERVER, String(port), reply, '60']);
  const peers: string[] = [];
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        if (l === 'ready') resolve();
        if (l.startsWith('peer ')) peers.push(l.slice(5));
      }
    });
    child.once('exit', (code) => reject(new Error(`listener in ${ns} exited (${code})`)));
  });
  return { peers, stop: () => child.kill('SIGKILL') };
}

const CLIENT = `
import socket, sys
try:
    c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3); print(c.recv(100).decode())
except OSError as e:
    print('failed ' + str(e))
`;

/** Connects from `ns` to ip:port; the listener's reply, or null when no connection is made in 3 s. */
export async function connect(ns: string, ip: string, port: number): Promise<string | null> {
  const { stdout } = await run('ip', ['netns', 'exec', ns, 'python3', '-c', CLIENT, ip, String(port)]);
  const out = stdout.trim();
  return out.startsWith('failed') ? null : out;
}
