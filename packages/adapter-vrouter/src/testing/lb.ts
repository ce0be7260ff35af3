// The tests' view of a load balancer: a member server that answers its name and holds the connection (echoing what it
// gets) until the client closes, a client that counts which member answered over many connections (optionally from a
// given source address, optionally waiting between connections until haproxy counts only the held sessions), and a
// held connection that can echo across a member change.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const MEMBER = `
import socket, sys, threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', int(sys.argv[1]))); s.listen(64)
name = sys.argv[2]
print('ready', flush=True)
def serve(c):
    try:
        c.sendall((name + '\\n').encode())
        while True:
            d = c.recv(1000)
            if not d:
                break
            c.sendall(d)
    except OSError:
        pass
    c.close()
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
`;

export type Member = { stop(): void };

/** A TCP server in `ns` on `port` answering `name` then echoing, one thread per connection, until stopped. */
export async function member(ns: string, port: number, name: string): Promise<Member> {
  const child = spawn('ip', ['netns', 'exec', ns, 'python3', '-c', MEMBER, String(port), name]);
  await firstLine(child, `member ${name} in ${ns}`);
  return { stop: () => child.kill('SIGKILL') };
}

const TALLY = `
import json, socket, sys, time
ip, port, n, src, sock, backend, base = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6], int(sys.argv[7])
def sessions():
    u = socket.socket(socket.AF_UNIX); u.connect(sock); u.sendall(b'show stat\\n')
    out = b''
    while True:
        d = u.recv(65536)
        if not d:
            break
        out += d
    u.close()
    rows = [l.split(',') for l in out.decode().split('\\n') if l and not l.startswith('#')]
    return sum(int(r[4] or 0) for r in rows if r[0] == backend and r[1] not in ('FRONTEND', 'BACKEND'))
counts = {}
for i in range(n):
    try:
        c = socket.create_connection((ip, port), timeout=3, source_address=(src, 0) if src != '-' else None)
        c.settimeout(3)
        name = c.makefile('r').readline().strip() or 'closed'
        c.close()
    except OSError:
        name = 'failed'
    counts[name] = counts.get(name, 0) + 1
    if sock != '-':
        deadline = time.time() + 20
        while sessions() != base:
            if time.time() > deadline:
                raise SystemExit('haproxy still counts more than %d sessions' % base)
            time.sleep(0.01)
print(json.dumps(counts), flush=True)
`;

export type TallyOptions = {
  /** Connect from this address of `ns`. */
  source?: string;
  /** Before each next connection, wait until this haproxy (stats socket, backend) counts `held` sessions. */
  settle?: { sock: string; backend: string; held: number };
};

/** `n` connections one after the other from `ns`: how many each member answered ('failed': no connection). */
export async function tally(
  ns: string,
  ip: string,
  port: number,
  n: number,
  opts: TallyOptions = {},
): Promise<Record<string, number>> {
  const s = opts.settle;
  const args = [ip, String(port), String(n), opts.source ?? '-', s?.sock ?? '-', s?.backend ?? '-'];
  const child = spawn('ip', ['netns', 'exec', ns, 'python3', '-c', TALLY, ...args, String(s?.held ?? 0)]);
  return JSON.parse(await firstLine(child, `tally from ${ns}`)) as Record<string, number>;
}

const HOLD = `
import socket, sys
c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5); c.settimeout(10)
f = c.makefile('r')
print(f.readline().strip(), flush=True)
for line in sys.stdin:
    c.sendall(line.encode()); print(f.readline().strip(), flush=True)
c.close()
`;

export type Held = {
  /** The member that answered the connection. */
  name: string;
  /** Sends a line over the held connection and returns the member's echo. */
  echo(text: string): Promise<string>;
  close(): Promise<void>;
};

/** One connection from `ns` to ip:port kept open until close(). */
export async function hold(ns: string, ip: string, port: number): Promise<Held> {
  const child = spawn('ip', ['netns', 'exec', ns, 'python3', '-c', HOLD, ip, String(port)]);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const r = await lines.next();
    if (r.done) throw new Error(`held connection to ${ip}:${port} ended`);
    return r.value;
  };
  const name = await next();
  return {
    name,
    async echo(text) {
      child.stdin.write(`${text}\n`);
      return next();
    },
    async close() {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      if (child.exitCode === null) await exited;
    },
  };
}

function firstLine(child: ChildProcessWithoutNullStreams, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}): ${err.slice(-300)}`)));
  });
}
