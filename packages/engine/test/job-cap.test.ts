// A job whose own work is done does not hold a place of the worker's cap while its Realized check waits: with one job
// at a time and the controller holding every checkRealized, the next job is still claimed and prepares its NIC. In a
// boot storm the checks queue behind every prepare call, and holding their places left the queued jobs unclaimed
// while the controller ran out of work (docs/boot-storm.md).
import { expect, it } from 'vitest';
import { describeWorld } from './describe-world';
import { holdCalls } from './hold-calls';
import { until, vpcWithTier, waitForJob } from './world';

describeWorld('a job waiting only for its Realized check', { engine: { maxConcurrentJobs: 1 } }, (world) => {
  it('leaves its place of maxConcurrentJobs to the next job', async () => {
    const { w, engine } = world;
    const { tier } = await vpcWithTier(w, engine, '10.7.0.0/16', '10.7.1.0/24');
    const implemented = await engine.implementTier(tier.id, 't');
    expect((await waitForJob(engine, implemented.jobId)).state).toBe('succeeded');
    const gate = holdCalls(w, w.controllerIds[0] as string, ['checkRealized']);
    let first = '';
    let second = '';
    try {
      first = (await engine.prepareNics(tier.id, [{ vmName: 'a' }], 't')).jobId;
      // The first job has prepared its NIC and waits for its check: the only job the cap allows is that one.
      await gate.firstHeld;
      second = (await engine.prepareNics(tier.id, [{ vmName: 'b' }], 't')).jobId;
      const reserved = await until(
        async () => (await engine.listNics(tier.id)).filter((n) => n.state === 'Reserved').length,
        (n) => n === 2,
      );
      expect(reserved).toBe(2);
      expect((await engine.getJob(first))?.state).toBe('running');
    } finally {
      gate.open();
    }
    expect((await waitForJob(engine, first)).state).toBe('succeeded');
    expect((await waitForJob(engine, second)).state).toBe('succeeded');
  }, 60_000);
});
