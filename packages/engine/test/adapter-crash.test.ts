// The simulator adapter out of process (@netplane/adapter-runtime) in front of a standalone simulator controller:
// kill -9 of the adapter process while a VPC job's prepareNics waits on it fails that call with ADAPTER_CRASHED
// (retryable), the runtime restarts the adapter, and the job completes with every NIC Reserved and no NIC twice on
// the controller (its state lives in the controller, not in the adapter process).
import { fileURLToPath } from 'node:url';
import { type ProcessAdapter, startProcessAdapter } from '@netplane/adapter-runtime';
import { createRemoteSimulatorControl } from '@netplane/adapter-simulator';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/index';
import { type SimulatorProcess, startSimulator } from './simulator-process';
import { makeWorld, until, vpcWithTier, type World, waitForJob } from './world';

const serve = fileURLToPath(new URL('../../adapter-simulator/src/serve.ts', import.meta.url));
const cwd = fileURLToPath(new URL('../../adapter-simulator', import.meta.url));
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe.each(testDialects())('an adapter process killed mid-prepareNics on %s', (dialect) => {
  let sim: SimulatorProcess;
  let adapter: ProcessAdapter;
  let w: World;
  let engine: Engine;
  beforeAll(async () => {
    [sim, adapter] = await Promise.all([
      startSimulator(),
      startProcessAdapter({
        command: process.execPath,
        args: ['--import', 'tsx', serve],
        cwd,
        logger: quiet,
        restart: { baseMs: 100 },
      }),
    ]);
    w = await makeWorld(dialect, { controllers: [{ endpoint: sim.url }], simulatorModule: adapter.module });
    engine = w.engine({ breakerThreshold: 10_000 });
    await engine.start();
  }, 60_000);
  afterAll(async () => {
    await engine?.stop();
    await w?.cleanup();
    await adapter?.stop();
    await sim?.kill();
  });

  it('the crashed call fails ADAPTER_CRASHED, the adapter restarts, the job completes with each NIC once', async () => {
    const controllerId = w.controllerIds[0] as string;
    const { tier } = await vpcWithTier(w, engine, '10.93.0.0/16', '10.93.1.0/24');
    expect((await waitForJob(engine, (await engine.implementTier(tier.id, 't')).jobId)).state).toBe(
      'succeeded',
    );
    // The first prepare hangs on the controller, so the job is waiting on the adapter when it is killed.
    const control = createRemoteSimulatorControl(sim.url);
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
    await until(
      async () => (await engine.listNics(tier.id)).map((n) => n.state),
      (states) => states.includes('Reserving'),
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
