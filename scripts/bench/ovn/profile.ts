// The `--profile` timeline of a prepare window, from the engine's own tables: jobs created/claimed/finished and each
// element call's start and duration (which includes the engine's guards: slot, send time).
import type { Stack } from './stack';

/** Where the prepare time went: the jobs' timeline and the engine's element call log (adapter time vs the rest). */
export async function callProfile(stack: Stack, epochPrepare: number, jobIds: string[]) {
  const db = stack.deps.db.db;
  const rows = await db
    .selectFrom('element_calls')
    .select(['started_at', 'duration_ms', 'batch_size'])
    .where('phase', '=', 'prepare')
    .where('started_at', '>=', epochPrepare)
    .execute();
  const jobs = await db
    .selectFrom('jobs')
    .select(['created_at', 'started_at', 'finished_at'])
    .where('id', 'in', jobIds)
    .execute();
  const rel = (xs: (number | null)[]) => {
    const v = xs.map((x) => Number(x) - epochPrepare);
    return [Math.min(...v), Math.max(...v)];
  };
  const durations = rows.map((r) => Number(r.duration_ms));
  return {
    jobsCreatedAfterMs: rel(jobs.map((j) => j.created_at)),
    jobsClaimedAfterMs: rel(jobs.map((j) => j.started_at)),
    jobsFinishedAfterMs: rel(jobs.map((j) => j.finished_at)),
    prepareCalls: rows.length,
    nicsPerCall: [...new Set(rows.map((r) => Number(r.batch_size)))],
    callsStartedAfterMs: rel(rows.map((r) => r.started_at)),
    callsEndedAfterMs: rel(rows.map((r) => Number(r.started_at) + Number(r.duration_ms))),
    adapterMsPerCall: [Math.min(...durations), Math.max(...durations)],
    adapterMsSum: durations.reduce((a, b) => a + b, 0),
  };
}
