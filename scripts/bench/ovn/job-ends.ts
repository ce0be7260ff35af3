// Job ends as the benchmark sees them: the engine's job events (exact times, no polling while jobs progress), with
// the API asked only as a safety net after a quiet spell (an event lost would otherwise hang the run).
import type { JobEvent } from '@netplane/engine';
import type { Stack } from './stack';

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);
/** How long without any job event before the API is asked; far longer than any gap between job ends in a run. */
export const QUIET_MS = 2_000;

/** Collects job ends from the engine's events as they happen, so a job that ends before its id is known counts. */
export function jobEnds(stack: Stack) {
  const ended = new Map<string, { state: string; at: number }>();
  const waiters = new Set<() => void>();
  const off = stack.engine.subscribe((e: JobEvent) => {
    if (!FINAL.has(e.state) || ended.has(e.jobId)) return;
    ended.set(e.jobId, { state: e.state, at: performance.now() });
    for (const w of waiters) w();
  });
  return {
    off,
    /**
     * Resolves when every job ended. Asking the API while jobs run would cost the server CPU and database time inside
     * the measured window (HTTP, session lookup, job reads), so it is only asked when no job ended for QUIET_MS.
     */
    async wait(jobIds: string[], timeoutMs = 300_000): Promise<{ states: string[]; lastAt: number }> {
      const deadline = performance.now() + timeoutMs;
      while (!jobIds.every((id) => ended.has(id))) {
        if (performance.now() > deadline) throw new Error('jobs did not end in time');
        const heard = await new Promise<boolean>((resolve) => {
          const waiter = () => {
            clearTimeout(t);
            waiters.delete(waiter);
            resolve(true);
          };
          const t = setTimeout(() => {
            waiters.delete(waiter);
            resolve(false);
          }, QUIET_MS);
          waiters.add(waiter);
        });
        if (heard) continue;
        for (const id of jobIds.filter((j) => !ended.has(j))) {
          const job = await stack.api.query<{ state: string }>('jobs.get', { id });
          if (FINAL.has(job.state)) ended.set(id, { state: job.state, at: performance.now() });
        }
      }
      const ends = jobIds.map((id) => ended.get(id) as { state: string; at: number });
      return { states: ends.map((e) => e.state), lastAt: Math.max(...ends.map((e) => e.at)) };
    },
  };
}
