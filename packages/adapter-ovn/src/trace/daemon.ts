// One long-lived `ovn-trace --detach` daemon: it loads the Southbound database once, and each trace is then a JSON-RPC
// call on its unixctl socket (what `ovn-appctl -t <socket> trace` sends), not a process that downloads the database.
//
// `--detach` forks: the daemon is an orphan of the ovn-trace we start, and an orphan is reaped by PID 1 or the nearest
// subreaper. So it runs under a lifeline (LIFELINE, python3, which Debian's ovn-common depends on) that makes itself a
// subreaper (PR_SET_CHILD_SUBREAPER), starts ovn-trace, says `ready <pid>` once the daemon has read the database,
// reaps it when it dies (and exits then, which is how we learn it died), and kills it when its stdin closes: when
// stop() closes it, or when this process dies. Sockets, pidfile and log are in a private directory (mkdtemp, 0700)
// the lifeline removes as it exits (and stop() again); the TLS PEMs are there only until the daemon is connected.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MAX_OUTPUT_BYTES, tlsFiles } from './run';

/**
 * ovn-trace 23.03's daemon consumes its --ct options across traces (it never rewinds them) and answers trk,est past
 * the last; this many last ~2,000 traces of a connection's first packet (a few lookups each). A trace that ran out
 * says so (CT_EXHAUSTED) and is answered again by a fresh daemon.
 */
export const DAEMON_CT_STATES = 16 * 1024;
export const CT_EXHAUSTED = '/* default (use --ct to customize) */';
const STOP_GRACE_MS = 5_000;

const LIFELINE = `
import atexit, ctypes, os, select, shutil, signal, subprocess, sys
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: the detached daemon is ours to reap
# The private directory goes with the lifeline, also when the Netplane process died without stop().
atexit.register(shutil.rmtree, os.path.dirname(sys.argv[1]), True)
wake_r, wake_w = os.pipe()
os.set_blocking(wake_w, False)
signal.set_wakeup_fd(wake_w)
signal.signal(signal.SIGCHLD, lambda *_: None)
signal.signal(signal.SIGTERM, lambda *_: None)
rc = subprocess.call(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
if rc != 0:
    sys.exit(rc if rc > 0 else 1)
pid = int(open(sys.argv[1]).read().strip())
print("ready", pid, flush=True)
def daemon_gone():
    while True:
        try:
            p, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return True
        if p == 0:
            return False
        if p == pid:
            return True
while True:
    ready, _, _ = select.select([0, wake_r], [], [])
    if wake_r in ready:
        sig = os.read(wake_r, 64)
        if daemon_gone():
            sys.exit(0)
        if signal.SIGTERM in sig:
            break
    if 0 in ready and not os.read(0, 64):
        break
os.kill(pid, signal.SIGTERM)
signal.signal(signal.SIGALRM, lambda *_: os.kill(pid, signal.SIGKILL))
signal.alarm(${STOP_GRACE_MS / 1000})
while not daemon_gone():
    select.select([wake_r], [], [])
    os.read(wake_r, 64)
`;

/** The daemon could not be run on this node at all (no python3): traces keep the one-shot run. */
export class DaemonUnavailable extends Error {}

export class TraceDaemon {
  private exited = false;
  private readonly exit: Promise<void>;
  private stopped: Promise<void> | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly pid: number,
  ) {
    this.exit = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    }).then(() => {
      this.exited = true;
    });
  }

  /** False once the daemon died (the lifeline exits when it reaps it) or was stopped. */
  get alive(): boolean {
    return !this.exited;
  }

  static async start(
    southbound: { endpoint: string; credentials: Record<string, string> },
    timeoutMs: number,
    ctStates = DAEMON_CT_STATES,
  ): Promise<TraceDaemon> {
    const dir = await mkdtemp(path.join(tmpdir(), 'netplane-ovn-traced-'));
    const pidfile = path.join(dir, 'ovn-trace.pid');
    const tls = await tlsFiles(southbound.endpoint, southbound.credentials).catch(async (e) => {
      await rm(dir, { recursive: true, force: true });
      throw e;
    });
    const args = [
      '-c',
      LIFELINE,
      pidfile,
      'ovn-trace',
      `--db=${southbound.endpoint}`,
      ...tls.args,
      '--detach',
      '--no-chdir',
      `--pidfile=${pidfile}`,
      `--unixctl=${path.join(dir, 'ovn-trace.ctl')}`,
      `--log-file=${path.join(dir, 'ovn-trace.log')}`,
      '-vsyslog:off',
      '--no-friendly-names',
      ...Array.from({ length: ctStates }, () => '--ct=new'),
    ];
    const child = spawn('python3', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    // The daemon must not keep this process alive: if it exits without close(), the lifeline's stdin closes with it.
    child.unref();
    for (const s of [child.stdin, child.stdout, child.stderr])
      (s as { unref?: () => void } | null)?.unref?.();
    try {
      const pid = await readyOf(child, timeoutMs);
      return new TraceDaemon(child, dir, pid);
    } catch (e) {
      await stopChild(child, pidfile);
      await rm(dir, { recursive: true, force: true });
      throw e;
    } finally {
      await tls.dispose();
    }
  }

  /** The trace text ovn-trace prints for this packet (`trace --detailed DATAPATH MICROFLOW`). */
  query(datapath: string, flow: string, signal: AbortSignal, timeoutMs: number): Promise<string> {
    return unixctl(
      path.join(this.dir, 'ovn-trace.ctl'),
      'trace',
      ['--detailed', datapath, flow],
      signal,
      timeoutMs,
    );
  }

  /** Stops the daemon (through its lifeline) and removes its directory; once, however often it is asked. */
  stop(): Promise<void> {
    this.stopped ??= stopChild(this.child, path.join(this.dir, 'ovn-trace.pid'), this.exit).then(() =>
      rm(this.dir, { recursive: true, force: true }),
    );
    return this.stopped;
  }
}

