import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProcessAdapterWorld, startProcessAdapterWorld } from './process-adapter-world';
import { until, waitForJob } from './world';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.each(testDialects())('reloading an adapter process under a 500-NIC job on %s', (dialect) => {
  let world: ProcessAdapterWorld;
  beforeAll(async () => {
    world = await startProcessAdapterWorld(
      dialect,
      { prepareBatchSize: 2 },
      // The call deadline is not what this test is about: at load ~30 a 1.5 s call across two processes took over 5 s.
      { maxConcurrent: 8, timeoutMs: 60_000 },
    );
  }, 180_000);
  afterAll(() => world?.cleanup());

  it('no call fails, every NIC is Reserved once, the old process exits', async () => {
    const { w, engine, adapter, controllerId } = world;
    const { tier, control } = await world.implementedTier('10.94.0.0/16', '10.94.0.0/22');
    await control.setProfile(controllerId, { latencyMs: 1_500 });
    const job = await engine.prepareNics(
      tier.id,
      Array.from({ length: 500 }, (_, i) => ({ vmName: `vm-${i}` })),
      't',
    );
    const reserved = async () =>
      (await engine.listNics(tier.id)).filter((n) => n.state === 'Reserved').length;
    // Mid-job: some NICs done, most not.
    await until(reserved, (n) => n >= 20, 90_000);
    const oldPid = adapter.pid() as number;
    const result = await adapter.reload();
    expect(result).toMatchObject({ ok: true });
    const newPid = adapter.pid() as number;
    expect(newPid).not.toBe(oldPid);
    // The reload happened mid-job: it takes a process start (seconds under load; tsx compiles the adapter), the rest of
    // the job 240 batches of 2 at 8 at a time and 1.5 s each, about 45 s, a wide margin over any start seen here.
    expect(await reserved()).toBeLessThan(500);

    const done = await waitForJob(engine, job.jobId, 150_000);
    expect(done.state).toBe('succeeded');
    expect((await engine.listNics(tier.id)).map((n) => n.state)).toEqual(Array(500).fill('Reserved'));
    expect((await control.getState(controllerId))?.counts.ports).toBe(500);
    // No element call failed, on either process.
    const failures = w.logs.filter((l) => l.level === 'error' || /failed with/.test(l.msg ?? ''));
    expect(failures.map((l) => l.msg)).toEqual([]);
    await until(
      async () => alive(oldPid),
      (a) => !a,
    );
    const info = adapter.info();
    expect(info.kind === 'process' && [info.pid, info.restarts]).toEqual([newPid, 0]);
  }, 240_000);
});
