// The OVN adapter passes the conformance kit out of process: its serve script (src/serve.ts) runs as a child process
// started and supervised by @netplane/adapter-runtime, on the same real ovsdb-server and ovn-northd world as the
// in-process suite; every call, abort and error crosses the wire protocol.
import { fileURLToPath } from 'node:url';
import { type ProcessAdapter, startProcessAdapter } from '@netplane/adapter-runtime';
import { describeConformance } from '@netplane/adapter-sdk/conformance';
import { afterAll, beforeAll } from 'vitest';
import { harness, type MakeElement, useOvnWorld } from './conformance-world';
import { silentLogger } from './support';

const serve = fileURLToPath(new URL('../src/serve.ts', import.meta.url));
const cwd = fileURLToPath(new URL('..', import.meta.url));

let adapter: ProcessAdapter;
beforeAll(async () => {
  adapter = await startProcessAdapter({
    command: process.execPath,
    args: ['--import', 'tsx', serve],
    cwd,
    logger: silentLogger,
    // tsx compiles the adapter at start: generous on a loaded machine.
    handshakeTimeoutMs: 120_000,
  });
});
afterAll(async () => {
  await adapter?.stop();
});
useOvnWorld();

const outOfProcess: MakeElement = (endpoint, config) =>
  adapter.openElement(
    { controllerId: 'ovn-test', endpoint, credentials: {}, config },
    { logger: silentLogger },
  );

describeConformance('ovn out of process (Geneve)', harness('GENEVE', {}, outOfProcess));
describeConformance(
  'ovn out of process (VLAN localnet)',
  harness('VLAN', { localnetNetworkName: 'physnet1' }, outOfProcess),
);
