// The NetworkElement the engine holds for an out-of-process adapter: each call is `element.<method>` on whichever
// process serves now (after a restart or reload the element is opened there again first), its AbortSignal becomes
// `$/cancelRequest` and an immediate rejection, and errors come back as AdapterErrors.
//
// Why optional methods are decided this way: createElement is synchronous in the SDK, but only element.open says
// which optional calls an element has. So the proxy starts from what can be known at once: the StaticNat, Lb,
// PortForwarding and ACL calls exactly as the manifest offers them (the contract ties them to it), checkRealized
// and trace present; the open is sent at once and every call queues behind it; when its answer lacks checkRealized
// or trace they are removed from the element (the engine looks them up when it calls them, long after the open),
// and a caller that took one before then is answered INVALID_REQUEST. Every later open (a restart, a reload to a
// version that offers more or fewer) sets them again from its answer. watch is always present: on an element that
// cannot watch the subscription simply never fires. `openElement` (ProcessAdapter) awaits the open for exact presence.
import {
  type AdapterEnv,
  AdapterError,
  type AdapterManifest,
  abortable,
  abortError,
  type CallContext,
  type ControllerConnection,
  type NetworkElement,
  type WatchChange,
} from '@netplane/adapter-sdk';
import { decodeAdapterError, OPTIONAL_METHODS, RPC } from '@netplane/adapter-sdk/serve';
import { type CallErrors, callOpen } from './open-call';
import { type Peer, RpcError } from './peer';
import { decodeBatch, manifestMethods } from './proxy-methods';

export type OpenAnswer = { methods: readonly string[]; watch: boolean };

/** What the proxy needs of the supervisor. */
export type ElementHost = {
  adapterId(): string;
  /** The process that serves new calls, once it is up (waits while it restarts), within the signal. */
  ready(signal: AbortSignal): Promise<Peer>;
  /** The process that serves new calls when it is up right now (no wait), else undefined. */
  serving(): Peer | undefined;
  callTimeoutMs: number;
  forget(el: ProxyElement): void;
};

export class ProxyElement {
  readonly element: NetworkElement;
  private readonly opens = new WeakMap<Peer, Promise<OpenAnswer>>();
  /** The opens that have answered: a call on such a process takes the open path (open-call.ts). */
  private readonly opened = new WeakMap<Peer, OpenAnswer>();
  private readonly listeners = new Set<(c: WatchChange) => void>();
  private readonly watchingOn = new WeakSet<Peer>();
  private closed = false;
  private pruned = false;

  constructor(
    readonly id: string,
    private readonly connection: ControllerConnection,
    private readonly env: AdapterEnv,
    private readonly host: ElementHost,
    manifest: AdapterManifest,
  ) {
    const call = (method: string) => this.method(method);
    const el: Record<string, unknown> = {};
    for (const m of [
      'canHandle',
      'implementVpc',
      'destroyVpc',
      'implementNetwork',
      'prepareNic',
      'releaseNic',
      'shutdownNetwork',
      'destroyNetwork',
      'observe',
      'healthCheck',
    ])
      el[m] = call(m);
    el.prepareNics = async (nics: unknown, ctx: CallContext) =>
      decodeBatch(await this.call('prepareNics', [nics], ctx));
    for (const m of manifestMethods(manifest)) el[m] = call(m);
    el.watch = (listener: (c: WatchChange) => void) => this.watch(listener);
    el.close = () => this.close();
    this.element = el as unknown as NetworkElement;
  }

  private method(name: string) {
    return (...a: unknown[]) => this.call(name, a.slice(0, -1), a[a.length - 1] as CallContext);
  }

  get logger() {
    return this.env.logger;
  }

  /** Opens the element on a process once (memoised per process); re-subscribes the watch there when it has one. */
  attach(peer: Peer): Promise<OpenAnswer> {
    let open = this.opens.get(peer);
    if (!open) {
      open = peer
        .request('element.open', { element: this.id, connection: this.connection })
        .then((answer) => {
          const a = this.prune(answer);
          this.opened.set(peer, a);
          return a;
        })
        .catch((e: unknown) => {
          throw this.toError(e, new AbortController().signal, () => new AdapterError('TIMEOUT', 'aborted'));
        });
      open.catch(() => {});
      this.opens.set(peer, open);
    }
    if (this.listeners.size > 0) this.watchOn(peer, open);
    return open;
  }

  private prune(answer: unknown): OpenAnswer {
    const a = answer as Partial<OpenAnswer> | null;
    const out: OpenAnswer = {
      methods: Array.isArray(a?.methods) ? a.methods : [],
      watch: a?.watch === true,
    };
    // Each process's answer decides (a reload may bring a version that offers more, or fewer, optional calls); the
    // opens happen on the process about to serve, before it takes calls.
    this.pruned = true;
    const el = this.element as unknown as Record<string, unknown>;
    for (const m of OPTIONAL_METHODS)
      if (!out.methods.includes(m)) delete el[m];
      else if (!(m in el)) el[m] = this.method(m);
    return out;
  }

  private watchOn(peer: Peer, open: Promise<OpenAnswer>): void {
    if (this.watchingOn.has(peer)) return;
    this.watchingOn.add(peer);
    open.then(
      (a) =>
        a.watch &&
        peer.request('element.watch', { element: this.id }).catch((e: unknown) => {
          if (peer.alive) this.logger.warn({ err: String(e) }, 'element.watch failed');
        }),
      () => {},
    );
  }

  /** An element.changed notification for this element. */
  changed(vpcIds: unknown): void {
    if (!Array.isArray(vpcIds)) return;
    const change = { vpcIds: vpcIds.filter((v): v is string => typeof v === 'string') };
    for (const l of this.listeners) l(change);
  }

