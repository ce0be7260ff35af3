// A world whose simulator adapter runs out of process (@netplane/adapter-runtime, its src/serve.ts as a child) in
// front of a standalone simulator controller: the controller keeps its state whatever happens to the adapter process.
import { fileURLToPath } from 'node:url';
import { type ProcessAdapter, startProcessAdapter } from '@netplane/adapter-runtime';
import { createRemoteSimulatorControl } from '@netplane/adapter-simulator';
import type { DialectName } from '@netplane/db';
import type { Engine, EngineOptions } from '../src/index';
import { type SimulatorProcess, startSimulator } from './simulator-process';
import { makeWorld, vpcWithTier, type World, waitForJob } from './world';

const serve = fileURLToPath(new URL('../../adapter-simulator/src/serve.ts', import.meta.url));
const cwd = fileURLToPath(new URL('../../adapter-simulator', import.meta.url));
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export type ProcessAdapterWorld = {
  sim: SimulatorProcess;
  adapter: ProcessAdapter;
  w: World;
  engine: Engine;
  controllerId: string;
  /** A VPC with one tier, implemented (the job checked), and the controller's control surface for the test's faults. */
  implementedTier(
    vpcCidr: string,
    tierCidr: string,
  ): Promise<{ tier: { id: string }; control: ReturnType<typeof createRemoteSimulatorControl> }>;
  cleanup(): Promise<void>;
};

export async function startProcessAdapterWorld(
  dialect: DialectName,
  engineOptions: Partial<EngineOptions> = {},
  controller: { maxConcurrent?: number; timeoutMs?: number } = {},
): Promise<ProcessAdapterWorld> {
  const [sim, adapter] = await Promise.all([
    startSimulator(),
    startProcessAdapter({
      command: process.execPath,
      args: ['--import', 'tsx', serve],
      cwd,
      logger: quiet,
      restart: { baseMs: 100 },
      // tsx compiles the adapter at every start; on a machine loaded by a CI and busy loops that alone took > 10 s.
      handshakeTimeoutMs: 120_000,
    }),
  ]);
  const w = await makeWorld(dialect, {
    controllers: [{ endpoint: sim.url, ...controller }],
    simulatorModule: adapter.module,
  });
  const engine = w.engine(engineOptions);
  await engine.start();
  return {
    sim,
    adapter,
    w,
    engine,
    controllerId: w.controllerIds[0] as string,
    async implementedTier(vpcCidr, tierCidr) {
      const { tier } = await vpcWithTier(w, engine, vpcCidr, tierCidr);
      const implemented = await waitForJob(engine, (await engine.implementTier(tier.id, 't')).jobId);
      if (implemented.state !== 'succeeded') throw new Error(`implement ended ${implemented.state}`);
      return { tier, control: createRemoteSimulatorControl(sim.url) };
    },
    async cleanup() {
      await engine.stop();
      await w.cleanup();
      await adapter.stop();
      await sim.kill();
    },
  };
}
