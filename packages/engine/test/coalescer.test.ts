// Batch policy of the prepare coalescer: batches filled per job and fair by batch (pure queue), and through the real
// engine on both dialects, the default batch size taken from the adapter's maxBatchSize with a job's own size kept.

import { describe, expect, it } from 'vitest';
import { FairBatchQueue } from '../src/lifecycle/coalescer';
import { describeWorld } from './describe-world';
import { waitForJob } from './world';

const fill = (q: FairBatchQueue<string>, job: string, n: number, limit = 1000) => {
  for (let i = 0; i < n; i++) q.push(job, limit, `${job}${i}`);
};
const jobsOf = (batch: string[]) => [...new Set(batch.map((x) => x.replace(/\d+$/, '')))];

describe('FairBatchQueue', () => {
  it('fills a batch from one job before moving to the next', () => {
    const q = new FairBatchQueue<string>();
    for (const j of ['a', 'b', 'c']) fill(q, j, 30);
    expect(jobsOf(q.take(50))).toEqual(['a', 'b']);
    // 90 NICs of 3 jobs in 2 calls touching 4 (job, call) pairs, not 6 as when taking one NIC of each job in turn
    expect(jobsOf(q.take(50))).toEqual(['c', 'b']);
    expect(q.size).toBe(0);
  });

  it('rotates by batch: a big job goes to the back after each batch, so a small late job waits one batch at most', () => {
    const q = new FairBatchQueue<string>();
    fill(q, 'big', 500);
    expect(jobsOf(q.take(50))).toEqual(['big']);
    fill(q, 'small', 2);
    // the big job was back in the rotation before the small one arrived: one more batch, then the small job's turn
    expect(jobsOf(q.take(50))).toEqual(['big']);
    const next = q.take(50);
    expect(next.slice(0, 3)).toEqual(['small0', 'small1', 'big100']);
    expect(next).toHaveLength(50);
  });

  it('is fair to a storm of many small jobs: each batch serves the longest-waiting jobs in arrival order', () => {
    const q = new FairBatchQueue<string>();
    for (let j = 0; j < 50; j++) fill(q, `t${j}-`, 20);
    const first = q.take(50);
    expect(jobsOf(first)).toEqual(['t0-', 't1-', 't2-']);
    const second = q.take(50);
    // t2 was cut after 10 NICs and went to the back; t3 and t4 come before it
    expect(jobsOf(second)).toEqual(['t3-', 't4-', 't5-']);
    let calls = 2;
    while (q.size > 0) {
      expect(q.take(50).length).toBeGreaterThan(0);
      calls++;
    }
    expect(calls).toBe(20);
  });

  it('caps a batch by the smallest batch size of the jobs it joins, and removes queued items', () => {
    const q = new FairBatchQueue<string>();
    fill(q, 'a', 10, 1000);
    fill(q, 'b', 40, 25);
    const batch = q.take(100);
    expect(batch).toHaveLength(25);
    expect(jobsOf(batch)).toEqual(['a', 'b']);
    expect(q.remove('b', 'b15')).toBe(true);
    expect(q.remove('b', 'b0')).toBe(false);
    expect(q.take(100)).toHaveLength(24);
    expect(q.size).toBe(0);
  });
});

describeWorld('batch size through the engine', { controllers: [{ maxConcurrent: 1 }] }, (world) => {
  // one call at a time, so the requests pile up in the coalescer while a call is in flight

  async function tiers(n: number, third: number) {
    const vpc = await world.engine.createVpc(
      {
        name: `bp${third}`,
        zoneId: world.w.zoneId,
        offeringId: world.w.vpcOfferingId,
        cidr: `10.${third}.0.0/16`,
      },
      't',
    );
    const out: { id: string }[] = [];
    for (let i = 0; i < n; i++) {
      const t = await world.engine.createTier(
        {
          vpcId: vpc.id,
          name: `t${i}`,
          offeringId: world.w.networkOfferingId,
          cidr: `10.${third}.${i}.0/24`,
        },
        't',
      );
      await waitForJob(world.engine, (await world.engine.implementTier(t.id, 't')).jobId);
      out.push(t);
    }
    return out;
  }

  /**
   * One prepare request per tier (`count` VMs named <prefix><tier>-<i>, options by tier index), all at once against a
   * slowed controller (40 ms a call, so that the requests queue up and share batches; its stats reset first), and
   * their finished jobs.
   */
  async function preparesAtOnce(
    ts: readonly { id: string }[],
    count: number,
    prefix: string,
    optionsOf: (i: number) => { batchSize?: number },
  ) {
    const c = world.w.controllerIds[0] as string;
    await world.w.hub.setProfile(c, { latencyMs: 40 });
    await world.w.hub.resetStats(c);
    const vms = (t: number) => Array.from({ length: count }, (_, i) => ({ vmName: `${prefix}${t}-${i}` }));
    const requests = await Promise.all(
      ts.map((t, i) => world.engine.prepareNics(t.id, vms(i), 't', optionsOf(i))),
    );
    const jobs = await Promise.all(requests.map((r) => waitForJob(world.engine, r.jobId)));
    await world.w.hub.setProfile(c, { latencyMs: 0 });
    return { requests, jobs };
  }

  it("by default sends batches of the adapter's maxBatchSize (simulator: 100), each from one tier", async () => {
    const c = world.w.controllerIds[0] as string;
    const ts = await tiers(4, 120);
    const { requests, jobs } = await preparesAtOnce(ts, 100, 'v', () => ({}));
    expect(jobs.every((j) => j.state === 'succeeded')).toBe(true);
    expect(world.w.hub.stats(c).calls.prepare).toBe(4);
    for (const [i, r] of requests.entries()) {
      const calls = await world.engine.listCalls({ jobId: r.jobId });
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ batchSize: 100, networkId: ts[i]?.id, outcome: 'ok' });
      expect(calls[0]?.request).not.toHaveProperty('coalescedJobs');
    }
  });

  it('keeps the batch size a job asks for, also when its NICs share calls with other jobs', async () => {
    const ts = await tiers(3, 121);
    const { requests, jobs } = await preparesAtOnce(ts, 45, 'w', (i) => (i === 0 ? {} : { batchSize: 20 }));
    expect(jobs.every((j) => j.state === 'succeeded')).toBe(true);
    const capped = (
      await Promise.all(requests.slice(1).map((r) => world.engine.listCalls({ jobId: r.jobId })))
    ).flat();
    expect(capped.length).toBeGreaterThanOrEqual(6);
    expect(capped.every((x) => x.batchSize <= 20 && x.outcome === 'ok')).toBe(true);
    const free = await world.engine.listCalls({ jobId: requests[0]?.jobId as string });
    expect(free.some((x) => x.batchSize > 20)).toBe(true);
  });
});
