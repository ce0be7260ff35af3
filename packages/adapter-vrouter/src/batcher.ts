// Serialization and coalescing of work per tier. Calls on one tier run one at a time (the tier's hosts file is read,
// then rewritten), and NIC prepares and releases that arrive while a batch runs wait together and go as the next
// batch: a boot storm of 500 separate prepareNic calls becomes a few SSH round trips, not 500.
import { abortable } from '@netplane/adapter-sdk';

export class KeyedMutex {
  private tails = new Map<string, Promise<void>>();

  /** Runs fn after every earlier fn of the key; the caller is freed at once when its signal aborts. */
  run<T>(key: string, fn: () => Promise<T>, signal: AbortSignal): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => {
      release = r;
    });
    const tail = prev.then(() => mine);
    this.tails.set(key, tail);
    const work = prev.then(async () => {
      try {
        if (signal.aborted) throw signal.reason;
        return await fn();
      } finally {
        release();
        if (this.tails.get(key) === tail) this.tails.delete(key);
      }
    });
    return abortable(work, signal);
  }
}

type Pending<Op, R> = { op: Op; resolve: (r: R) => void; reject: (e: unknown) => void; signal: AbortSignal };

/**
 * Collects ops per key and runs them in batches through `exec`, which answers one result per op (in order). The
 * batch runs under the key's mutex with a signal that aborts only when every caller in it has given up.
 */
export class Coalescer<Op, R> {
  private pending = new Map<string, Pending<Op, R>[]>();

  constructor(
    private readonly mutex: KeyedMutex,
    private readonly exec: (key: string, ops: Op[], signal: AbortSignal) => Promise<R[]>,
    private readonly maxBatch: number,
  ) {}

  submit(key: string, ops: readonly Op[], signal: AbortSignal): Promise<R[]> {
    const results = ops.map(
      (op) =>
        new Promise<R>((resolve, reject) => {
          const list = this.pending.get(key) ?? [];
          if (list.length === 0) this.pending.set(key, list);
          list.push({ op, resolve, reject, signal });
        }),
    );
    void this.mutex.run(key, () => this.drain(key), AbortSignal.any([])).catch(() => undefined);
    return abortable(Promise.all(results), signal);
  }

  private async drain(key: string): Promise<void> {
    const all = (this.pending.get(key) ?? []).filter((p) => !p.signal.aborted);
    this.pending.delete(key);
    for (let i = 0; i < all.length; i += this.maxBatch) {
      const batch = all.slice(i, i + this.maxBatch);
      const live = batch.filter((p) => !p.signal.aborted);
      if (live.length === 0) continue;
      const ac = new AbortController();
      const onAbort = () => {
        if (live.every((p) => p.signal.aborted)) ac.abort(live[0]?.signal.reason);
      };
      for (const p of live) p.signal.addEventListener('abort', onAbort, { once: true });
      try {
        const out = await this.exec(
          key,
          live.map((p) => p.op),
          ac.signal,
        );
        for (const [j, p] of live.entries()) p.resolve(out[j] as R);
      } catch (e) {
        for (const p of live) p.reject(e);
      } finally {
        for (const p of live) p.signal.removeEventListener('abort', onAbort);
      }
    }
  }
}