/** Resolves with the daemon's pid once the lifeline says ready; rejects with ovn-trace's last words otherwise. */
function readyOf(child: ChildProcess, timeoutMs: number): Promise<number> {
  // For the whole life of the lifeline: a write to its closed stdin or a late spawn error must not throw.
  child.on('error', () => {});
  child.stdin?.on('error', () => {});
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const onOut = (d: string) => {
      out += d;
      const m = /^ready (\d+)$/m.exec(out);
      if (m) finish(undefined, Number(m[1]));
    };
    // Bounded: ovn-trace's warnings before it detaches, for the message of a failed start.
    const onErr = (d: string) => {
      err = (err + d).slice(-4096);
    };
    const onError = (e: NodeJS.ErrnoException) =>
      finish(e.code === 'ENOENT' ? new DaemonUnavailable('python3 is not installed') : e);
    const onExit = (code: number | null) => {
      const last = err.trim().split('\n').at(-1) ?? '';
      finish(
        new Error(
          `ovn-trace daemon exited (${code}) before it was ready: ${last.replaceAll(tmpdir(), '<tmp>')}`,
        ),
      );
    };
    const timer = setTimeout(
      () => finish(new Error(`ovn-trace daemon not ready within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const finish = (e?: Error, pid?: number) => {
      clearTimeout(timer);
      child.stdout?.off('data', onOut);
      child.off('error', onError);
      child.off('exit', onExit);
      // Nothing more is read from the lifeline, but its pipes must not fill up.
      child.stdout?.resume();
      child.stderr?.off('data', onErr);
      child.stderr?.resume();
      if (e) reject(e);
      else resolve(pid as number);
    };
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', onOut);
    child.stderr?.on('data', onErr);
    child.once('error', onError);
    child.once('exit', onExit);
  });
}

/** Closes the lifeline's stdin (it stops the daemon and exits); past the grace period kills both. */
async function stopChild(child: ChildProcess, pidfile: string, exit?: Promise<void>): Promise<void> {
  const exited =
    exit ??
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
  child.stdin?.end();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), STOP_GRACE_MS * 2);
  });
  const outcome = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (outcome !== 'late') return;
  const pid = Number((await readFile(pidfile, 'utf8').catch(() => '')).trim());
  if (pid > 0) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  child.kill('SIGKILL');
  await exited;
}

/** One unixctl (JSON-RPC) request on a fresh connection to the daemon's control socket. */
function unixctl(
  socketPath: string,
  method: string,
  params: string[],
  signal: AbortSignal,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = createConnection(socketPath);
    let buf = '';
    const finish = (e?: unknown, v?: string) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      sock.destroy();
      if (e !== undefined) reject(e);
      else resolve(v as string);
    };
    const onAbort = () => finish(signal.reason);
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(JSON.stringify({ id: 0, method, params })));
    sock.on('data', (d: string) => {
      buf += d;
      if (buf.length > MAX_OUTPUT_BYTES) return finish(new Error('ovn-trace answered too much'));
      if (!buf.trimEnd().endsWith('}')) return;
      let msg: { result?: unknown; error?: unknown };
      try {
        msg = JSON.parse(buf);
      } catch {
        return; // not all of it yet
      }
      if (typeof msg.result === 'string') finish(undefined, msg.result);
      else finish(new Error(`ovn-trace daemon: ${String(msg.error)}`));
    });
    sock.on('error', (e) => finish(e));
    sock.on('close', () => finish(new Error('the daemon closed the connection without answering')));
  });
}
