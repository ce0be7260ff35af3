// The adapter's handle on one OVN Northbound database: a reconnecting client plus a monitor of the rows we own.
import {
  type Monitor,
  map,
  type Operation,
  type OperationResult,
  OvsdbClient,
  OvsdbError,
  type Row,
  type TlsOptions,
  toRecord,
} from '@netplane/ovsdb';
import { EXT, OWNER } from './names';

export const NB_DB = 'OVN_Northbound';

/** Tables we write to; the monitor replicates only our rows of them (external_ids includes our owner tag). */
export const MONITORED = [
  'Logical_Router',
  'Logical_Router_Port',
  'Logical_Switch',
  'Logical_Switch_Port',
  'Port_Group',
  'ACL',
  'NAT',
  'DHCP_Options',
  'Load_Balancer',
  // the VPC gateway's default route (observe reports it missing)
  'Logical_Router_Static_Route',
] as const;

export type SelectedRow = Row & { _uuid: ['uuid', string] };

export type ConnectionOptions = { tls?: TlsOptions; probeIntervalMs?: number; connectTimeoutMs?: number };

/** The client of one OVN database (Northbound, or the Southbound the Realized check reads): the same TLS and timers. */
export function ovsdbClientFor(endpoint: string, options: ConnectionOptions): OvsdbClient {
  return new OvsdbClient({
    endpoint,
    ...(options.tls ? { tls: options.tls } : {}),
    probeIntervalMs: options.probeIntervalMs ?? 5000,
    connectTimeoutMs: options.connectTimeoutMs ?? 5000,
    reconnect: { initialDelayMs: 100, maxDelayMs: 5000 },
  });
}

export class NbDatabase {
  readonly client: OvsdbClient;
  private monitor: Promise<Monitor> | undefined;
  private readonly monitorListeners = new Set<(m: Monitor) => void>();

  constructor(endpoint: string, options: ConnectionOptions) {
    this.client = ovsdbClientFor(endpoint, options);
  }

  transact(ops: Operation[], signal: AbortSignal): Promise<OperationResult[]> {
    return this.client.transact(NB_DB, ops, { signal });
  }

  /** Runs selects in one read-only transaction; returns the rows of each, in order. */
  async selectMany(ops: Operation[], signal: AbortSignal): Promise<SelectedRow[][]> {
    if (ops.length === 0) return [];
    const results = await this.transact(ops, signal);
    return results.map((r) => (r.rows ?? []) as SelectedRow[]);
  }

  /** The monitor whose cache holds our rows, started on first use and kept across reconnects. */
  async cache(signal: AbortSignal): Promise<Monitor> {
    if (!this.monitor) {
      const ours: [string, 'includes', ReturnType<typeof map>] = [
        'external_ids',
        'includes',
        map({ [EXT.owner]: OWNER }),
      ];
      const request = Object.fromEntries(MONITORED.map((t) => [t, { where: [ours] }]));
      this.monitor = this.client.monitor(NB_DB, request, { signal });
      this.monitor.then(
        // In the same microtask chain as the initial fill: no update can slip in before the listeners attach.
        (m) => {
          for (const l of this.monitorListeners) tell(l, m);
        },
        () => {
          this.monitor = undefined;
        },
      );
    }
    const m = await this.monitor;
    // After a lost connection the cache is what we last saw: reconnect first (which resyncs the monitor),
    // so a caller gets current state or an UNREACHABLE error, never silently stale rows.
    if (!this.client.isConnected) await this.client.echo({ signal });
    await m.ready;
    return m;
  }

  /** Called with each monitor once it holds its initial rows (the watch attaches to it); at once if one is up. */
  onMonitor(listener: (m: Monitor) => void): () => void {
    this.monitorListeners.add(listener);
    void this.monitor?.then(
      (m) => {
        if (this.monitorListeners.has(listener)) tell(listener, m);
      },
      () => {},
    );
    return () => this.monitorListeners.delete(listener);
  }

  async schemaVersion(signal: AbortSignal): Promise<string> {
    const schema = await this.client.getSchema(NB_DB, { signal });
    return schema.version;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** A monitor listener's failure must not become an unhandled rejection of the monitor's promise. */
function tell(listener: (m: Monitor) => void, m: Monitor): void {
  try {
    listener(m);
  } catch {
    // The watch logs its own failures; the monitor and observe() go on regardless.
  }
}

export const extOf = (row: Row | undefined): Record<string, string> => toRecord(row?.external_ids);

/** True when the error is the failure of one of our `wait` guards: someone changed the rows we read. */
export const isGuardFailure = (e: unknown): boolean => e instanceof OvsdbError && e.error === 'timed out';
