// The scheduled reconcile: every Implemented VPC gets one reconcile per interval. It walks the VPCs with the keyset
// cursor (no list cap: 10,000 VPCs are 50 pages, not the 500 newest), spreads the submissions evenly over a share
// of the interval so that 10,000 jobs do not land in the queue in one burst, and keeps a few submissions in flight.
import { type Db, vpcsRepo } from '@netplane/db';

export type SweepOptions = {
  intervalMs: number;
  pageSize: number;
  concurrency: number;
  /** Share of the interval the submissions are spread over (0..1). */
  spread: number;
  /** Aborted when the engine stops: the sweep ends at its next step. */
  signal?: AbortSignal;
};

/** Resolves after `ms`, or at once when the signal aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Submits `reconcile(vpcId)` for every Implemented VPC, oldest first, and returns the job ids (an existing queued or
 * running reconcile is reused by `reconcile`). A VPC that fails to submit (destroyed meanwhile) is skipped.
 */
export async function reconcileSweep(
  db: Db,
  reconcile: (vpcId: string) => Promise<{ jobId: string }>,
  o: SweepOptions,
): Promise<string[]> {
  const ids: string[] = [];
  const started = Date.now();
  let cursor: string | undefined;
  let done = 0;
  let gapMs = 0;
  const inFlight = new Set<Promise<void>>();
  do {
    if (o.signal?.aborted) break;
    const page = await vpcsRepo.listVpcs(db, {
      state: 'Implemented',
      sort: 'createdAt',
      dir: 'asc',
      limit: o.pageSize,
      ...(cursor !== undefined ? { cursor } : {}),
    });
    // The first page's total sets the pace: the whole walk fits in `spread` of the interval.
    if (cursor === undefined && page.total > 0) gapMs = (o.intervalMs * o.spread) / page.total;
    for (const vpc of page.items) {
      if (o.signal?.aborted) break;
      // Keep to the pace: submission n is due at started + n * gap.
      await pause(started + done * gapMs - Date.now(), o.signal);
      while (inFlight.size >= o.concurrency) await Promise.race(inFlight);
      const p: Promise<void> = reconcile(vpc.id)
        .then((r) => {
          ids.push(r.jobId);
        })
        .catch(() => {})
        .finally(() => {
          inFlight.delete(p);
        });
      inFlight.add(p);
      done++;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  await Promise.all(inFlight);
  return ids;
}
