// Boot storms: NIC prepares of every job on this node are queued per controller and coalesced into prepareNics
// calls of up to the batch size. Fair by batch, not by NIC: each batch is filled from the job at the head of the
// rotation (then the next ones while room is left), and a job with NICs left goes to the back, so a call spans few
// tiers (the adapter reads each tier it touches) and a 500-NIC job still does not starve a 1-NIC one.
// A batch is sent whenever the controller has room (in-flight batches < its max concurrent calls), so NICs pile up
// into bigger batches exactly when the controller is busy. Each job's lease is checked before its NICs are sent.
import { AdapterError, type BatchItemResult, type NicSpec } from '@netplane/adapter-sdk';
import type { elementCallsRepo } from '@netplane/db';
import type { ElementHandle } from '../elements';
import { CallFailed, FencedError } from '../errors';
import type { CallJob } from '../guards/call-runner';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from './core';

export type NicOutcome = { ok: true; adopted: boolean } | { ok: false; error: AdapterError; callId: string };

type Entry = {
  spec: NicSpec;
  ctx: JobContext;
  resolve(o: NicOutcome): void;
  reject(e: unknown): void;
};

/** Per-job FIFO queues in rotation order; each job caps the batches its items join (its requested batch size). */
export class FairBatchQueue<T> {
  private readonly jobs = new Map<string, { limit: number; items: T[] }>();

  get size(): number {
    return this.jobs.size;
  }

  push(jobId: string, limit: number, item: T): void {
    const q = this.jobs.get(jobId);
    if (q) {
      q.items.push(item);
      q.limit = Math.min(q.limit, limit);
    } else this.jobs.set(jobId, { limit, items: [item] });
  }

  /** Takes a still-queued item out; false when it already left in a batch. */
  remove(jobId: string, item: T): boolean {
    const q = this.jobs.get(jobId);
    if (!q) return false;
    const i = q.items.indexOf(item);
    if (i >= 0) q.items.splice(i, 1);
    if (q.items.length === 0) this.jobs.delete(jobId);
    return i >= 0;
  }

  /** Empties the queue, returning everything that waited. */
  drain(): T[] {
    const all = [...this.jobs.values()].flatMap((q) => q.items);
    this.jobs.clear();
    return all;
  }

  /** The next batch: up to `max` items (and each joined job's limit), from as few jobs as possible, head job first. */
  take(max: number): T[] {
    const batch: T[] = [];
    let limit = max;
    for (const [jobId, q] of this.jobs) {
      limit = Math.min(limit, q.limit);
      if (batch.length >= limit) break;
      batch.push(...q.items.splice(0, limit - batch.length));
      this.jobs.delete(jobId);
      if (q.items.length > 0) {
        this.jobs.set(jobId, q); // to the back of the rotation; the batch is full
        break;
      }
    }
    return batch;
  }
}

export class PrepareCoalescer {
  private readonly queue = new FairBatchQueue<Entry>();
  private inFlight = 0;

  constructor(
    private readonly core: EngineCore,
    private readonly handle: () => Promise<ElementHandle>,
  ) {}

  /**
   * Queues the NICs of one job, in batches of at most `limit` (the job's batch size); resolves with one outcome per
   * NIC (rejects if the job is stopped or fenced).
   */
  prepare(ctx: JobContext, specs: readonly NicSpec[], limit: number): Promise<Map<string, NicOutcome>> {
    // One abort listener for the whole group (not one per NIC): it drops the group's NICs still queued.
    const group: Entry[] = [];
    let pending = specs.length;
    const onAbort = () => {
      for (const entry of group) {
        if (this.queue.remove(ctx.job.id, entry)) entry.reject(ctx.signal.reason);
      }
    };
    const settled = () => {
      pending--;
      if (pending === 0) ctx.signal.removeEventListener('abort', onAbort);
    };
    const promises = specs.map(
      (spec) =>
        new Promise<[string, NicOutcome]>((resolve, reject) => {
          const entry: Entry = {
            spec,
            ctx,
            resolve: (o) => {
              settled();
              resolve([spec.nicId, o]);
            },
            reject: (e) => {
              settled();
              reject(e);
            },
          };
          group.push(entry);
          this.queue.push(ctx.job.id, Math.max(1, limit), entry);
        }),
    );
    if (specs.length > 0) ctx.signal.addEventListener('abort', onAbort, { once: true });
    void this.kick();
    return Promise.all(promises).then((pairs) => new Map(pairs));
  }

