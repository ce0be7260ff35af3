// The element registry hands each adapter a logger whose debug lines reach the engine's logger (pino in the server),
// naming the adapter and the controller.
import type { AdapterModule } from '@netplane/adapter-sdk';
import { createSimulatorAdapter } from '@netplane/adapter-simulator';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElementRegistry } from '../src/elements';
import { makeWorld, type World } from './world';

describe.each(testDialects())('the adapters logger on %s', (dialect) => {
  let w: World;
  beforeAll(async () => {
    // The simulator on the world's hub (made by makeWorld, so looked up when the element is built).
    const chatty: AdapterModule = {
      manifest: createSimulatorAdapter().manifest,
      createElement: (connection, env) => {
        env.logger.debug({ endpoint: connection.endpoint }, 'chatty element built');
        return createSimulatorAdapter(w.hub).createElement(connection, env);
      },
    };
    w = await makeWorld(dialect, {
      controllers: [],
      extraAdapters: [{ id: 'chatty', status: 'Fully Loaded', module: chatty }],
    });
  });
  afterAll(async () => {
    await w.cleanup();
  });

  it("passes an adapter's debug line to the engine's logger with the adapter and controller ids", async () => {
    const providerId = await w.addProvider({ name: 'chatty', adapterId: 'chatty' });
    const controllerId = await w.addController(providerId);
    const registry = new ElementRegistry(w.deps);
    await registry.get(controllerId);
    const line = w.logs.find((l) => l.msg === 'chatty element built');
    expect(line).toMatchObject({
      level: 'debug',
      obj: { adapterId: 'chatty', controllerId, endpoint: `sim://${controllerId}` },
    });
    await registry.closeAll();
  });
});