  private watch(listener: (c: WatchChange) => void): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1 && !this.closed) {
      const ac = new AbortController();
      this.host.ready(ac.signal).then(
        (peer) => this.attach(peer),
        () => {},
      );
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0 || this.closed) return;
      // The last listener left: end the subscription where it runs (a later watch subscribes again).
      const ac = new AbortController();
      this.host.ready(ac.signal).then(
        (peer) => {
          if (!this.watchingOn.delete(peer)) return;
          peer.request('element.unwatch', { element: this.id }).catch(() => {});
        },
        () => {},
      );
      ac.abort();
    };
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.host.forget(this);
    const signal = AbortSignal.timeout(5_000);
    try {
      const peer = await this.host.ready(signal);
      if (this.opens.has(peer)) await peer.request('element.close', { element: this.id });
    } catch {
      // The process is gone or restarting: nothing of this element is left there to free.
    }
  }

  private call(method: string, args: unknown[], ctx: CallContext): Promise<unknown> {
    if (ctx?.signal?.aborted) return Promise.reject(abortError(ctx.signal));
    if (this.closed)
      return Promise.reject(
        new AdapterError('INVALID_REQUEST', `element of adapter ${this.host.adapterId()} is closed`),
      );
    const optional = (OPTIONAL_METHODS as readonly string[]).includes(method);
    if (this.pruned && optional && !(method in this.element))
      return Promise.reject(this.unimplemented(method));
    const peer = this.host.serving();
    const open = peer && this.opened.get(peer);
    if (!peer || !open) return this.waitingCall(method, args, ctx);
    if (optional && !open.methods.includes(method)) return Promise.reject(this.unimplemented(method));
    const timeoutMs = this.host.callTimeoutMs;
    return callOpen({
      peer,
      method,
      params: { element: this.id, args, idempotencyKey: ctx.idempotencyKey, deadlineMs: timeoutMs },
      signal: ctx?.signal,
      timeoutMs,
      errors: this.errors,
    });
  }

  private unimplemented(method: string): AdapterError {
    return new AdapterError(
      'INVALID_REQUEST',
      `adapter ${this.host.adapterId()} does not implement ${method}`,
    );
  }

  private readonly errors: CallErrors = {
    late: (method, timeoutMs) => this.late(method, timeoutMs),
    // Only answers reach it (a crash, an RpcError): the open path's aborts and deadlines are its own errors.
    toError: (e) => this.toError(e, undefined, () => new AdapterError('TIMEOUT', 'aborted')),
  };

  private late(method: string, deadlineMs: number): AdapterError {
    return new AdapterError(
      'TIMEOUT',
      `adapter ${this.host.adapterId()} did not answer ${method} within ${deadlineMs / 1000} s`,
    );
  }

  /** A call that first waits for a process (one restarting) or for the element's open there. */
  private async waitingCall(method: string, args: unknown[], ctx: CallContext): Promise<unknown> {
    const signal = ctx?.signal ?? new AbortController().signal;
    const deadlineMs = this.host.callTimeoutMs;
    const started = Date.now();
    // One signal for the wait for a process, the open and the call: the caller's, or our deadline. Its reason is the
    // AdapterError the call rejects with. (A listener, not AbortSignal.any: this runs once per call.)
    const ours = new AbortController();
    const onCallerAbort = () => ours.abort(abortError(signal));
    signal.addEventListener('abort', onCallerAbort, { once: true });
    const timer = setTimeout(() => ours.abort(this.late(method, deadlineMs)), deadlineMs);
    const both = ours.signal;
    const aborted = () => both.reason as AdapterError;
    let id: number | undefined;
    let peer: Peer | undefined;
    const onAbort = () => {
      if (peer && id !== undefined) {
        peer.forget(id);
        peer.notify('$/cancelRequest', { id });
      }
    };
    try {
      peer = await this.host.ready(both);
      const opened = await abortable(this.attach(peer), both, aborted);
      if ((OPTIONAL_METHODS as readonly string[]).includes(method) && !opened.methods.includes(method))
        throw this.unimplemented(method);
      const params = {
        element: this.id,
        args,
        idempotencyKey: ctx.idempotencyKey,
        deadlineMs: Math.max(1, deadlineMs - (Date.now() - started)),
      };
      both.addEventListener('abort', onAbort, { once: true });
      const p = peer;
      const answer = new Promise((resolve, reject) => {
        id = p.send(`element.${method}`, params, { resolve, reject });
      });
      const result = await abortable(answer, both, aborted);
      // The wire's null is a void method's undefined (no contract call answers null otherwise).
      return result === null ? undefined : result;
    } catch (e) {
      throw this.toError(e, both, aborted);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onCallerAbort);
      both.removeEventListener('abort', onAbort);
    }
  }

  private toError(e: unknown, signal: AbortSignal | undefined, aborted: () => AdapterError): AdapterError {
    if (e instanceof AdapterError) return e;
    if (e instanceof RpcError) {
      if (e.rpc.code === RPC.ADAPTER_ERROR) return decodeAdapterError(e.rpc.message, e.rpc.data);
      return new AdapterError('VENDOR_ERROR', `adapter protocol error: ${e.rpc.message}`);
    }
    if (signal?.aborted) return aborted();
    // The process died under the call: Peer rejects its pending requests with the exit's reason.
    const reason = e instanceof Error ? e.message : String(e);
    return new AdapterError('ADAPTER_CRASHED', `adapter ${this.host.adapterId()} ${reason}`);
  }
}
