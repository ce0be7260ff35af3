// OvsdbClient: one logical connection to an OVSDB server that reconnects by itself and re-monitors.
import type { Row } from './encoding';
import { OvsdbAbortError, OvsdbConnectionError, OvsdbError } from './errors';
import { Monitor, type MonitorRequest } from './monitor';
import type { Condition, Operation, OperationResult } from './operations';
import { RpcSession } from './rpc-session';
import type { DatabaseSchema } from './schema';
import { type Endpoint, openSocket, parseEndpoint, type TlsOptions } from './transport';

export type ReconnectOptions = { initialDelayMs?: number; maxDelayMs?: number; enabled?: boolean };
export type ClientOptions = {
  /** "tcp:127.0.0.1:6641", "unix:/var/run/ovn/ovnnb_db.sock" or "ssl:host:6641". */
  endpoint: string;
  tls?: TlsOptions;
  connectTimeoutMs?: number;
  /** Our own keep-alive: echo after this much silence, drop after twice. 0 disables (the default is 5000). */
  probeIntervalMs?: number;
  reconnect?: ReconnectOptions;
};
/**
 * Reconnect delay for the n-th consecutive failure: exponential, capped, with "equal jitter" (half fixed, half
 * random) so clients of a restarted server spread out but never retry in a tight loop.
 */
export function backoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}

export type ConnectionState = 'connected' | 'disconnected' | 'closed';
export type RequestOptions = { signal?: AbortSignal };

export class OvsdbClient {
  readonly endpoint: Endpoint;
  private session: RpcSession | undefined;
  private connecting: Promise<RpcSession> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private isClosed = false;
  private readonly schemas = new Map<string, DatabaseSchema>();
  private readonly monitors = new Set<Monitor>();
  private readonly stateListeners = new Set<(s: ConnectionState, error?: Error) => void>();
  /** How many times a session was (re)established; tests use it to prove a reconnect happened. */
  connectCount = 0;

  constructor(private readonly options: ClientOptions) {
    this.endpoint = parseEndpoint(options.endpoint);
  }

  static async connect(options: ClientOptions, signal?: AbortSignal): Promise<OvsdbClient> {
    const client = new OvsdbClient(options);
    await client.ensureConnected(signal);
    return client;
  }

  get isConnected(): boolean {
    return this.session?.isOpen === true;
  }

  /** Echo requests the server sent on the current session and we answered. */
  get echoesAnswered(): number {
    return this.session?.echoesAnswered ?? 0;
  }

  /** Replies on the current session that answered no pending request (an aborted request's late reply). */
  get lateRepliesIgnored(): number {
    return this.session?.lateRepliesIgnored ?? 0;
  }

