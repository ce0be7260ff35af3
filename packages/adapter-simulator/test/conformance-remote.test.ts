// The simulator passes the conformance kit over HTTP against the standalone simulator running as a separate process.
import { randomUUID } from 'node:crypto';
import { describeConformance } from '@netplane/adapter-sdk/conformance';
import { afterAll, beforeAll } from 'vitest';
import { createRemoteSimulatorControl, simulatorManifest } from '../src/index';
import { remoteElement, type SimulatorProcess, spawnSimulatorProcess } from './helpers';

let sim: SimulatorProcess;
beforeAll(async () => {
  sim = await spawnSimulatorProcess();
});
afterAll(async () => {
  await sim.stop();
});

describeConformance('simulator remote (separate process over HTTP)', async () => {
  const controllerId = randomUUID();
  const element = remoteElement(sim.url, controllerId);
  const control = createRemoteSimulatorControl(sim.url);
  return {
    element,
    manifest: simulatorManifest,
    cleanup: () => element.close(),
    // Controller-wide: someone else's NAT on another router already uses the address.
    plantForeignNat: (_net, ip) =>
      control.plantForeign(controllerId, { kind: 'publicIp', ip, owner: 'other-cloud' }),
    isForeignNatIntact: async () => (await control.getState(controllerId))?.counts.foreign === 1,
    plantForeignNetwork: (net) =>
      control.plantForeign(controllerId, {
        kind: 'segment',
        method: net.isolation.method,
        segmentId: net.isolation.segmentId,
        owner: 'other-cloud',
      }),
    isForeignNetworkIntact: async (net) => {
      const state = await control.getState(controllerId);
      return state?.counts.foreign === 1 && state.counts.segments === 1 && net.networkId.length > 0;
    },
    slowDownCalls: async () => {
      await control.injectFault(controllerId, { kind: 'timeout', operation: 'prepare' });
    },
  };
});
