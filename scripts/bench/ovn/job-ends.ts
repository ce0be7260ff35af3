// Job ends as the benchmark sees them: the engine's job events (exact times), with the API polled as a safety net.
import type { JobEvent } from '@netplane/engine';
import type { Stack } from './stack';

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

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
    /** Resolves when every job ended; polls the API too in case an event is missed. */
    async wait(jobIds: string[], timeoutMs = 300_000): Promise<{ states: string[]; lastAt: number }> {
      const deadline = performance.now() + timeoutMs;
      while (!jobIds.every((id) => ended.has(id))) {
        if (performance.now() > deadline) throw new Error('jobs did not end in time');
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 500);
          waiters.add(() => {
            clearTimeout(t);
            resolve();
          });
        });
        waiters.clear();
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
