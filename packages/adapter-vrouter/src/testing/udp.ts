// UDP over real packets: an echo server in a namespace that answers every datagram with its name and the sender's
// address (so a test sees who the server saw: a public client's address through a port forward), and a client.
import { spawn } from 'node:child_process';
import type { Listener } from './public';
import { run } from './sshd';

const ECHO = `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('0.0.0.0', int(sys.argv[1]))); s.settimeout(float(sys.argv[3]))
print('ready', flush=True)
while True:
    try:
        data, peer = s.recvfrom(2048)
    except socket.timeout:
        break
    print('peer ' + peer[0], flush=True); s.sendto((sys.argv[2] + ' ' + data.decode()).encode(), peer)
`;

/** A UDP echo in `ns` on `port`: answers `<name> <payload>` and records each sender's address. */
export async function udpEcho(ns: string, port: number, name: string): Promise<Listener> {
  const child = spawn('ip', ['netns', 'exec', ns, 'python3', '-c', ECHO, String(port), name, '120']);
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
    child.once('exit', (code) => reject(new Error(`udp echo in ${ns} exited (${code})`)));
  });
  return { peers, stop: () => child.kill('SIGKILL') };
}

const ASK = `
import socket, sys
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); c.settimeout(1)
for _ in range(3):
    c.sendto(b'ping', (sys.argv[1], int(sys.argv[2])))
    try:
        print(c.recvfrom(2048)[0].decode()); break
    except (socket.timeout, OSError):
        pass
else:
    print('failed')
`;

/** Sends a datagram from `ns` to ip:port (three tries, 1 s each); the echo's answer, or null when none came. */
export async function udpAsk(ns: string, ip: string, port: number): Promise<string | null> {
  const { stdout } = await run('ip', ['netns', 'exec', ns, 'python3', '-c', ASK, ip, String(port)]);
  const out = stdout.trim();
  return out === 'failed' || out === '' ? null : out;
}
