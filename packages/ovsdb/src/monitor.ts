// A monitor on one database: monitor_cond_since (update3) or monitor_cond (update2) feeding a TableCache.
import { type CacheChange, TableCache, type TableUpdates2 } from './cache';
import type { OvsdbClient } from './client';
import { OvsdbError } from './errors';
import type { Condition } from './operations';
import type { DatabaseSchema } from './schema';

/** Which changes a monitor reports (RFC 7047 `select`): all when omitted; `initial: false` skips the first fill. */
export type MonitorSelect = { initial?: boolean; insert?: boolean; delete?: boolean; modify?: boolean };
/** Per table: the columns to replicate (all when omitted), an optional server-side condition and `select`. */
export type MonitorRequest = Record<
  string,
  { columns?: string[]; where?: Condition[]; select?: MonitorSelect }
>;
export type MonitorMethod = 'monitor_cond_since' | 'monitor_cond';

const ZERO_TXN = '00000000-0000-0000-0000-000000000000';
let nextMonitorId = 1;

export class Monitor {
  readonly cache: TableCache;
  readonly id = `netplane-monitor-${nextMonitorId++}`;
  /** Which method the server accepted; monitor_cond on servers that predate monitor_cond_since. */
  method: MonitorMethod = 'monitor_cond_since';
  private lastTxnId = ZERO_TXN;
  private readonly listeners = new Set<(changes: CacheChange[]) => void>();
  private stopped = false;
  /** Settles when the cache holds the server's current contents (again, after a reconnect). */
  ready: Promise<void> = Promise.resolve();
  /** Times the cache was filled from scratch (the initial fill and each resync after a reconnect). */
  fullSyncs = 0;

  constructor(
    private readonly client: OvsdbClient,
    readonly db: string,
    schema: DatabaseSchema,
    private readonly request: MonitorRequest,
    private readonly onStop: () => void,
  ) {
    this.cache = new TableCache(schema);
  }

  /** Called after every change applied to the cache, including a resync after reconnect. */
  onChange(listener: (changes: CacheChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Notifications for this monitor that arrived while its request's reply was still being taken in. The server sends
   * the reply before any update, but when both arrive in one chunk the update is dispatched synchronously while the
   * reply's continuation (which clears and fills the cache) waits for a microtask: applied then, the update was wiped
   * by the fill (a lost update; seen under load, where TCP merges them). They are replayed, in order, after the fill.
   */
  private pending: [string, unknown[]][] | null = null;

  async start(signal?: AbortSignal): Promise<void> {
    this.pending = [];
    try {
      await this.requestAndFill(signal);
      const queued = this.pending;
      this.pending = null;
      for (const [method, params] of queued) this.onNotification(method, params);
    } finally {
      this.pending = null;
    }
  }

  private async requestAndFill(signal?: AbortSignal): Promise<void> {
    const requests = this.requests();
    if (this.method === 'monitor_cond_since') {
      try {
        const params = [this.db, this.id, requests, this.lastTxnId];
        const result = (await this.client.request(
          'monitor_cond_since',
          params,
          signal ? { signal } : {},
        )) as [boolean, string, TableUpdates2];
        const [found, lastTxnId, updates] = result;
        // found=false: the server cannot replay from our txn id, so what it sends is the whole content.
        if (!found) {
          this.cache.clear();
          this.fullSyncs++;
        }
        this.lastTxnId = lastTxnId;
        this.publish(this.cache.apply(updates));
        return;
      } catch (e) {
        if (!(e instanceof OvsdbError) || e.error !== 'unknown method') throw e;
        this.method = 'monitor_cond';
      }
    }
    const updates = (await this.client.request(
      'monitor_cond',
      [this.db, this.id, requests],
      signal ? { signal } : {},
    )) as TableUpdates2;
    this.cache.clear();
    this.fullSyncs++;
    this.publish(this.cache.apply(updates));
  }

  /** The client reconnected: ask again (monitor_cond_since resumes from the last txn id when it can). */
  restart(): void {
    if (this.stopped) return;
    this.ready = this.start().catch(() => {
      // The session died again; the next reconnect restarts us.
    });
  }

  onNotification(method: string, params: unknown[]): void {
    if (this.stopped || params[0] !== this.id) return;
    if (this.pending) {
      this.pending.push([method, params]);
      return;
    }
    if (method === 'update2') this.publish(this.cache.apply(params[1] as TableUpdates2));
    else if (method === 'update3') {
      this.lastTxnId = params[1] as string;
      this.publish(this.cache.apply(params[2] as TableUpdates2));
    } else if (method === 'monitor_canceled') {
      // The server dropped the monitor (e.g. the database was converted): start over from scratch.
      this.lastTxnId = ZERO_TXN;
      this.restart();
    }
  }

  /** Cancels the monitor on the server and stops updating the cache. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopLocally();
    if (this.client.isConnected) await this.client.request('monitor_cancel', [this.id]).catch(() => {});
  }

  stopLocally(): void {
    this.stopped = true;
    this.onStop();
  }

  private requests(): Record<string, MonitorRequest[string][]> {
    const out: Record<string, MonitorRequest[string][]> = {};
    for (const [table, r] of Object.entries(this.request)) {
      const req: MonitorRequest[string] = {};
      if (r.columns) req.columns = r.columns;
      if (r.where) req.where = r.where;
      if (r.select) req.select = r.select;
      out[table] = [req];
    }
    return out;
  }

  private publish(changes: CacheChange[]): void {
    for (const l of this.listeners) l(changes);
  }
}
