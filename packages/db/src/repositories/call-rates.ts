// The dashboard's call rate: how many element calls started in each minute of a recent window, by outcome, counted in
// SQL over the started_at index. The console used to fetch the newest 200 call rows and count them itself, which
// both cost the most of any dashboard read and undercounted any minute busier than 200 calls (a boot storm).
import { CALL_OUTCOMES, type CallOutcome } from '@netplane/domain';
import { sql } from 'kysely';
import type { Db } from '../connect';

export type CallRateBucket = { start: number } & Record<CallOutcome, number>;

export type CallRates = {
  /** Oldest first; `buckets` of `bucketMs` each, the last one ending at `until`. */
  buckets: CallRateBucket[];
  bucketMs: number;
  until: number;
};

/**
 * Counts the calls started in [until - buckets × bucketMs, until), per bucket and outcome. An outcome no release wrote
 * counts as failed, as the call log reads it.
 */
export async function callRates(
  db: Db,
  q: { until: number; buckets: number; bucketMs: number },
): Promise<CallRates> {
  const since = q.until - q.buckets * q.bucketMs;
  // One conditional count per bucket (no division: SQLite and MariaDB round a quotient differently), grouped by
  // outcome: one range scan of the started_at index whatever the number of calls.
  const starts = Array.from({ length: q.buckets }, (_, i) => since + i * q.bucketMs);
  const rows = await db
    .selectFrom('element_calls')
    .select((eb) => [
      'outcome',
      ...starts.map((start, i) =>
        eb.fn
          .sum<number | string>(
            sql`case when started_at >= ${start} and started_at < ${start + q.bucketMs} then 1 else 0 end`,
          )
          .as(`b${i}`),
      ),
    ])
    .where('started_at', '>=', since)
    .where('started_at', '<', q.until)
    .groupBy('outcome')
    .execute();
  const buckets: CallRateBucket[] = Array.from({ length: q.buckets }, (_, i) => ({
    start: since + i * q.bucketMs,
    ok: 0,
    failed: 0,
    inFlight: 0,
    abandoned: 0,
  }));
  for (const r of rows as unknown as ({ outcome: string } & Record<string, number | string | null>)[]) {
    const outcome = (CALL_OUTCOMES as readonly string[]).includes(r.outcome)
      ? (r.outcome as CallOutcome)
      : 'failed';
    buckets.forEach((b, i) => {
      b[outcome] += Number(r[`b${i}`] ?? 0);
    });
  }
  return { buckets, bucketMs: q.bucketMs, until: q.until };
}
