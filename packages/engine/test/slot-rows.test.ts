// Concurrency-slot rows on both dialects: thousands of slots can be created, and a node whose heartbeat expired
// gives its slots back at once (not after the call timeout + 10 s hold).
import { randomUUID } from 'node:crypto';
import { nodesRepo } from '@netplane/db';
import { expect, it } from 'vitest';
import { describeDatabase } from './describe-world';

describeDatabase('call slot rows', (t) => {
  it('creates 10 000 slots of one controller (above the bound-parameter limit of one statement)', async () => {
    const c = randomUUID();
    await nodesRepo.ensureSlots(t.db, t.dialect, c, 10_000);
    await nodesRepo.ensureSlots(t.db, t.dialect, c, 10_000);
    expect(await nodesRepo.freeSlots(t.db, c, 10_000, Date.now())).toHaveLength(10_000);
  });

  it('frees the slots of a node without a heartbeat and keeps those of a live node', async () => {
    const c = randomUUID();
    const now = Date.now();
    const node = (id: string, heartbeatAt: number) =>
      nodesRepo.upsertNode(t.db, {
        id,
        hostname: 'h',
        pid: 1,
        startedAt: now - 60_000,
        heartbeatAt,
        state: 'running',
      });
    await node('dead-node', now - 20_000);
    await node('live-node', now);
    await nodesRepo.ensureSlots(t.db, t.dialect, c, 3);
    const hold = now + 60_000;
    expect(await nodesRepo.claimSlot(t.db, c, 0, 'dead-node', hold, now)).toBe(true);
    expect(await nodesRepo.claimSlot(t.db, c, 1, 'live-node', hold, now)).toBe(true);
    expect(await nodesRepo.freeSlots(t.db, c, 3, now)).toEqual([2]);
    expect(await nodesRepo.reclaimSlotsOfDeadNodes(t.db, now - 15_000)).toBe(1);
    expect((await nodesRepo.freeSlots(t.db, c, 3, now)).sort()).toEqual([0, 2]);
  });
});
