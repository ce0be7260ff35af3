// The freshness barrier of the ovn-trace daemon (daemon.ts). ovn-trace 23.03 in daemon mode reads the Southbound
// database once, when it starts, and never again: its answers are those of that snapshot. So the adapter counts the
// Southbound changes that could alter a trace (a generation) and a daemon is used only while the generation it was
// started at is still the current one.
//
// The count comes from a monitor with `initial: false` (nothing is downloaded up front) on the tables ovn-trace reads,
// only the columns it reads where a table has others that move on their own (Port_Binding.chassis/up, MAC_Binding and
// FDB timestamps). Not SB_Global or Chassis_Private: the nb_cfg bumps of `--wait=sb` and of the Realized check land
// there, and they change no flow. Every update (and every resync after a reconnect, which may hide changes) bumps
// the generation.
//
// `barrier()` is what makes the count current: an echo on the monitor's own connection. ovsdb-server flushes a
// session's pending monitor updates before it reads that session's next request, and our client applies messages in
// the order they arrive, so when the echo's reply is in, every change committed before the server read the echo has
// been counted.
import { abortable } from '@netplane/adapter-sdk';
import type { Monitor, MonitorRequest, OvsdbClient } from '@netplane/ovsdb';
import { SB_DB } from '../realized/southbound';

/** The tables ovn-trace builds its snapshot from (read_db()), and Load_Balancer, which it reads at trace time. */
const TRACED: Record<string, string[] | undefined> = {
  Datapath_Binding: undefined,
  Port_Binding: [
    'logical_port',
    'datapath',
    'type',
    'tunnel_key',
    'external_ids',
    'options',
    'port_security',
  ],
  Multicast_Group: undefined,
  Address_Set: undefined,
  Port_Group: undefined,
  DHCP_Options: undefined,
  DHCPv6_Options: undefined,
  Logical_Flow: undefined,
  Logical_DP_Group: undefined,
  MAC_Binding: ['logical_port', 'ip', 'mac', 'datapath'],
  Static_MAC_Binding: undefined,
  FDB: ['mac', 'dp_key', 'port_key'],
  Chassis_Template_Var: undefined,
  Load_Balancer: undefined,
};
const CHANGES = { initial: false, insert: true, delete: true, modify: true };
/** A shared echo's own deadline (each caller's signal only ends its own wait): the trace deadline. */
const ROUND_TIMEOUT_MS = 30_000;

/** Rejects when `signal` aborts, without cancelling `p`, which other callers may be waiting on. */
export const orAbort = <T>(p: Promise<T>, signal: AbortSignal): Promise<T> =>
  abortable(p, signal, () => signal.reason);

export class SbGeneration {
  private value = 0;
  private monitor: Promise<Monitor> | undefined;
  /** The echo in flight, and the one callers arriving meanwhile wait for. */
  private current: Promise<number> | undefined;
  private next: Promise<number> | undefined;
  private readonly offState: () => void;

  constructor(private readonly client: OvsdbClient) {
    // A lost session may have hidden changes; the resync after it publishes too, but count the loss itself.
    this.offState = client.onStateChange(() => {
      this.value++;
    });
  }

  /**
   * The generation once every Southbound change committed before this call has been counted. Concurrent callers
   * share echoes: one that arrives while an echo is in flight (the server may have read it before this call) waits
   * for the next one, sent once that is answered, which every caller arriving meanwhile shares.
   */
  barrier(signal: AbortSignal): Promise<number> {
    const current = this.current;
    if (!current) return orAbort(this.round(), signal);
    if (!this.next) {
      this.next = current
        .catch(() => {})
        .then(() => {
          this.next = undefined;
          return this.round();
        });
    }
    const p = this.next;
    return orAbort(p, signal);
  }

  private round(): Promise<number> {
    const signal = AbortSignal.timeout(ROUND_TIMEOUT_MS);
    const p = (async () => {
      const m = await this.started(signal);
      await this.client.echo({ signal });
      await m.ready;
      return this.value;
    })();
    this.current = p;
    void p
      .finally(() => {
        if (this.current === p) this.current = undefined;
      })
      .catch(() => {});
    return p;
  }

  close(): void {
    this.offState();
    void this.monitor?.then((m) => m.stop()).catch(() => {});
  }

  private started(signal: AbortSignal): Promise<Monitor> {
    // Started under one round's deadline; a failure leaves the next round to try again.
    if (!this.monitor) {
      this.monitor = (async () => {
        const schema = await this.client.getSchema(SB_DB, { signal });
        const request: MonitorRequest = {};
        for (const [table, columns] of Object.entries(TRACED)) {
          const t = schema.tables[table];
          if (!t) continue;
          const cols = columns?.filter((c) => c in t.columns);
          request[table] = { ...(cols ? { columns: cols } : {}), select: CHANGES };
        }
        const m = await this.client.monitor(SB_DB, request, { signal });
        m.onChange(() => {
          this.value++;
          // Only the count matters: the rows inserted since it started need not be kept.
          m.cache.clear();
        });
        // Changes before the monitor existed are unknown: whatever daemon ran before is not comparable.
        this.value++;
        return m;
      })();
      this.monitor.catch(() => {
        this.monitor = undefined;
      });
    }
    return this.monitor;
  }
}
