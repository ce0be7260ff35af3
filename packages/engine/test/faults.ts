// Scripted failures on the simulator shared by the lifecycle and diagnostics suites.
import type { AdapterModule } from '@netplane/adapter-sdk';
import { createSimulatorAdapter, simulatorManifest } from '@netplane/adapter-simulator';
import { expect } from 'vitest';
import type { Engine } from '../src/index';
import { type World, waitForJob } from './world';

type Fault = Parameters<World['hub']['injectFault']>[1];

type VendorError = Extract<Fault, { kind: 'vendorError' }>;

/** A vendor error (code, message) on the next `operation` call (of `resource` when given), once unless `over` says. */
export const vendorError = (
  code: string,
  message: string,
  operation: NonNullable<VendorError['operation']>,
  resource?: NonNullable<VendorError['resource']>,
  over: Partial<VendorError> = {},
): VendorError => ({
  kind: 'vendorError',
  code,
  message,
  operation,
  ...(resource !== undefined && { resource }),
  count: 1,
  ...over,
});

/**
 * Implements the tier with `fault` on its implement call and a vendor error (E2, "undo boom") on the undo's destroy:
 * the job fails and the tier is left in Error. Returns the failed job.
 */
export async function failImplementAndUndo(w: World, engine: Engine, tierId: string, fault: Fault) {
  const c = w.controllerIds[0] as string;
  await w.hub.injectFault(c, fault);
  await w.hub.injectFault(c, vendorError('E2', 'undo boom', 'destroy'));
  const job = await waitForJob(engine, (await engine.implementTier(tierId, 'bob')).jobId);
  expect(job.state).toBe('failed');
  expect((await engine.getTier(tierId))?.state).toBe('Error');
  return job;
}

/**
 * The simulator with one optional call taken away: an adapter that cannot trace, or cannot tell what its controller
 * applied. `hub` is read when an element is made (the world exists by then); `id` renames the manifest's adapter.
 */
export const simulatorWithout = (
  call: 'trace' | 'checkRealized',
  hub: () => World['hub'],
  id?: string,
): AdapterModule => ({
  manifest: id === undefined ? simulatorManifest : { ...simulatorManifest, id },
  createElement(connection, env) {
    const { [call]: _dropped, ...element } = createSimulatorAdapter(hub()).createElement(connection, env);
    return element;
  },
});
