// The API test fixture (packages/api/test/fixtures) with what only the server composes: the simulator adapter
// (its own hub per test file, so tests do not share controllers) and the server's router, simulator.* included.
import { createSimulatorAdapter, SIMULATOR_VERSION, SimulatorHub } from '@netplane/adapter-simulator';
import {
  type AdapterRegistration,
  type AuthUser,
  createCallerFactory,
  createContextInner,
} from '@netplane/api';
import type { DialectName } from '@netplane/db';
import type { Role } from '@netplane/domain';
import type { EngineOptions } from '@netplane/engine';
import {
  type TestDeps as ApiTestDeps,
  makeTestDeps as makeApiTestDeps,
} from '../../../../packages/api/test/fixtures/deps';
import { testAdapterRegistrations } from '../../../../packages/api/test/fixtures/test-adapters';
import { appRouter } from '../../src/app-router';

export {
  GROUPED_ADAPTER_ID,
  TEST_ADAPTER_ID,
} from '../../../../packages/api/test/fixtures/test-adapters';
export const SIMULATOR_ADAPTER_ID = 'simulator';

const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

export type TestDeps = Omit<ApiTestDeps, 'callerAs' | 'anonymousCaller'> & {
  /** The hub behind the 'simulator' adapter of these deps (inject faults, read state). */
  simulatorHub: SimulatorHub;
  callerAs(role: Role, user?: Partial<AuthUser>): Caller;
  anonymousCaller(): Caller;
};

export const simulatorRegistration = (hub: SimulatorHub): AdapterRegistration => ({
  id: SIMULATOR_ADAPTER_ID,
  status: 'Fully Loaded',
  module: createSimulatorAdapter(hub),
});

/** By default the simulator on a fresh hub plus the in-test adapters; `hub` or `adapters` replace them. */
export async function makeTestDeps(
  dialect: DialectName,
  opts: {
    hub?: SimulatorHub;
    adapters?: AdapterRegistration[];
    now?: () => number;
    engineOptions?: Partial<EngineOptions>;
  } = {},
): Promise<TestDeps> {
  const simulatorHub = opts.hub ?? new SimulatorHub(SIMULATOR_VERSION);
  const { hub: _hub, ...rest } = opts;
  const t = await makeApiTestDeps(dialect, {
    ...rest,
    adapters: opts.adapters ?? testAdapterRegistrations([simulatorRegistration(simulatorHub)]),
  });
  return {
    ...t,
    simulatorHub,
    callerAs: (role, user) => createCaller(t.contextAs(role, user)),
    anonymousCaller: () => createCaller(createContextInner(t.deps)),
  };
}

/**
 * Reads the job as a viewer every 25 ms until it has ended (any end state). Fails only when the job shows no progress
 * (state, steps done) for `stallMs`: a slow job on a loaded machine is waited for, a hung one is not.
 */
export async function waitDone(t: TestDeps, jobId: string, stallMs = 15_000) {
  const caller = t.callerAs('viewer');
  let deadline = Date.now() + stallMs;
  let seen = '';
  for (;;) {
    const job = await caller.jobs.get({ id: jobId });
    if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
    const now = `${job.state}:${job.progressDone}:${job.steps.length}`;
    if (now !== seen) {
      seen = now;
      deadline = Date.now() + stallMs;
    }
    if (Date.now() > deadline)
      throw new Error(`job ${jobId} still ${job.state} with no progress for ${stallMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
