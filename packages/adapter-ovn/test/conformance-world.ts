// The OVN conformance world: a real ovsdb-server (OVN Northbound schema) and ovn-northd per test file, and the kit's
// harness over it, for any way of making the element (in process: conformance.test.ts; through the process runtime:
// conformance-process.test.ts).
import type { NetworkElement, NetworkSpec } from '@netplane/adapter-sdk';
import type { ConformanceHarness } from '@netplane/adapter-sdk/conformance';
import {
  type NorthdHandle,
  type OvsdbServerHandle,
  startNorthd,
  startOvsdbServer,
} from '@netplane/ovsdb/testing';
import { afterAll, beforeAll } from 'vitest';
import { names, ovnManifest } from '../src';
import { createElement as inProcessElement, nbctlList } from './support';

/** Makes an element of the adapter for an endpoint and config (the kit's harness awaits it). */
export type MakeElement = (endpoint: string, config: Record<string, unknown>) => Promise<NetworkElement>;
export const inProcess: MakeElement = async (endpoint, config) => inProcessElement(endpoint, config);

let server: OvsdbServerHandle;
// ovn-northd and its Southbound, so the kit's checkRealized cases run against what northd really compiles.
let northd: NorthdHandle;
/** Starts the world for the test file that calls it (its beforeAll / afterAll). */
export function useOvnWorld(): void {
  beforeAll(async () => {
    server = await startOvsdbServer();
    northd = await startNorthd(server);
  });
  afterAll(async () => {
    await northd?.dispose();
    await server?.dispose();
  });
}

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

/** Someone else's dnat_and_snat of the public IP on the VPC's router. */
const FOREIGN_LOGICAL_IP = '10.250.0.5';
async function plantForeignNat(network: NetworkSpec, publicIp: string): Promise<void> {
  await server.nbctl([
    'lr-nat-add',
    names.router(network.vpcId),
    'dnat_and_snat',
    publicIp,
    FOREIGN_LOGICAL_IP,
  ]);
}

async function isForeignNatIntact(network: NetworkSpec, publicIp: string): Promise<boolean> {
  // Only the VPC's router: other tests on this server may NAT the same address in their own VPCs.
  const nats = await nbctlList(server, 'NAT', ['_uuid', 'type', 'external_ip', 'logical_ip', 'external_ids']);
  const onRouter = await server.nbctl(['get', 'Logical_Router', names.router(network.vpcId), 'nat']);
  const mine = nats.filter((n) => n.external_ip === publicIp && onRouter.includes(n._uuid ?? '-'));
  return (
    mine.length === 1 &&
    mine[0]?.type === 'dnat_and_snat' &&
    mine[0]?.logical_ip === FOREIGN_LOGICAL_IP &&
    mine[0]?.external_ids === ''
  );
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

export function harness(
  isolationMethod: 'GENEVE' | 'VLAN',
  config: Record<string, unknown>,
  createElement: MakeElement = inProcess,
) {
  return async (): Promise<ConformanceHarness> => {
    const element = await createElement(server.tcpEndpoint, {
      ...config,
      southboundEndpoint: northd.sb.unixEndpoint,
    });
    const { gatewayChassis: _, ...withoutGateway } = config;
    let stopped = false;
    const resume = () => {
      const pid = server.pid();
      if (stopped && pid) process.kill(pid, 'SIGCONT');
      stopped = false;
    };
    return {
      element,
      manifest: ovnManifest,
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
      plantForeignNat,
      isForeignNatIntact,
      elementWithoutGateway: async () => createElement(server.tcpEndpoint, withoutGateway),
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
