// The dashboard's call rate counted in SQL on both dialects: each call lands in the minute it started in, by outcome,
// the window's edges are half-open, and a busy minute counts every call (the console used to see at most 200).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callRatesRepo, elementCallsRepo } from '../src/index';
import { createTestDatabase, type TestDatabase, testDialects } from '../src/testing';
import { callRow } from '../src/testing/call-row';

const MINUTE = 60_000;

describe.each(testDialects())('call rates on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('counts every call of each minute by outcome, and nothing outside the window', async () => {
    const until = 1_800_000_000_000;
    const since = until - 5 * MINUTE;
    const rows = [
      // A busy first minute: 250 ok calls, more than the 200 rows the console used to fetch.
      ...Array.from({ length: 250 }, (_, i) => callRow({ startedAt: since + i, outcome: 'ok' })),
      callRow({ startedAt: since + MINUTE - 1, outcome: 'failed' }),
      callRow({ startedAt: since + MINUTE, outcome: 'failed' }),
      callRow({ startedAt: since + 3 * MINUTE + 5, outcome: 'abandoned' }),
      callRow({ startedAt: until - 1, outcome: 'inFlight' }),
      // Outside: just before the window, and at its (open) end.
      callRow({ startedAt: since - 1, outcome: 'ok' }),
      callRow({ startedAt: until, outcome: 'ok' }),
    ];
    for (let i = 0; i < rows.length; i += 100)
      await elementCallsRepo.writeCalls(t.db, t.dialect, rows.slice(i, i + 100));

    const rates = await callRatesRepo.callRates(t.db, { until, buckets: 5, bucketMs: MINUTE });
    expect(rates.buckets).toEqual([
      { start: since, ok: 250, failed: 1, inFlight: 0, abandoned: 0 },
      { start: since + MINUTE, ok: 0, failed: 1, inFlight: 0, abandoned: 0 },
      { start: since + 2 * MINUTE, ok: 0, failed: 0, inFlight: 0, abandoned: 0 },
      { start: since + 3 * MINUTE, ok: 0, failed: 0, inFlight: 0, abandoned: 1 },
      { start: since + 4 * MINUTE, ok: 0, failed: 0, inFlight: 1, abandoned: 0 },
    ]);
    expect(rates).toMatchObject({ bucketMs: MINUTE, until });
  });
});