  onStateChange(listener: (s: ConnectionState, error?: Error) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Sends one JSON-RPC request, connecting first (or trying again at once) when the session is down. */
  async request(method: string, params: unknown[], options: RequestOptions = {}): Promise<unknown> {
    const session = await this.ensureConnected(options.signal);
    if (this.isClosed) throw new OvsdbConnectionError('client is closed', 'ECONNABORTED');
    return session.request(method, params, options.signal);
  }

  async listDbs(options?: RequestOptions): Promise<string[]> {
    return (await this.request('list_dbs', [], options)) as string[];
  }

  async getSchema(db: string, options?: RequestOptions): Promise<DatabaseSchema> {
    const known = this.schemas.get(db);
    if (known) return known;
    const schema = (await this.request('get_schema', [db], options)) as DatabaseSchema;
    this.schemas.set(db, schema);
    return schema;
  }

  async echo(options?: RequestOptions): Promise<unknown> {
    return this.request('echo', ['netplane'], options);
  }

  /**
   * Runs operations atomically. Throws OvsdbError when any operation failed (with its index and the
   * operation) or when the commit itself failed (an extra error element after the operations' results).
   */
  async transact(db: string, operations: Operation[], options?: RequestOptions): Promise<OperationResult[]> {
    const result = await this.request('transact', [db, ...operations], options);
    if (!Array.isArray(result)) throw new OvsdbError('protocol error', 'transact result is not an array');
    const results = result as (OperationResult | null)[];
    for (let i = 0; i < results.length; i++) {
      const r = results[i];
      if (r && typeof r.error === 'string') {
        const at = i < operations.length ? { operationIndex: i, operation: operations[i] } : undefined;
        throw new OvsdbError(r.error, r.details, at);
      }
    }
    if (results.length < operations.length) {
      throw new OvsdbError('transaction failed', `only ${results.length} of ${operations.length} results`);
    }
    return results.slice(0, operations.length) as OperationResult[];
  }

  /** Selects rows with one "select" operation (convenience for reads that need no cache). */
  async select(db: string, table: string, where: Condition[] = [], options?: RequestOptions): Promise<Row[]> {
    const [r] = await this.transact(db, [{ op: 'select', table, where }], options);
    return r?.rows ?? [];
  }

  /**
   * Starts a monitor (monitor_cond_since when the server has it, else monitor_cond) whose cache is kept
   * current and rebuilt after every reconnect. Resolves once the initial contents are in the cache.
   */
  async monitor(db: string, request: MonitorRequest, options?: RequestOptions): Promise<Monitor> {
    const schema = await this.getSchema(db, options);
    const m = new Monitor(this, db, schema, request, () => this.monitors.delete(m));
    this.monitors.add(m);
    try {
      m.ready = m.start(options?.signal);
      await m.ready;
    } catch (e) {
      this.monitors.delete(m);
      throw e;
    }
    return m;
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    clearTimeout(this.retryTimer);
    this.session?.close();
    this.session = undefined;
    for (const m of this.monitors) m.stopLocally();
    this.monitors.clear();
    this.emit('closed');
  }

  /** Test hook: drop the socket as a network failure would (the client then reconnects). */
  breakConnection(): void {
    this.session?.destroySocket();
  }

  private emit(state: ConnectionState, error?: Error): void {
    for (const l of this.stateListeners) l(state, error);
  }

  private async ensureConnected(signal?: AbortSignal): Promise<RpcSession> {
    if (this.isClosed) throw new OvsdbConnectionError('client is closed', 'ECONNABORTED');
    if (signal?.aborted) throw new OvsdbAbortError(signal.reason);
    if (this.session?.isOpen) return this.session;
    if (!this.connecting) {
      // A caller does not wait out the backoff: it tries now, and fails fast if the server is still down.
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.connecting = this.openSession().finally(() => {
        this.connecting = undefined;
      });
      this.connecting.catch(() => this.scheduleReconnect());
    }
    if (!signal) return this.connecting;
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(new OvsdbAbortError(signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
      (this.connecting as Promise<RpcSession>).then(
        (s) => {
          signal.removeEventListener('abort', onAbort);
          resolve(s);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  private async openSession(): Promise<RpcSession> {
    const socket = await openSocket(this.endpoint, {
      ...(this.options.tls ? { tls: this.options.tls } : {}),
      timeoutMs: this.options.connectTimeoutMs ?? 5000,
    });
    if (this.isClosed) {
      socket.destroy();
      throw new OvsdbConnectionError('client is closed', 'ECONNABORTED');
    }
    const session = new RpcSession(
      socket,
      {
        onNotification: (method, params) => {
          for (const m of this.monitors) m.onNotification(method, params);
        },
        onClose: (error) => this.onSessionClosed(session, error),
      },
      { probeIntervalMs: this.options.probeIntervalMs ?? 5000 },
    );
    this.session = session;
    // A restarted server may serve a converted (upgraded) database: read schemas again.
    this.schemas.clear();
    this.attempt = 0;
    this.connectCount++;
    this.emit('connected');
    for (const m of this.monitors) m.restart();
    return session;
  }

  private onSessionClosed(session: RpcSession, error: OvsdbConnectionError): void {
    if (this.session !== session) return;
    this.session = undefined;
    if (this.isClosed) return;
    this.emit('disconnected', error);
    this.scheduleReconnect();
  }

  /**
   * Exponential backoff with jitter, so many clients of a restarted server do not return in lockstep.
   * Only monitors need a connection in the background; plain requests reconnect on demand.
   */
  private scheduleReconnect(): void {
    const r = this.options.reconnect ?? {};
    if (this.isClosed || r.enabled === false || this.retryTimer || this.connecting) return;
    if (this.monitors.size === 0) return;
    const wait = backoffDelay(this.attempt, r.initialDelayMs ?? 100, r.maxDelayMs ?? 5000);
    this.attempt++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.ensureConnected().catch(() => {});
    }, wait);
    this.retryTimer.unref();
  }
}
