// Engine repositories on both dialects: job claiming with leases and fencing, CAS state, slots and call rates.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsRepo, nodesRepo } from '../src/index';
import { createTestDatabase, type TestDatabase, testDialects } from '../src/testing';

describe.each(testDialects())('engine repositories on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await t.drop();
  });

  const newJob = async (now: number): Promise<string> => {
    const id: string = randomUUID();
    await jobsRepo.insertJob(t.db, {
      id,
      kind: 'test',
      targetType: 'network',
      targetId: randomUUID(),
      vpcId: null,
      payload: '{}',
      progressTotal: 1,
      deadlineAt: now + 60_000,
      createdBy: 'test',
      now,
    });
    return id;
  };

  it('gives each queued job to exactly one of two concurrent claimers', async () => {
    const now = Date.now();
    const ids = await Promise.all(Array.from({ length: 10 }, () => newJob(now)));
    const [a, b] = await Promise.all([
      jobsRepo.claimJobs(t.db, dialect, 'node-a', 10, 10_000, now),
      jobsRepo.claimJobs(t.db, dialect, 'node-b', 10, 10_000, now),
    ]);
    const claimed = [...a, ...b].map((c) => c.id).filter((id) => ids.includes(id));
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.sort()).toEqual([...ids].sort());
  });

  it('lets another node take over an expired lease with a higher fencing token and fences the old holder', async () => {
    const now = Date.now() + 1_000_000;
    const id = await newJob(now);
    const [first] = (await jobsRepo.claimJobs(t.db, dialect, 'node-a', 50, 1_000, now)).filter(
      (c) => c.id === id,
    );
    expect(first).toBeDefined();
    const fenceA = first?.fencingToken ?? -1;
    expect(await jobsRepo.claimJobs(t.db, dialect, 'node-b', 50, 1_000, now + 500)).not.toContainEqual(
      expect.objectContaining({ id }),
    );
    const taken = (await jobsRepo.claimJobs(t.db, dialect, 'node-b', 50, 1_000, now + 2_000)).find(
      (c) => c.id === id,
    );
    expect(taken?.fencingToken).toBe(fenceA + 1);
    const step = { jobId: id, key: 's1', state: 'done', result: null, now: now + 2_100, progressDelta: 1 };
    expect(await jobsRepo.recordStep(t.db, { ...step, node: 'node-a', token: fenceA })).toBe(false);
    expect(await jobsRepo.heartbeat(t.db, id, 'node-a', fenceA, 1_000, now + 2_100)).toBe(false);
    expect(await jobsRepo.recordStep(t.db, { ...step, node: 'node-b', token: fenceA + 1 })).toBe(true);
    expect((await jobsRepo.listSteps(t.db, id)).map((s) => s.nodeId)).toEqual(['node-b']);
  });

  it('spaces call reservations one interval apart and honours a push-back', async () => {
    const c = randomUUID();
    const now = 1_000_000_000;
    const first = await nodesRepo.reserveCallTime(t.db, dialect, c, 5_000, now);
    const second = await nodesRepo.reserveCallTime(t.db, dialect, c, 5_000, now);
    expect(first).toBe(now);
    expect(second).toBe(now + 5_000);
    await nodesRepo.pushBackCalls(t.db, c, now + 1_000_000, 0);
    expect(await nodesRepo.reserveCallTime(t.db, dialect, c, 5_000, now)).toBe(now + 1_000_000);
  });

  it('hands out at most the configured number of slots and frees expired ones', async () => {
    const c = randomUUID();
    await nodesRepo.ensureSlots(t.db, dialect, c, 2);
    await nodesRepo.ensureSlots(t.db, dialect, c, 2);
    const now = 1_000;
    expect(await nodesRepo.claimSlot(t.db, c, 0, 'a', now + 100, now)).toBe(true);
    expect(await nodesRepo.claimSlot(t.db, c, 0, 'b', now + 100, now)).toBe(false);
    expect(await nodesRepo.freeSlots(t.db, c, 2, now)).toEqual([1]);
    expect(await nodesRepo.claimSlot(t.db, c, 0, 'b', now + 300, now + 200)).toBe(true);
  });
});
