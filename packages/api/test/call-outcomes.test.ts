// Every call outcome passes the API on both dialects: a call still in flight or abandoned by a dead node is listed
// (the output schema once allowed only ok/failed, so such a row made the whole page a 500) and can be filtered on.
import { randomUUID } from 'node:crypto';
import { elementCallsRepo } from '@netplane/db';
import { callRow, testDialects } from '@netplane/db/testing';
import { CALL_OUTCOMES } from '@netplane/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from './fixtures/deps';

describe.each(testDialects())('call outcomes through the API on %s', (dialect) => {
  let t: TestDeps;
  const vpcId = randomUUID();
  beforeAll(async () => {
    t = await makeTestDeps(dialect);
    const now = Date.now();
    await elementCallsRepo.writeCalls(
      t.db.db,
      t.db.dialect,
      CALL_OUTCOMES.map((outcome, i) =>
        callRow({
          controllerId: randomUUID(),
          vpcId,
          startedAt: now + i,
          outcome,
          errorMessage: outcome === 'abandoned' ? 'Node n1 died while this call was in flight' : null,
          requestSummary: '{}',
          nodeId: 'n1',
        }),
      ),
    );
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('lists calls of every outcome and filters by each', async () => {
    const viewer = t.callerAs('viewer');
    const all = await viewer.calls.byVpc({ vpcId });
    expect(all.items.map((c) => c.outcome).sort()).toEqual([...CALL_OUTCOMES].sort());
    for (const outcome of CALL_OUTCOMES) {
      const page = await viewer.calls.byVpc({ vpcId, outcome });
      expect(page.items.map((c) => c.outcome)).toEqual([outcome]);
    }
  });
});
