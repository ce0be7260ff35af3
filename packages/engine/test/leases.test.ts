// Durable jobs across two engine nodes on one database (separate connections): lease take-over when a node stops
// heartbeating, fencing of the old node's further calls, resume from recorded steps, and lease hand-back on drain.
import { randomUUID } from 'node:crypto';
import { connect } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/index';
import { holdCalls } from './hold-calls';
import { waitFor } from './poll';
import { FAST, makeWorld, vpcWithTier, type World, waitForJob } from './world';

describe.each(testDialects())('two nodes on %s', (dialect) => {
  let w: World;
  let a: Engine;
  let b: Engine;
  let closeB: () => Promise<void>;
  beforeAll(async () => {
    w = await makeWorld(dialect, { controllers: [{ maxConcurrent: 2, callsPerSecond: 500 }] });
    const second = connect(w.db.url);
    closeB = second.close;
    // A 2 s lease beats every 150 ms: on a loaded machine (load average 20 seen) a 1 s lease could lapse under B too.
    const opts = { ...FAST, leaseMs: 2_000, heartbeatMs: 150, nicParallelism: 2 };
    a = new Engine(w.deps, { ...opts, nodeId: `node-a-${randomUUID().slice(0, 4)}` });
    b = new Engine({ ...w.deps, db: second }, { ...opts, nodeId: `node-b-${randomUUID().slice(0, 4)}` });
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
    await closeB();
    await w.cleanup();
  });

  it('lets another node take over an expired lease, resume from the recorded steps and fence the old node', async () => {
    await a.start();
    const { tier } = await vpcWithTier(w, a, '10.60.0.0/16', '10.60.0.0/24');
    expect((await waitForJob(a, (await a.implementTier(tier.id, 't')).jobId)).state).toBe('succeeded');
    const c = w.controllerIds[0] as string;
    // 25 NIC calls go through, then the controller holds A's calls: the job cannot finish on A, however the
    // machine's load stretches the time between here and the take-over.
    const gate = holdCalls(w, c, ['prepareNic', 'prepareNics'], 25);
    const { jobId, nics } = await a.prepareNics(
      tier.id,
      Array.from({ length: 100 }, (_, i) => ({ vmName: `vm${i}` })),
      't',
      { batchSize: 1 },
    );
    await gate.firstHeld;
    a.suspendHeartbeats(); // node A stalls: its lease runs out while it still thinks it owns the job
    await b.start();
    // B claimed the job (token 2): only now do A's held calls get their answers, and A must not go on.
    await waitFor(
      () => b.getJob(jobId),
      (j) => j?.leaseOwner === b.nodeId,
    );
    gate.open();
    const job = await waitForJob(b, jobId, 60_000);
    expect(job.state).toBe('succeeded');
    // Claimed by B at least once; should B's own lease lapse on a stalled machine, B claims it again (a newer token).
    expect(job.attempts).toBeGreaterThanOrEqual(2);
    expect(job.progressDone).toBe(100);

    const stepNodes = new Set(job.steps.map((s) => s.nodeId));
    expect(stepNodes).toEqual(new Set([a.nodeId, b.nodeId]));
    expect(job.steps.filter((s) => s.key.startsWith('nic:'))).toHaveLength(100);

    const calls = await b.listCalls({ jobId, limit: 1000 });
    const firstOfB = Math.min(...calls.filter((x) => x.nodeId === b.nodeId).map((x) => x.startedAt));
    const lateCallsOfA = calls.filter((x) => x.nodeId === a.nodeId && x.startedAt > firstOfB);
    expect(lateCallsOfA).toEqual([]);
    // Every call of B carries a token newer than A's (1): A's stale lease could never send on B's behalf.
    const tokensOfB = calls.filter((x) => x.nodeId === b.nodeId).map((x) => x.fencingToken ?? 0);
    expect(tokensOfB.length).toBeGreaterThan(0);
    expect(tokensOfB.every((t) => t >= 2)).toBe(true);
    expect(new Set(calls.filter((x) => x.nodeId === a.nodeId).map((x) => x.fencingToken))).toEqual(
      new Set([1]),
    );
    expect(a.runningJobs).not.toContain(jobId);
    expect(w.logs.some((l) => l.msg?.includes('lease lost'))).toBe(true);

    const stats = w.hub.stats(c);
    for (const n of nics) expect(stats.portCreations[n.id], `NIC ${n.id} created once`).toBe(1);
    expect((await b.listNics(tier.id)).every((n) => n.state === 'Reserved')).toBe(true);
  });

  it('hands leases back on drain so the other node resumes at once', async () => {
    a.suspendHeartbeats(false);
    const { tier } = await vpcWithTier(w, b, '10.61.0.0/16', '10.61.0.0/24');
    await b.stop(); // only A runs jobs for now
    const { jobId: impl } = await a.implementTier(tier.id, 't');
    expect((await waitForJob(a, impl)).state).toBe('succeeded');
    const c = w.controllerIds[0] as string;
    // After 25 NIC calls the controller holds the rest: the drain below always finds the job mid-way.
    const gate = holdCalls(w, c, ['prepareNic', 'prepareNics'], 25);
    const { jobId } = await a.prepareNics(
      tier.id,
      Array.from({ length: 75 }, (_, i) => ({ vmName: `d${i}` })),
      't',
      { batchSize: 1 },
    );
    await gate.firstHeld;
    await a.stop(); // aborts the held calls: the drain does not wait for the controller
    gate.open();
    // stop() resolved: every loop of A has settled, so the lease is back and A runs nothing (nor will it write).
    expect(a.runningJobs).toEqual([]);
    const handedBack = await b.getJob(jobId);
    expect(handedBack?.state).toBe('queued');
    expect(handedBack?.leaseOwner).toBeNull();
    await b.start();
    const job = await waitForJob(b, jobId);
    expect(job.state).toBe('succeeded');
    expect(job.progressDone).toBe(75);
  });
});
