// The simulator passes the conformance kit out of process: its serve script (src/serve.ts) runs as a child process
// started and supervised by @netplane/adapter-runtime, every call crossing the wire protocol. Once with sim://
// controllers (the hub lives in the adapter process, so the planting hooks are left out) and once against a
// standalone simulator over HTTP (planted through its control API, as the remote suite does).
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type ProcessAdapter, startProcessAdapter } from '@netplane/adapter-runtime';
import { describeConformance } from '@netplane/adapter-sdk/conformance';
import { afterAll, beforeAll } from 'vitest';
import { createRemoteSimulatorControl, simulatorManifest } from '../src/index';
import { credentials, env, type SimulatorProcess, spawnSimulatorProcess } from './helpers';

const serve = fileURLToPath(new URL('../src/serve.ts', import.meta.url));
const cwd = fileURLToPath(new URL('..', import.meta.url));
const logger = { debug() {}, info() {}, warn() {}, error() {} };

let adapter: ProcessAdapter;
let sim: SimulatorProcess;
beforeAll(async () => {
  [adapter, sim] = await Promise.all([
    startProcessAdapter({
      command: process.execPath,
      args: ['--import', 'tsx', serve],
      cwd,
      logger,
      // tsx compiles the adapter at start: generous on a loaded machine.
      handshakeTimeoutMs: 120_000,
    }),
    spawnSimulatorProcess(),
  ]);
});
afterAll(async () => {
  await adapter?.stop();
  await sim?.stop();
});

const open = (endpoint: string, controllerId: string, config: Record<string, unknown> = {}) =>
  adapter.openElement({ controllerId, endpoint, credentials, config }, env);

describeConformance('simulator out of process (sim://)', async () => {
  const element = await open('sim://conformance', randomUUID());
  return {
    element,
    manifest: simulatorManifest,
    cleanup: () => element.close(),
    elementWithoutGateway: () => open('sim://conformance', randomUUID(), { requireGatewayChassis: true }),
  };
});

describeConformance('simulator out of process (HTTP to a standalone simulator)', async () => {
  const controllerId = randomUUID();
  const element = await open(sim.url, controllerId);
  const control = createRemoteSimulatorControl(sim.url);
  return {
    element,
    manifest: simulatorManifest,
    cleanup: () => element.close(),
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
    isForeignNetworkIntact: async () => {
      const state = await control.getState(controllerId);
      return state?.counts.foreign === 1 && state.counts.segments === 1;
    },
    slowDownCalls: async () => {
      await control.injectFault(controllerId, { kind: 'timeout', operation: 'prepare' });
    },
  };
});
