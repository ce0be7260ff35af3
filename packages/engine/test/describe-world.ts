// One suite per test dialect around one started world (lifecycle, metrics, reconcile, state, coalescer,
// public-services, network-acls, source-nat and acl-drift tests), optionally with network offerings of its own, or
// around a world whose controller is a simulator child process (lost-state), or one empty test database
// (call-timeout, slot-rows): the setup those tests all need, written once.
import { createTestDatabase, type TestDatabase, testDialects } from '@netplane/db/testing';
import type { Service } from '@netplane/domain';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Engine, EngineOptions } from '../src/index';
import { type SimulatorProcess, startSimulator } from './simulator-process';
import { makeWorld, startWorld, type World } from './world';

/** The suite's world and its started engine; both are set before the first test runs (in beforeAll). */
export type SuiteWorld = { w: World; engine: Engine };
/** A suite world with network offerings whose every service is the simulator's, by the names the suite chose. */
export type OfferingsWorld<K extends string> = SuiteWorld & { offerings: Record<K, string> };

/**
 * Declares `${name} on <dialect>` for every test dialect, starts a world (with `opts`) before its tests and cleans
 * it up after them. `fn` declares the tests; they read the world through `world` once they run.
 */
export function describeWorld(
  name: string,
  opts: Parameters<typeof startWorld>[1],
  fn: (world: SuiteWorld) => void,
): void {
  describe.each(testDialects())(`${name} on %s`, (dialect) => {
    // Filled in by beforeAll: tests only run after it, so they never see it empty. (A failed start leaves no w.)
    const world = {} as SuiteWorld;
    beforeAll(async () => Object.assign(world, await startWorld(dialect, opts)));
    afterAll(() => world.w?.cleanup());
    fn(world);
  });
}

/**
 * Declares `${name} on <dialect>` for every test dialect around one empty (not migrated) test database, created before
 * its tests and dropped after them; the tests read it through `t` once they run.
 */
export function describeDatabase(name: string, fn: (t: TestDatabase) => void): void {
  describe.each(testDialects())(`${name} on %s`, (dialect) => {
    // Filled in by beforeAll, like describeWorld's world.
    const t = {} as TestDatabase;
    beforeAll(async () => Object.assign(t, await createTestDatabase(dialect)));
    afterAll(() => t.drop?.());
    fn(t);
  });
}

/** Adds a network offering whose every service in `services` is the simulator's; returns its id. */
export const simulatorOffering = (w: World, services: readonly Service[]): Promise<string> =>
  w.addOffering({ kind: 'network', services: Object.fromEntries(services.map((s) => [s, 'simulator'])) });

/**
 * describeWorld, plus one network offering per entry of `offerings` (name → services, each served by the simulator),
 * added after the engine started (offerings are read when a tier is created); the tests read their ids through
 * `world.offerings.<name>`.
 */
export function describeWorldWithOfferings<K extends string>(
  name: string,
  offerings: Record<K, Service[]>,
  fn: (world: OfferingsWorld<K>) => void,
): void {
  describeWorld(name, {}, (suite) => {
    const world = suite as OfferingsWorld<K>;
    beforeAll(async () => {
      const ids = {} as Record<K, string>;
      for (const [key, services] of Object.entries(offerings) as [K, Service[]][])
        ids[key] = await simulatorOffering(world.w, services);
      world.offerings = ids;
    });
    fn(world);
  });
}

/** A suite world for drift tests: its engine's drift watch debounces 200 ms; `controllerId` is its one controller. */
export type DriftWorld = SuiteWorld & { controllerId: string };

/** describeWorld with a DriftWorld (drift-watch and reconcile-overlap tests). */
export function describeDriftWorld(name: string, fn: (world: DriftWorld) => void): void {
  describeWorld(name, { engine: { driftDebounceMs: 200 } }, (suite) => {
    const world = suite as DriftWorld;
    beforeAll(() => {
      world.controllerId = world.w.controllerIds[0] as string;
    });
    fn(world);
  });
}

/** A suite world whose one controller is `sim`, a simulator child process the tests may kill and restart empty. */
export type RemoteSimulatorWorld = SuiteWorld & { sim: SimulatorProcess; controllerId: string };

/**
 * Declares `${name} on <dialect>` for every test dialect around a world whose controller is a simulator child process
 * (its engine started with `engine`); the simulator is killed after the tests. A test that restarts it stores the
 * new process in `world.sim`, so cleanup kills that one.
 */
export function describeRemoteSimulatorWorld(
  name: string,
  engine: Partial<EngineOptions>,
  fn: (world: RemoteSimulatorWorld) => void,
): void {
  describe.each(testDialects())(`${name} on %s`, (dialect) => {
    const world = {} as RemoteSimulatorWorld;
    beforeAll(async () => {
      world.sim = await startSimulator();
      world.w = await makeWorld(dialect, { controllers: [{ endpoint: world.sim.url }] });
      world.controllerId = world.w.controllerIds[0] as string;
      world.engine = world.w.engine(engine);
      await world.engine.start();
    }, 60_000);
    afterAll(async () => {
      await world.w?.cleanup();
      await world.sim?.kill();
    });
    fn(world);
  });
}
