// watch(): the VPCs whose rows changed in the monitor (inserted, modified, deleted; ours or by hand), pushed to the
// engine once per tick so drift is checked within seconds of an `ovn-nbctl lsp-del` or `acl-del`.
import type { AdapterLogger, WatchChange } from '@netplane/adapter-sdk';
import { type CacheChange, type CachedRow, type Monitor, toRecord } from '@netplane/ovsdb';
import { EXT } from './names';
import { MONITORED, type NbDatabase } from './nb';

type Listener = (change: WatchChange) => void;

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;

export class NbWatch {
  private readonly listeners = new Set<Listener>();
  /** `table/uuid` → the VPC of the row when we last saw it: a deleted row is gone from the cache, its VPC is not. */
  private readonly vpcOfRow = new Map<string, string>();
  private readonly pending = new Set<string>();
  private flushing: NodeJS.Immediate | undefined;
  private attached: Monitor | undefined;
  private fullSyncs = 0;
  private offChange: (() => void) | undefined;
  private offMonitor: (() => void) | undefined;
  private retry: NodeJS.Timeout | undefined;
  private retryMs = RETRY_MIN_MS;
  private closed = false;

  constructor(
    private readonly db: NbDatabase,
    private readonly logger: AdapterLogger,
  ) {}

  subscribe(listener: Listener): () => void {
    if (this.closed) return () => {};
    this.listeners.add(listener);
    if (!this.offMonitor) {
      this.offMonitor = this.db.onMonitor((m) => this.guarded('attach', () => this.attach(m)));
      this.ensureMonitor();
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
    clearTimeout(this.retry);
    if (this.flushing) clearImmediate(this.flushing);
    this.offChange?.();
    this.offMonitor?.();
  }

  /**
   * Starts the monitor (observe() may not have yet) and keeps trying while the controller is down; once it runs, the
   * client itself re-monitors after every reconnect.
   */
  private ensureMonitor(): void {
    if (this.closed || this.listeners.size === 0) return;
    this.db.cache(AbortSignal.timeout(30_000)).then(
      () => {
        this.retryMs = RETRY_MIN_MS;
      },
      (e: unknown) => {
        if (this.closed) return;
        this.logger.debug(
          { error: (e as Error).message, retryMs: this.retryMs },
          'OVN watch: no monitor yet',
        );
        this.retry = setTimeout(() => this.ensureMonitor(), this.retryMs);
        this.retry.unref?.();
        this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
      },
    );
  }

  private guarded(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.logger.warn({ error: (e as Error).message }, `OVN watch ${what} failed`);
    }
  }

  private attach(m: Monitor): void {
    if (this.closed || m === this.attached) return;
    this.offChange?.();
    this.attached = m;
    this.fullSyncs = m.fullSyncs;
    this.vpcOfRow.clear();
    for (const table of MONITORED) for (const row of m.cache.rows(table)) this.remember(m, table, row);
    // Runs inside the client's notification handling: a failure here must stay here.
    this.offChange = m.onChange((changes) => this.guarded('update', () => this.onChanges(m, changes)));
  }

  private onChanges(m: Monitor, changes: readonly CacheChange[]): void {
    for (const c of changes) {
      const key = `${c.table}/${c.uuid}`;
      if (c.kind === 'delete') {
        const vpcId = this.vpcOfRow.get(key);
        this.vpcOfRow.delete(key);
        if (vpcId) this.pending.add(vpcId);
        continue;
      }
      const row = m.cache.get(c.table, c.uuid);
      const vpcId = row ? this.remember(m, c.table, row) : undefined;
      if (vpcId) this.pending.add(vpcId);
    }
    // A resync from scratch (reconnect without history, monitor_cond) clears the cache silently: rows that went
    // while we were away get no delete, so their VPCs are named here.
    if (m.fullSyncs !== this.fullSyncs) {
      this.fullSyncs = m.fullSyncs;
      for (const [key, vpcId] of this.vpcOfRow) {
        const [table = '', uuid = ''] = key.split('/');
        if (!m.cache.get(table, uuid)) {
          this.vpcOfRow.delete(key);
          this.pending.add(vpcId);
        }
      }
    }
    if (this.pending.size > 0 && !this.flushing) this.flushing = setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushing = undefined;
    const vpcIds = [...this.pending].sort();
    this.pending.clear();
    if (vpcIds.length === 0) return;
    for (const l of this.listeners) {
      try {
        l({ vpcIds });
      } catch (e) {
        this.logger.warn({ error: (e as Error).message }, 'OVN watch listener failed');
      }
    }
  }

  /** The VPC a row belongs to: its own tag, else the tier switch named by its network id (rows tagged only so). */
  private remember(m: Monitor, table: string, row: CachedRow): string | undefined {
    const ext = toRecord(row.external_ids);
    let vpcId = ext[EXT.vpcId];
    const networkId = ext[EXT.networkId];
    if (!vpcId && networkId) vpcId = vpcOfNetwork(m, networkId);
    if (vpcId) this.vpcOfRow.set(`${table}/${row._uuid}`, vpcId);
    return vpcId;
  }
}

function vpcOfNetwork(m: Monitor, networkId: string): string | undefined {
  for (const sw of m.cache.rows('Logical_Switch')) {
    const ext = toRecord(sw.external_ids);
    if (ext[EXT.networkId] === networkId) return ext[EXT.vpcId];
  }
  return undefined;
}