  private async kick(): Promise<void> {
    let handle: ElementHandle;
    try {
      handle = await this.handle();
    } catch (e) {
      // the element cannot be built (adapter gone, credentials unreadable): fail what waits instead of hanging it
      for (const entry of this.queue.drain()) entry.reject(e);
      return;
    }
    const max = Math.max(
      1,
      Math.min(this.core.options.prepareBatchSize, handle.manifest.limits.maxBatchSize),
    );
    while (this.inFlight < Math.max(1, handle.limits.maxConcurrent) && this.queue.size > 0) {
      const batch = this.queue.take(max);
      this.inFlight++;
      void this.send(handle, batch).finally(() => {
        this.inFlight--;
        void this.kick();
      });
    }
  }

  private async send(handle: ElementHandle, entries: Entry[]): Promise<void> {
    // Fencing: a job that lost its lease gets nothing sent for it.
    const jobs = [...new Set(entries.map((e) => e.ctx))];
    const live = new Set<JobContext>();
    for (const ctx of jobs) {
      try {
        await ctx.assertLease();
        live.add(ctx);
      } catch (e) {
        for (const x of entries.filter((y) => y.ctx === ctx)) x.reject(e);
      }
    }
    const batch = entries.filter((e) => live.has(e.ctx));
    const first = batch[0];
    if (!first) return;
    const primary = first.ctx;
    const others = [...live].filter((c) => c !== primary);
    const specs = batch.map((e) => e.spec);
    const nicIdsOf = (ctx: JobContext) => batch.filter((e) => e.ctx === ctx).map((e) => e.spec.nicId);
    const request = (ctx: JobContext) => ({
      op: 'prepareNics',
      count: specs.length,
      nicIds: nicIdsOf(ctx),
      ...(others.length > 0 && { coalescedJobs: live.size }),
    });
    const callJob: CallJob = {
      ...primary.callJob(null),
      // The batch goes on while any job in it still holds its lease; fenced ones were dropped above.
      assertLease: async () => {
        const held = await Promise.all(
          [...live].map((c) =>
            c.assertLease().then(
              () => true,
              () => false,
            ),
          ),
        );
        if (!held.some(Boolean)) throw new FencedError('Every job of the batch was taken over');
      },
      signal: new AbortController().signal,
    };
    let last: elementCallsRepo.ElementCallRow | undefined;
    const copyFor = async (ctx: JobContext): Promise<string> =>
      last ? this.core.calls.recordCopy(last, ctx.callJob(null), request(ctx)) : '';
    try {
      const results: BatchItemResult[] = await this.core.calls.call({
        handle,
        phase: 'prepare',
        target: { type: 'network', id: first.spec.networkId },
        vpcId: first.spec.vpcId,
        networkId: first.spec.networkId,
        batchSize: specs.length,
        request: request(primary),
        idempotencyKey: `prepareNics:${handle.controllerId}:${first.spec.nicId}+${specs.length - 1}`,
        job: callJob,
        invoke: (e, c) => e.prepareNics(specs, c),
        summarize: (rs) => ({ ok: rs.filter((r) => r.ok).length, failed: rs.filter((r) => !r.ok).length }),
        onRecorded: (row) => {
          last = row;
        },
      });
      for (const ctx of others) await copyFor(ctx);
      const byNic = new Map(results.map((r) => [r.nicId, r]));
      for (const e of batch) {
        const r = byNic.get(e.spec.nicId);
        if (r?.ok) {
          e.resolve({ ok: true, adopted: r.result.adopted });
          continue;
        }
        const error =
          r && !r.ok ? r.error : new AdapterError('VENDOR_ERROR', 'No result for this NIC in the batch');
        const callId = await this.core.calls.recordItemFailure(handle, e.ctx.callJob(null), {
          nicId: e.spec.nicId,
          vpcId: e.spec.vpcId,
          networkId: e.spec.networkId,
          error,
          batchSize: specs.length,
        });
        e.resolve({ ok: false, error, callId });
      }
    } catch (err) {
      if (err instanceof CallFailed) {
        const ids = new Map<JobContext, string>([[primary, err.callId]]);
        for (const ctx of others) ids.set(ctx, await copyFor(ctx).catch(() => err.callId));
        for (const e of batch)
          e.resolve({ ok: false, error: err.error, callId: ids.get(e.ctx) ?? err.callId });
        return;
      }
      for (const e of batch) e.reject(err);
    }
  }
}
