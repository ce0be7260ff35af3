// The adapter-sdk conformance kit against the OVN adapter on a real ovsdb-server (OVN Northbound schema).
import type { NetworkSpec } from '@netplane/adapter-sdk';
import { type ConformanceHarness, describeConformance } from '@netplane/adapter-sdk/conformance';
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

async function plantForeignSwitch(network: NetworkSpec): Promise<void> {
  await server.nbctl(['ls-add', names.switch(network.networkId)]);
}

async function isForeignSwitchIntact(network: NetworkSpec): Promise<boolean> {
  const find = (column: string) =>
    server.nbctl([
      '--bare',
      `--columns=${column}`,
      'find',
      'Logical_Switch',
      `name=${names.switch(network.networkId)}`,
    ]);
  const [ext, ids] = [(await find('external_ids')).trim(), (await find('_uuid')).trim()];
  return ext === '' && ids !== '' && ids.split('\n').length === 1;
}

async function plantForeignVlan(network: NetworkSpec): Promise<void> {
  const [ls, port] = [`foreign-${network.networkId}`, `foreign-ln-${network.networkId}`];
  await server.nbctl(['ls-add', ls, '--', 'lsp-add', ls, port, '--', 'lsp-set-type', port, 'localnet']);
  await server.nbctl(['lsp-set-options', port, 'network_name=physnet1']);
  await server.nbctl(['set', 'Logical_Switch_Port', port, `tag_request=${network.isolation.segmentId}`]);
}

async function isForeignVlanIntact(network: NetworkSpec): Promise<boolean> {
  const port = `foreign-ln-${network.networkId}`;
  const tag = (await server.nbctl(['get', 'Logical_Switch_Port', port, 'tag_request'])).trim();
  const ports = await server.nbctl(['lsp-list', `foreign-${network.networkId}`]);
  return tag === String(network.isolation.segmentId) && ports.trim().split('\n').length === 1;
}

function harness(isolationMethod: 'GENEVE' | 'VLAN', config: Record<string, unknown>) {
  return async (): Promise<ConformanceHarness> => {
    const element = createElement(server.tcpEndpoint, config);
    let stopped = false;
    const resume = () => {
      const pid = server.pid();
      if (stopped && pid) process.kill(pid, 'SIGCONT');
      stopped = false;
    };
    return {
      element,
      isolationMethod,
      async cleanup() {
        resume();
        await element.close();
      },
      // Geneve: someone made a switch by hand with the name we derive from the network id.
      // VLAN: someone else's switch already reaches the physical network on the tier's VLAN.
      plantForeignNetwork: (network) =>
        isolationMethod === 'VLAN' ? plantForeignVlan(network) : plantForeignSwitch(network),
      isForeignNetworkIntact: (network) =>
        isolationMethod === 'VLAN' ? isForeignVlanIntact(network) : isForeignSwitchIntact(network),
      // A stopped (SIGSTOP) server accepts bytes but never answers: every call hangs until its signal aborts.
      async slowDownCalls() {
        const pid = server.pid();
        if (!pid) throw new Error('server not running');
        process.kill(pid, 'SIGSTOP');
        stopped = true;
      },
    };
  };
}

describeConformance('ovn (Geneve)', harness('GENEVE', {}));
describeConformance('ovn (VLAN localnet)', harness('VLAN', { localnetNetworkName: 'physnet1' }));
