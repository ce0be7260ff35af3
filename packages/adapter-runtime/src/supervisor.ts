// The supervisor of one adapter: the process serving new calls, its restarts with backoff after a crash, health
// pings, reload (a new process beside the old, which drains), the elements to re-open on each new process, and the
// runtime info the server reports. startProcessAdapter (process-adapter.ts) wraps it.
import { basename } from 'node:path';
import type {
  AdapterEnv,
  AdapterManifest,
  AdapterProcessExit,
  AdapterReloadResult,
  AdapterRuntimeInfo,
  ControllerConnection,
} from '@netplane/adapter-sdk';
import { type Handshake, handshake } from './handshake';
import { Peer, type PeerExit } from './peer';
import type { ProcessAdapterOptions } from './process-adapter';
import { type ElementHost, ProxyElement } from './proxy-element';
import { SecretScrubber } from './scrub';

const UP_RESETS_BACKOFF_MS = 60_000;
const HEALTH_MISSES = 3;
/**
 * How long a starting process may take to answer initialize (and its elements to re-open). 30 s, not less: an adapter
 * started on a loaded management server (a JIT, a TypeScript loader, a JVM) can take well over 10 s, and a start
 * refused as `no handshake` is an adapter Unable to load.
 */
export const HANDSHAKE_TIMEOUT_MS = 30_000;
export const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

type State = 'starting' | 'running' | 'restarting' | 'stopped';

export class Supervisor implements ElementHost {
  state: State = 'starting';
  current: Peer | null = null;
  manifest!: AdapterManifest;
  protocolVersion: number | null = null;
  /** The SDK range the serving process's handshake declared (a reload may bring another). */
  sdkRange: string | null = null;
  restarts = 0;
  lastExit: AdapterProcessExit | null = null;
  readonly callTimeoutMs: number;
  /** Every credential value sent in an element.open, scrubbed from all the processes say (scrub.ts). */
  readonly secrets = new SecretScrubber();
  private readonly elements = new Map<string, ProxyElement>();
  private nextElement = 1;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly health: NodeJS.Timeout;
  private misses = 0;
  private waiters = new Set<() => void>();
  private readonly draining = new Set<Promise<unknown>>();
  private reloading = false;

  constructor(private readonly o: ProcessAdapterOptions) {
    this.callTimeoutMs = o.callTimeoutMs ?? 300_000;
    this.health = setInterval(() => void this.ping(), o.healthIntervalMs ?? 10_000);
    this.health.unref();
  }

  adapterId = (): string => this.manifest?.id ?? basename(this.o.cwd);

  get command(): string {
    return [this.o.command, ...(this.o.args ?? [])].join(' ');
  }

  /** Starts one process and handshakes; on failure the process is killed and the one-line reason thrown. */
  async spawn(): Promise<{ peer: Peer; hs: Handshake }> {
    const peer = new Peer(
      this.adapterId,
      this.o.command,
      this.o.args ?? [],
      this.o.cwd,
      this.o.logger,
      this.secrets,
    );
    peer.onNotification = (method, params) => this.onNotification(method, params);
    try {
      const hs = await handshake(peer, {
        hostVersion: this.o.hostVersion ?? '0.0.0',
        timeoutMs: this.o.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
        ...(this.o.validate && { validate: this.o.validate }),
      });
      return { peer, hs };
    } catch (e) {
      peer.kill('SIGKILL');
      throw new Error(firstLine(e));
    }
  }

