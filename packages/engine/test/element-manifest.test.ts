// An element handle reads its adapter's manifest through the registration, not a copy taken when it was built: an
// out-of-process adapter's manifest changes on reload (version, limits, batch support), and a cached handle must see
// the new one (the coalescer and prepareNics size batches from handle.manifest.limits).

import type { AdapterManifest, AdapterModule } from '@netplane/adapter-sdk';
import { createSimulatorAdapter, SimulatorHub } from '@netplane/adapter-simulator';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElementRegistry } from '../src/elements';
import { makeWorld, type World } from './world';

describe.each(testDialects())('element handle manifest on %s', (dialect) => {
  let w: World;
  const inner = createSimulatorAdapter(new SimulatorHub('manifest-test'));
  let manifest: AdapterManifest = inner.manifest;
  // Like the process runtime's module: one object whose manifest getter follows the process serving now.
  const module: AdapterModule = {
    get manifest() {
      return manifest;
    },
    createElement: (c, e) => inner.createElement(c, e),
  };
  beforeAll(async () => {
    w = await makeWorld(dialect, { simulatorModule: module });
  });
  afterAll(async () => w?.cleanup());

  it('a cached handle shows the manifest of the version now loaded', async () => {
    const elements = new ElementRegistry(w.deps);
    try {
      const controllerId = w.controllerIds[0] as string;
      const handle = await elements.get(controllerId);
      expect(handle.manifest.version).toBe(inner.manifest.version);
      manifest = {
        ...inner.manifest,
        version: '9.9.9',
        limits: { ...inner.manifest.limits, maxBatchSize: 7 },
      };
      const again = await elements.get(controllerId);
      expect(again).toBe(handle);
      expect(again.manifest.version).toBe('9.9.9');
      expect(again.manifest.limits.maxBatchSize).toBe(7);
    } finally {
      await elements.closeAll();
    }
  });
});
