// The adapter-sdk conformance kit against the OVN adapter on a real ovsdb-server (OVN Northbound schema).
import { describeConformance } from '@netplane/adapter-sdk/conformance';
import { type OvsdbServerHandle, startOvsdbServer } from '@netplane/ovsdb/testing';
import { afterAll, beforeAll } from 'vitest';
import { names } from '../src';
import { createElement } from './support';

let server: OvsdbServerHandle;
beforeAll(async () => {
  server = await startOvsdbServer();
});
afterAll(async () => {
  await server?.dispose();
});

describeConformance('ovn', async () => {
  const element = createElement(server.tcpEndpoint);
  let stopped = false;
  const resume = () => {
    const pid = server.pid();
    if (stopped && pid) process.kill(pid, 'SIGCONT');
    stopped = false;
  };
  return {
    element,
    isolationMethod: 'GENEVE',
    async cleanup() {
      resume();
      await element.close();
    },
    // Someone created a switch by hand with the name we derive from the network id.
    async plantForeignNetwork(network) {
      await server.nbctl(['ls-add', names.switch(network.networkId)]);
    },
    async isForeignNetworkIntact(network) {
      const ext = await server.nbctl([
        '--bare',
        '--columns=external_ids',
        'find',
        'Logical_Switch',
        `name=${names.switch(network.networkId)}`,
      ]);
      const count = await server.nbctl([
        '--bare',
        '--columns=_uuid',
        'find',
        'Logical_Switch',
        `name=${names.switch(network.networkId)}`,
      ]);
      return ext.trim() === '' && count.trim().split('\n').length === 1 && count.trim() !== '';
    },
    // A stopped (SIGSTOP) server accepts bytes but never answers: every call hangs until its signal aborts.
    async slowDownCalls() {
      const pid = server.pid();
      if (!pid) throw new Error('server not running');
      process.kill(pid, 'SIGSTOP');
      stopped = true;
    },
  };
});
