// One suite per test dialect around one started world (lifecycle, metrics, reconcile, state, coalescer and
// public-services tests) or one empty test database (call-timeout, slot-rows): the setup those tests all need, written
// once.
import { createTestDatabase, type TestDatabase, testDialects } from '@netplane/db/testing';
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
