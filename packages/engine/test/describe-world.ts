// One suite per test dialect around one started world: the setup that lifecycle, metrics, reconcile, state and
// coalescer tests all need, written once.
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Engine } from '../src/index';
import { startWorld, type World } from './world';

/** The suite's world and its started engine; both are set before the first test runs (in beforeAll). */
export type SuiteWorld = { w: World; engine: Engine };

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
