// A throw-away sshd on 127.0.0.1 (a free port, its own host key and authorized key in a temp dir): the "router host"
// the adapter connects to. The tests run as root, so the scripts really change this machine's network namespaces.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
/** execFile with room for `ip -j link` of a host holding thousands of links (other tests' and benches' too). */
export const run = (file: string, args: readonly string[]) =>
  execFileP(file, args, { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });

export type Sshd = {
  port: number;
  /** The listening sshd's pid: its children are the sessions of the connected elements. */
  pid: number;
  dir: string;
  /** The host's public key line, what the controller config pins. */
  hostKey: string;
  /** The client's private key (OpenSSH format). */
  privateKey: string;
  /** Another key pair's private key, not authorized. */
  strangerKey: string;
  /** A public key line the host does not have. */
  otherHostKey: string;
  /** The pids of the sessions (connections) of this sshd and their children. */
  sessionPids(): Promise<number[]>;
  stop(): Promise<void>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

async function keygen(path: string): Promise<void> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'netplane-test', '-f', path]);
}

async function descendantsOf(root: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const p of (await readdir('/proc')).filter((x) => /^\d+$/.test(x))) {
    const stat = await readFile(`/proc/${p}/stat`, 'utf8').catch(() => '');
    parents.set(Number(p), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [child, ppid] of parents) {
      if (ppid === pid) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}

export async function startSshd(): Promise<Sshd> {
  const dir = await mkdtemp(join(tmpdir(), 'np-vrouter-sshd-'));
  await Promise.all(['host', 'client', 'stranger', 'other'].map((k) => keygen(join(dir, k))));
  await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'client.pub')));
  await run('mkdir', ['-p', '/run/sshd']);
  let lastErr = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    await writeFile(
      join(dir, 'sshd_config'),
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(dir, 'host')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        'MaxSessions 20',
        'MaxStartups 50',
        // sshd runs every exec through the login shell, and bash sources ~/.bashrc for a command from sshd when its
        // SHLVL is below 2: this machine's .bashrc (pyenv) costs ~300 ms per round trip. SHLVL=1 skips it.
        'SetEnv SHLVL=1',
        '',
      ].join('\n'),
    );
    const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const ready = await new Promise<boolean>((resolve) => {
      let buf = '';
      child.stderr?.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('Server listening on')) resolve(true);
      });
      child.once('exit', () => {
        lastErr = buf;
        resolve(false);
      });
    });
    if (!ready) continue;
    child.stderr?.resume();
    const pub = async (k: string) => (await readFile(join(dir, `${k}.pub`), 'utf8')).trim();
    return {
      port,
      pid: child.pid as number,
      dir,
      hostKey: await pub('host'),
      otherHostKey: await pub('other'),
      privateKey: await readFile(join(dir, 'client'), 'utf8'),
      strangerKey: await readFile(join(dir, 'stranger'), 'utf8'),
      sessionPids: () => descendantsOf(child.pid as number),
      async stop() {
        if (child.exitCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`sshd did not start: ${lastErr}`);
}
