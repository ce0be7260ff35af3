import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProcessAdapterWorld, startProcessAdapterWorld } from './process-adapter-world';
import { until, waitForJob } from './world';

describe.each(testDialects())('an adapter process killed mid-prepareNics on %s', (dialect) => {
  let world: ProcessAdapterWorld;
  beforeAll(async () => {
    world = await startProcessAdapterWorld(dialect, { breakerThreshold: 10_000 });
  }, 180_000);
  afterAll(() => world?.cleanup());

  it('the crashed call fails ADAPTER_CRASHED, the adapter restarts, the job completes with each NIC once', async () => {
    const { w, engine, adapter, controllerId } = world;
    const { tier, control } = await world.implementedTier('10.93.0.0/16', '10.93.1.0/24');
    // The first prepare hangs on the controller, so the job is waiting on the adapter when it is killed.
    await control.injectFault(controllerId, {
      kind: 'slowness',
      operation: 'prepare',
      delayMs: 60_000,
      count: 1,
    });
    const vmNames = ['a', 'b', 'c', 'd', 'e', 'f'];
    const job = await engine.prepareNics(
      tier.id,
      vmNames.map((vmName) => ({ vmName })),
      't',
    );
    // Kill only once the call is at the controller: a NIC shows Reserving before its call is sent, and a kill before
    // the send lets the runtime send it to the restarted process with nothing crashed (seen in CI at load ~20).
    await until(
      () => control.getState(controllerId),
      (s) => (s?.stats.inFlight ?? 0) > 0,
      90_000,
    );
    const pid = adapter.pid() as number;
    process.kill(pid, 'SIGKILL');

    let done = await waitForJob(engine, job.jobId);
    // The engine retries the retryable failure within the job (seen here: the job succeeds on its own); should a loaded
    // machine make the restart outlast the controller's call timeout, one retry of the job must complete it.
    if (done.state === 'failed')
      done = await waitForJob(engine, (await engine.retry({ jobId: job.jobId }, 't')).jobId);
    expect(done.state).toBe('succeeded');
    expect((await engine.listNics(tier.id)).map((n) => n.state)).toEqual(Array(6).fill('Reserved'));
    const state = await control.getState(controllerId);
    expect(state?.counts).toMatchObject({ vpcs: 1, networks: 1, ports: 6 });
    const info = adapter.info();
    expect(info.kind === 'process' && info.restarts).toBe(1);
    expect(info.kind === 'process' && info.lastExit?.reason).toBe('was killed by SIGKILL');
    expect(adapter.pid()).not.toBe(pid);
    // The crash reached the engine as the retryable category, naming the adapter and its exit.
    const crashed = w.logs.filter((l) => JSON.stringify(l.obj).includes('ADAPTER_CRASHED'));
    expect(crashed.length).toBeGreaterThan(0);
  }, 120_000);
});
