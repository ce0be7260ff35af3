// One adapter process and the JSON-RPC connection over its stdio (docs/adapter-protocol.md): spawn with a minimal
// environment, NDJSON framing with the 16 MiB cap, requests with their pending table, stderr and `log` lines through
// the logger, and one `ended` promise that settles with why the process is gone (exit, signal, protocol violation).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AdapterLogger } from '@netplane/adapter-sdk';
import {
  lineSplitter,
  parseMessage,
  type RpcErrorObject,
  type RpcMessage,
} from '@netplane/adapter-sdk/serve';
import { SecretScrubber } from './scrub';

export type PeerExit = { code: number | null; signal: string | null; reason: string };

export class RpcError extends Error {
  constructor(readonly rpc: RpcErrorObject) {
    super(rpc.message);
  }
}

export type Pending = { resolve(v: unknown): void; reject(e: unknown): void };

const STDERR_LINE_MAX = 4096;
const HEAD = 200;

/** The environment an adapter gets: nothing of the server's (no secrets, no DB URL), only what a runtime needs. */
export function minimalEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NETPLANE_ADAPTER_PROTOCOL: '1' };
  for (const k of ['PATH', 'HOME', 'LANG', 'TZ'] as const)
    if (process.env[k] !== undefined) env[k] = process.env[k];
  return env;
}

export class Peer {
  readonly child: ChildProcess;
  readonly startedAt = Date.now();
  readonly ended: Promise<PeerExit>;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exit: PeerExit | undefined;
  private violation: string | undefined;
  private lastStderr = '';
  onNotification: (method: string, params: unknown) => void = () => {};

  constructor(
    readonly adapterId: () => string,
    command: string,
    args: readonly string[],
    cwd: string,
    private readonly logger: AdapterLogger,
    /** Credential values this host sent: scrubbed from the process's stderr, violations and errors. */
    private readonly secrets: SecretScrubber = new SecretScrubber(),
  ) {
    this.child = spawn(command, [...args], { cwd, env: minimalEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout = lineSplitter(
      (line) => this.onLine(line),
      (head) => this.violate(`wrote a line longer than 16 MiB: ${head}`),
    );
    this.child.stdout?.on('data', stdout);
    const stderr = lineSplitter(
      (line) => {
        this.lastStderr = this.secrets.scrub(line).slice(0, STDERR_LINE_MAX);
        this.logger.warn({ adapterId: this.adapterId(), stream: 'stderr' }, this.lastStderr);
      },
      () => {},
      STDERR_LINE_MAX * 16,
    );
    this.child.stderr?.on('data', stderr);
    // A write to a dead child's stdin fails with EPIPE; the exit handler reports the crash.
    this.child.stdin?.on('error', () => {});
    this.ended = new Promise<PeerExit>((resolve) => {
      const done = (code: number | null, signal: string | null, spawnError?: Error) => {
        if (this.exit) return;
        const reason = this.violation
          ? this.violation
          : spawnError
            ? `could not be started: ${spawnError.message}`
            : signal
              ? `was killed by ${signal}`
              : `exited with code ${code}`;
        this.exit = { code, signal, reason };
        for (const p of this.pending.values()) p.reject(new Error(reason));
        this.pending.clear();
        resolve(this.exit);
      };
      this.child.once('error', (e) => done(null, null, e));
      // close, not exit: it comes after the pipes are drained, so the last stderr line is known.
      this.child.once('close', (code, signal) => done(code, signal));
    });
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }
  get alive(): boolean {
    return this.exit === undefined;
  }
  get inFlight(): number {
    return this.pending.size;
  }
  /** The last stderr line, for a start failure's one line ("exited with code 1 before its handshake: …"). */
  get lastError(): string {
    return this.lastStderr;
  }

  /** Resident memory from /proc (a kernel file: no disk I/O), null when it cannot be read. */
  rssBytes(): number | null {
    if (!this.pid || !this.alive) return null;
    try {
      const m = /VmRSS:\s+(\d+)\s*kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : null;
    } catch {
      return null;
    }
  }

  request(method: string, params: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.send(method, params, { resolve, reject });
    });
  }

  /** Sends a request whose answer settles `p` (a process already gone rejects it at once); returns its id. */
  send(method: string, params: unknown, p: Pending): number {
    const id = this.nextId++;
    if (this.exit) {
      p.reject(new Error(this.exit.reason));
      return id;
    }
    this.pending.set(id, p);
    this.write({ jsonrpc: '2.0', id, method, params });
    return id;
  }

  /** Forgets a request (cancelled): its late answer is dropped. */
  forget(id: number): void {
    this.pending.delete(id);
  }

  notify(method: string, params: unknown): void {
    if (!this.exit) this.write({ jsonrpc: '2.0', method, params });
  }

  private queued: string[] = [];
  /** Lines written in one tick go out in one write (one syscall under many concurrent calls). */
  private write(msg: object): void {
    if (this.queued.push(`${JSON.stringify(msg)}\n`) === 1)
      queueMicrotask(() => {
        const out = this.queued.join('');
        this.queued = [];
        this.child.stdin?.write(out);
      });
  }

  /** Kills the process as a protocol violation: the reason is what every in-flight call's crash error names. */
  violate(reason: string): void {
    if (this.violation || this.exit) return;
    reason = this.secrets.scrub(reason);
    this.violation = reason;
    this.logger.error(
      { adapterId: this.adapterId(), pid: this.pid },
      `adapter ${this.adapterId()} ${reason}`,
    );
    this.child.kill('SIGKILL');
  }

  kill(signal: NodeJS.Signals = 'SIGKILL', reason?: string): void {
    if (reason && !this.violation) this.violation = reason;
    if (this.alive) this.child.kill(signal);
  }

  /** shutdown request, close stdin, SIGTERM after 5 s, SIGKILL after 10 s. */
  async stop(graceMs = 5_000): Promise<PeerExit> {
    if (this.exit) return this.exit;
    const term = setTimeout(() => this.child.kill('SIGTERM'), graceMs);
    const kill = setTimeout(() => this.child.kill('SIGKILL'), graceMs * 2);
    try {
      await Promise.race([this.request('shutdown', {}).catch(() => {}), this.ended]);
      this.child.stdin?.end();
      return await this.ended;
    } finally {
      clearTimeout(term);
      clearTimeout(kill);
    }
  }

  private onLine(line: string): void {
    const msg: RpcMessage | undefined = parseMessage(line);
    if (!msg) {
      this.violate(`wrote a line that is not JSON-RPC: ${line.slice(0, HEAD)}`);
      return;
    }
    if ('method' in msg) {
      if ('id' in msg && msg.id !== undefined) {
        // The host serves no requests: answer so a well-behaved adapter does not wait.
        this.write({
          jsonrpc: '2.0',
          id: msg.id,
          error: { code: -32601, message: 'the host serves no methods' },
        });
        return;
      }
      this.onNotification(msg.method, msg.params);
      return;
    }
    if (typeof msg.id !== 'number') return; // an error about a line of ours without id: nothing waits on it
    const p = this.pending.get(msg.id);
    if (!p) return; // a late answer to a cancelled call
    this.pending.delete(msg.id);
    if ('error' in msg) p.reject(new RpcError(this.secrets.scrubDeep(msg.error) as RpcErrorObject));
    else p.resolve(msg.result);
  }
}