  /** Makes a handshaken process the one serving new calls, re-opening every element on it first. */
  async adopt(peer: Peer, hs: Handshake): Promise<void> {
    this.manifest = hs.manifest;
    this.protocolVersion = hs.protocolVersion;
    this.sdkRange = hs.sdkRange;
    // Bounded: an adapter that never answers element.open must not hold a restart or reload forever; the element's
    // calls then wait on that open within their own deadline.
    const reopened = Promise.allSettled([...this.elements.values()].map((el) => el.attach(peer)));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      reopened,
      new Promise((r) => (timer = setTimeout(r, this.o.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    this.current = peer;
    this.state = 'running';
    this.misses = 0;
    for (const w of this.waiters) w();
    this.waiters.clear();
    void peer.ended.then((exit) => this.onExit(peer, exit));
  }

  private onExit(peer: Peer, exit: PeerExit): void {
    if (peer !== this.current) return; // a retired (reloaded) process: its exit is expected
    this.current = null;
    this.lastExit = { at: new Date().toISOString(), ...exit };
    if (this.state === 'stopped') return;
    const line = `adapter ${this.adapterId()} ${exit.reason}`;
    this.o.logger.error(
      { adapterId: this.adapterId(), pid: peer.pid, code: exit.code, signal: exit.signal },
      line,
    );
    if (Date.now() - peer.startedAt >= UP_RESETS_BACKOFF_MS) this.failures = 0;
    this.state = 'restarting';
    this.restarts++;
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const base = this.o.restart?.baseMs ?? 250;
    const max = this.o.restart?.maxMs ?? 30_000;
    const delay = Math.min(max, base * 2 ** this.failures);
    this.failures++;
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => void this.restartNow(), delay);
  }

  private async restartNow(): Promise<void> {
    if (this.state !== 'restarting') return;
    try {
      const { peer, hs } = await this.spawn();
      if (this.state !== 'restarting') return void peer.stop();
      await this.adopt(peer, hs);
      this.o.logger.info(
        { adapterId: this.adapterId(), pid: peer.pid },
        `adapter ${this.adapterId()} restarted`,
      );
    } catch (e) {
      this.o.logger.error(
        { adapterId: this.adapterId() },
        `adapter ${this.adapterId()} restart failed: ${firstLine(e)}`,
      );
      if (this.state === 'restarting') this.scheduleRestart();
    }
  }

  serving(): Peer | undefined {
    return this.state !== 'stopped' && this.current?.alive ? this.current : undefined;
  }

  ready(signal: AbortSignal): Promise<Peer> {
    // Stopped first: a process still finishing its calls after stop() takes no new ones.
    if (this.state === 'stopped') return Promise.reject(new Error('was stopped'));
    if (this.current?.alive) return Promise.resolve(this.current);
    return new Promise<Peer>((resolve, reject) => {
      const onAbort = () => {
        this.waiters.delete(wake);
        reject(signal.reason);
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        if (this.current) resolve(this.current);
        else reject(new Error('was stopped'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(wake);
    });
  }

  private async ping(): Promise<void> {
    const peer = this.current;
    if (!peer?.alive || this.state !== 'running') return;
    const ms = this.o.healthIntervalMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('late')), ms);
    });
    try {
      await Promise.race([peer.request('health', {}), late]);
      this.misses = 0;
    } catch {
      if (!peer.alive) return;
      this.misses++;
      this.o.logger.warn(
        { adapterId: this.adapterId(), misses: this.misses },
        `adapter ${this.adapterId()} missed a health ping`,
      );
      if (this.misses >= HEALTH_MISSES) peer.kill('SIGKILL', `missed ${HEALTH_MISSES} health pings`);
    } finally {
      clearTimeout(timer);
    }
  }

  private onNotification(method: string, params: unknown): void {
    const p = (typeof params === 'object' && params !== null ? params : {}) as Record<string, unknown>;
    const el = typeof p.element === 'string' ? this.elements.get(p.element) : undefined;
    if (method === 'element.changed') {
      el?.changed(p.vpcIds);
      return;
    }
    if (method !== 'log') return;
    const level = ['debug', 'info', 'warn', 'error'].includes(p.level as string)
      ? (p.level as 'info')
      : 'info';
    const fields = typeof p.fields === 'object' && p.fields !== null ? this.secrets.scrubDeep(p.fields) : {};
    const logger = el?.logger ?? this.o.logger;
    const msg = typeof p.msg === 'string' ? this.secrets.scrub(p.msg) : '';
    logger[level]({ adapterId: this.adapterId(), ...(fields as object) }, msg);
  }

  createElement(connection: ControllerConnection, env: AdapterEnv): ProxyElement {
    this.secrets.add(connection.credentials);
    const el = new ProxyElement(`e${this.nextElement++}`, connection, env, this, this.manifest);
    this.elements.set(el.id, el);
    if (this.current?.alive) el.attach(this.current).catch(() => {});
    return el;
  }

  forget(el: ProxyElement): void {
    this.elements.delete(el.id);
  }

  /** Lets a retired process finish its calls in flight (bounded by the call deadline), then stops it. */
  private retire(peer: Peer): void {
    const done = (async () => {
      const until = Date.now() + this.callTimeoutMs;
      while (peer.alive && peer.inFlight > 0 && Date.now() < until)
        await new Promise((r) => setTimeout(r, 25));
      await peer.stop();
    })();
    this.draining.add(done);
    void done.finally(() => this.draining.delete(done));
  }

  async reload(): Promise<AdapterReloadResult> {
    if (this.state === 'stopped') return { ok: false, reason: 'the adapter is stopped' };
    if (this.reloading) return { ok: false, reason: 'a reload is already under way' };
    this.reloading = true;
    const previousVersion = this.manifest.version;
    try {
      let started: { peer: Peer; hs: Handshake };
      try {
        started = await this.spawn();
      } catch (e) {
        return {
          ok: false,
          reason: `the new version did not start: ${firstLine(e)}; version ${previousVersion} keeps running`,
        };
      }
      const { peer, hs } = started;
      if (hs.manifest.id !== this.manifest.id) {
        void peer.stop();
        return { ok: false, reason: `the new version is adapter ${hs.manifest.id}, not ${this.manifest.id}` };
      }
      const old = this.current;
      clearTimeout(this.restartTimer);
      await this.adopt(peer, hs);
      if (old) this.retire(old);
      this.o.logger.info(
        { adapterId: this.adapterId(), pid: peer.pid, previousPid: old?.pid ?? null },
        `adapter ${this.adapterId()} reloaded: ${previousVersion} -> ${hs.manifest.version}`,
      );
      return { ok: true, previousVersion, version: hs.manifest.version };
    } finally {
      this.reloading = false;
    }
  }

  info(): AdapterRuntimeInfo {
    const peer = this.current?.alive ? this.current : null;
    return {
      kind: 'process',
      command: this.command,
      state: this.state,
      pid: peer?.pid ?? null,
      startedAt: peer ? new Date(peer.startedAt).toISOString() : null,
      restarts: this.restarts,
      lastExit: this.lastExit,
      rssBytes: peer?.rssBytes() ?? null,
      protocolVersion: this.protocolVersion,
    };
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    clearTimeout(this.restartTimer);
    clearInterval(this.health);
    for (const w of this.waiters) w();
    this.waiters.clear();
    const peer = this.current;
    if (peer) this.retire(peer);
    await Promise.allSettled([...this.draining]);
  }
}
