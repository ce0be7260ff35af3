// The call log's in-flight rows on both dialects: an announced row is completed in place by the same write path,
// and the abandon sweeps touch exactly the rows whose node is gone — older tokens of the taken-over job, silent nodes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elementCallsRepo, nodesRepo } from '../src/index';
import { createTestDatabase, type TestDatabase, testDialects } from '../src/testing';
import { callRow as row } from '../src/testing/call-row';

describe.each(testDialects())('in-flight call rows on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await t.drop();
  });
  const outcomeOf = async (id: string) => (await elementCallsRepo.getCall(t.db, id))?.outcome;

  it('completes an announced row in place, keeping what was known before the send', async () => {
    const announced = row({});
    await elementCallsRepo.writeCalls(t.db, t.dialect, [announced]);
    expect(await outcomeOf(announced.id)).toBe('inFlight');
    await elementCallsRepo.writeCalls(t.db, t.dialect, [
      {
        ...announced,
        outcome: 'failed',
        durationMs: 42,
        errorCategory: 'TIMEOUT',
        errorMessage: 'late',
        retryable: true,
        responseSummary: '{"category":"TIMEOUT"}',
        requestSummary: 'changed',
      },
    ]);
    const done = await elementCallsRepo.getCall(t.db, announced.id);
    expect(done).toMatchObject({
      outcome: 'failed',
      durationMs: 42,
      errorCategory: 'TIMEOUT',
      retryable: true,
    });
    expect(done?.requestSummary).toBe(announced.requestSummary);
    const rows = await elementCallsRepo.listCalls(t.db, { targetId: announced.targetId });
    expect(rows).toHaveLength(1);
  });

  it('abandons the in-flight calls of older tokens of the taken-over job only', async () => {
    const jobId = randomUUID();
    const dead = row({ jobId, nodeId: 'dead', fencingToken: 1 });
    const finished = row({ jobId, nodeId: 'dead', fencingToken: 1, outcome: 'ok' });
    const mine = row({ jobId, nodeId: 'survivor', fencingToken: 2 });
    const otherJob = row({ jobId: randomUUID(), nodeId: 'dead', fencingToken: 1 });
    await elementCallsRepo.writeCalls(t.db, t.dialect, [dead, finished, mine, otherJob]);
    const n = await elementCallsRepo.abandonCallsOfJob(
      t.db,
      jobId,
      2,
      Date.now(),
      (node) => `Node ${node} died`,
    );
    expect(n).toBe(1);
    const abandoned = await elementCallsRepo.getCall(t.db, dead.id);
    expect(abandoned).toMatchObject({ outcome: 'abandoned', errorMessage: 'Node dead died' });
    expect(abandoned?.durationMs).toBeGreaterThanOrEqual(1_000);
    expect(await outcomeOf(finished.id)).toBe('ok');
    expect(await outcomeOf(mine.id)).toBe('inFlight');
    expect(await outcomeOf(otherJob.id)).toBe('inFlight');
    expect(
      (await elementCallsRepo.listCalls(t.db, { outcome: 'abandoned', jobId })).map((c) => c.id),
    ).toEqual([dead.id]);
  });

  it('abandons the in-flight calls of nodes silent for a lease, not those of live nodes', async () => {
    const now = Date.now();
    const silent = `silent-${randomUUID().slice(0, 6)}`;
    const live = `live-${randomUUID().slice(0, 6)}`;
    for (const [id, heartbeatAt] of [
      [silent, now - 60_000],
      [live, now],
    ] as const) {
      await nodesRepo.upsertNode(t.db, {
        id,
        hostname: 'h',
        pid: 1,
        startedAt: now - 90_000,
        heartbeatAt,
        state: 'running',
      });
    }
    const a = row({ nodeId: silent });
    const b = row({ nodeId: live });
    await elementCallsRepo.writeCalls(t.db, t.dialect, [a, b]);
    expect(
      await elementCallsRepo.abandonCallsOfSilentNodes(t.db, now - 8_000, now, (n) => `Node ${n} died`),
    ).toBe(1);
    expect(await outcomeOf(a.id)).toBe('abandoned');
    expect(await outcomeOf(b.id)).toBe('inFlight');
  });

  it('deletes an announced row that was never sent, and nothing else', async () => {
    const notSent = row({});
    const done = row({ outcome: 'ok' });
    await elementCallsRepo.writeCalls(t.db, t.dialect, [notSent, done]);
    await elementCallsRepo.deleteCall(t.db, notSent.id);
    await elementCallsRepo.deleteCall(t.db, done.id);
    expect(await outcomeOf(notSent.id)).toBeUndefined();
    expect(await outcomeOf(done.id)).toBe('ok');
  });
});
