// The adapter's read-only handle on the OVN Southbound database (what ovn-northd compiled our rows into), used only by
// the Realized check. It connects on first use (an OvsdbClient opens its socket with the first request), keeps one
// small monitor on SB_Global.nb_cfg for the bounded compile wait, and never writes.
import { AdapterError, abortError } from '@netplane/adapter-sdk';
import type { Monitor, Operation, OvsdbClient, Row } from '@netplane/ovsdb';
import { mapOvsdbError } from '../errors';
import { type ConnectionOptions, ovsdbClientFor } from '../nb';

export const SB_DB = 'OVN_Southbound';

const lostDuringWait = (waitMs: number) =>
  new AdapterError(
    'UNREACHABLE',
    `OVN Southbound database unreachable: the connection was lost while waiting ${waitMs} ms for ovn-northd`,
  );

export type SbRow = Row & { _uuid: ['uuid', string] };

/** Where the wait ended: `reached` when SB_Global.nb_cfg got to the target; `seen` is its last value. */
export type CompileWait = { reached: boolean; seen: number | undefined };

export class SbDatabase {
  readonly client: OvsdbClient;
  private global: Promise<Monitor> | undefined;

  constructor(endpoint: string, options: ConnectionOptions) {
    this.client = ovsdbClientFor(endpoint, options);
  }

  /** Runs selects in one read-only transaction; returns the rows of each, in order. */
  async selectMany(ops: Operation[], signal: AbortSignal): Promise<SbRow[][]> {
    if (ops.length === 0) return [];
    try {
      const results = await this.client.transact(SB_DB, ops, { signal });
      return results.map((r) => (r.rows ?? []) as SbRow[]);
    } catch (e) {
      throw mapOvsdbError(e, 'Southbound');
    }
  }

  /**
   * Waits, at most `waitMs`, until ovn-northd has copied an NB_Global.nb_cfg of at least `target` into SB_Global:
   * northd writes it in the same Southbound transaction as the flows it compiled from that Northbound state, so from
   * then on the Southbound holds our latest change. Event-driven (the monitor's updates), never polled.
   */
  async waitNbCfg(target: number, waitMs: number, signal: AbortSignal): Promise<CompileWait> {
    const m = await this.globalMonitor(signal);
    if (signal.aborted) throw abortError(signal);
    const seen = () => {
      const values = [...m.cache.rows('SB_Global')].map((r) => Number(r.nb_cfg));
      return values.length > 0 ? Math.max(...values) : undefined;
    };
    const reached = () => (seen() ?? Number.NEGATIVE_INFINITY) >= target;
    if (reached()) return { reached: true, seen: seen() };
    return new Promise<CompileWait>((resolve, reject) => {
      const finish = (outcome: () => void) => {
        clearTimeout(timer);
        off();
        signal.removeEventListener('abort', onAbort);
        outcome();
      };
      const onAbort = () => finish(() => reject(abortError(signal)));
      // The deadline of the bounded wait, not a sleep: every update is checked as it arrives. A Southbound we lost
      // meanwhile is not a northd verdict: UNREACHABLE, as any other call to it.
      const timer = setTimeout(() => {
        if (this.client.isConnected) finish(() => resolve({ reached: false, seen: seen() }));
        else finish(() => reject(lostDuringWait(waitMs)));
      }, waitMs);
      const off = m.onChange(() => {
        if (reached()) finish(() => resolve({ reached: true, seen: seen() }));
      });
      signal.addEventListener('abort', onAbort, { once: true });
      // An update may have landed between the first look and the subscription.
      if (reached()) finish(() => resolve({ reached: true, seen: seen() }));
    });
  }

  /** The monitor on SB_Global, started on first use and kept (it is one row of one column). */
  private async globalMonitor(signal: AbortSignal): Promise<Monitor> {
    try {
      if (!this.global) {
        this.global = this.client.monitor(SB_DB, { SB_Global: { columns: ['nb_cfg'] } }, { signal });
        this.global.catch(() => {
          this.global = undefined;
        });
      }
      const m = await this.global;
      // After a lost connection: reconnect (which resyncs the monitor) rather than wait on a stale value.
      if (!this.client.isConnected) await this.client.echo({ signal });
      await m.ready;
      return m;
    } catch (e) {
      throw mapOvsdbError(e, 'Southbound');
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
