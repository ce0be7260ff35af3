// One JSON-RPC 1.0 session over one socket: request ids, replies, server notifications, echo answered.
import type net from 'node:net';
import { OvsdbAbortError, OvsdbConnectionError, OvsdbError } from './errors';
import { JsonStreamSplitter } from './framing';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; cleanup: () => void };
type Message = { id?: unknown; method?: string; params?: unknown; result?: unknown; error?: unknown };

export type SessionHandlers = {
  onNotification: (method: string, params: unknown[]) => void;
  onClose: (error: OvsdbConnectionError) => void;
};

export type SessionOptions = {
  /** Send our own echo after this much silence from the server, and drop the session if another interval passes. */
  probeIntervalMs?: number;
};

export class RpcSession {
  private readonly pending = new Map<number, Pending>();
  private readonly splitter = new JsonStreamSplitter();
  private nextId = 1;
  private closed = false;
  private lastReceived = Date.now();
  private probeTimer: NodeJS.Timeout | undefined;
  /** Counts echo requests the server sent us (and we answered); useful to prove keep-alive works. */
  echoesAnswered = 0;
  /** Counts replies that matched no pending request (the late answer of an aborted one); tests wait on it. */
  lateRepliesIgnored = 0;

  constructor(
    private readonly socket: net.Socket,
    private readonly handlers: SessionHandlers,
    options: SessionOptions = {},
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) =>
      this.shutdown(
        new OvsdbConnectionError(`connection lost: ${err.message}`, err.code ?? 'ECONNRESET', { cause: err }),
      ),
    );
    socket.on('close', () =>
      this.shutdown(new OvsdbConnectionError('connection closed by the server', 'ECONNRESET')),
    );
    const interval = options.probeIntervalMs ?? 0;
    if (interval > 0) this.startProbe(interval);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Sends a request; the reply's `result` resolves, its `error` rejects with OvsdbError. */
  request(method: string, params: unknown[], signal?: AbortSignal): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(new OvsdbAbortError(signal.reason));
    if (this.closed) return Promise.reject(new OvsdbConnectionError('not connected', 'ENOTCONN'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // An aborted request is forgotten at once: its late reply finds no pending entry and is ignored.
      const onAbort = () => {
        this.pending.delete(id);
        reject(new OvsdbAbortError(signal?.reason));
      };
      const cleanup = () => signal?.removeEventListener('abort', onAbort);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, { resolve, reject, cleanup });
      this.write({ method, params, id });
    });
  }

  /** Writes one JSON text; after close it is dropped, since nobody could read a reply. */
  private write(message: object): void {
    if (this.closed) return;
    this.socket.write(JSON.stringify(message));
  }

  close(): void {
    this.shutdown(new OvsdbConnectionError('connection closed by the client', 'ECONNABORTED'));
  }

  /** Test hook: cut the socket abruptly, as a network failure would. */
  destroySocket(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.lastReceived = Date.now();
    let texts: string[];
    try {
      texts = this.splitter.push(chunk);
    } catch (e) {
      this.shutdown(
        new OvsdbConnectionError(`protocol error: ${(e as Error).message}`, 'EPROTO', { cause: e }),
      );
      return;
    }
    for (const text of texts) {
      let msg: Message;
      try {
        msg = JSON.parse(text) as Message;
      } catch (e) {
        this.shutdown(
          new OvsdbConnectionError('protocol error: invalid JSON from server', 'EPROTO', { cause: e }),
        );
        return;
      }
      this.dispatch(msg);
    }
  }

  private dispatch(msg: Message): void {
    if (typeof msg.method === 'string') {
      const params = Array.isArray(msg.params) ? (msg.params as unknown[]) : [];
      if (msg.method === 'echo' && msg.id !== undefined && msg.id !== null) {
        // ovsdb-server probes idle clients with echo and disconnects those that do not answer.
        this.echoesAnswered++;
        this.write({ result: params, error: null, id: msg.id });
        return;
      }
      if (msg.id === undefined || msg.id === null) this.handlers.onNotification(msg.method, params);
      else this.write({ result: null, error: { error: 'unknown method', details: msg.method }, id: msg.id });
      return;
    }
    if (typeof msg.id !== 'number') return;
    const p = this.pending.get(msg.id);
    if (!p) {
      this.lateRepliesIgnored++;
      return;
    }
    this.pending.delete(msg.id);
    p.cleanup();
    if (msg.error !== null && msg.error !== undefined) {
      const err = msg.error as { error?: unknown; details?: unknown };
      const name = typeof err === 'object' && typeof err.error === 'string' ? err.error : String(msg.error);
      const details = typeof err === 'object' && typeof err.details === 'string' ? err.details : undefined;
      p.reject(new OvsdbError(name, details));
    } else p.resolve(msg.result);
  }

  private startProbe(interval: number): void {
    let probing = false;
    this.probeTimer = setInterval(() => {
      const silentFor = Date.now() - this.lastReceived;
      if (silentFor < interval) {
        probing = false;
        return;
      }
      if (probing) {
        this.shutdown(new OvsdbConnectionError(`no reply from the server for ${silentFor} ms`, 'ETIMEDOUT'));
        return;
      }
      probing = true;
      this.request('echo', []).catch(() => {});
    }, interval);
    this.probeTimer.unref();
  }

  private shutdown(error: OvsdbConnectionError): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.probeTimer);
    this.socket.destroy();
    for (const p of this.pending.values()) {
      p.cleanup();
      p.reject(error);
    }
    this.pending.clear();
    this.handlers.onClose(error);
  }
}
