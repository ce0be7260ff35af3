// The VPC's gateway on a real ovsdb-server, read back with ovn-nbctl: a tier giving SourceNat/StaticNat/Lb makes the
// external switch (localnet on the Public label, the range's VLAN), the gateway router port (source-NAT address on
// the range's prefix, bound to the configured chassis) and the default route; a changed address, chassis, label or
// next hop converges in place; a deleted gateway port, default route or chassis binding is drift that
// re-implementing repairs; destroyVpc leaves nothing; a spec without the public side or a controller without
// gatewayChassis is DECLINED.
import type { NetworkElement, NetworkSpec } from '@netplane/adapter-sdk';
import type { Service } from '@netplane/domain';
import { type OvsdbServerHandle, startOvsdbServer } from '@netplane/ovsdb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXT, names } from '../src';
import { networkSpec, vpcSpec } from './fixtures';
import { createElement, ctx } from './support';

let server: OvsdbServerHandle;
let el: NetworkElement;

beforeAll(async () => {
  server = await startOvsdbServer();
  el = createElement(server.unixEndpoint, { gatewayChassis: 'gw1' });
});
afterAll(async () => {
  await el?.close();
  await server?.dispose();
});

const PUBLIC = { cidr: '203.0.113.0/24', gateway: '203.0.113.1', vlan: 300, trafficLabel: 'public' };

async function tierWithGateway(services: Service[] = ['Connectivity', 'SourceNat', 'StaticNat']) {
  const vpc = vpcSpec();
  const net: NetworkSpec = {
    ...networkSpec(vpc, services),
    sourceNatIp: '203.0.113.2',
    publicNetwork: PUBLIC,
  };
  await el.implementVpc(vpc, ctx());
  await el.implementNetwork(net, ctx());
  return { vpc, net };
}

/** One column of the row named `name`, as ovn-nbctl --bare prints it (a set's elements space-separated, [] empty). */
const get = async (table: string, name: string, column: string) =>
  (await server.nbctl(['--bare', `--columns=${column}`, 'find', table, `name=${name}`])).trim();

/** The gateway as ovn-nbctl sees it. */
async function gatewayOf(vpcId: string) {
  const lrp = names.gatewayPort(vpcId);
  const ln = names.externalLocalnetPort(vpcId);
  return {
    ports: (await server.nbctl(['lsp-list', names.externalSwitch(vpcId)]))
      .trim()
      .split('\n')
      .map((l) => l.replace(/^\S+ \((.*)\)$/, '$1'))
      .sort(),
    networks: await get('Logical_Router_Port', lrp, 'networks'),
    chassis: (await server.nbctl(['lrp-get-gateway-chassis', lrp])).trim(),
    label: await get('Logical_Switch_Port', ln, 'options'),
    vlan: await get('Logical_Switch_Port', ln, 'tag_request'),
    routes: (await server.nbctl(['lr-route-list', names.router(vpcId)]))
      .split('\n')
      .filter((l) => l.includes('0.0.0.0/0'))
      .map((l) => l.trim().split(/\s+/).slice(0, 2).join(' ')),
    snat: (await server.nbctl(['lr-nat-list', names.router(vpcId)]))
      .split('\n')
      .filter((l) => l.startsWith('snat'))
      .map((l) => l.split(/\s+/).slice(0, 3).join(' ')),
  };
}

describe('OVN VPC gateway', () => {
  it('gives the router a gateway port on an external switch, a chassis, a default route and the tier SNAT', async () => {
    const { vpc, net } = await tierWithGateway();
    expect(await gatewayOf(vpc.vpcId)).toEqual({
      ports: [names.externalLocalnetPort(vpc.vpcId), names.externalRouterPort(vpc.vpcId)].sort(),
      networks: '203.0.113.2/24',
      chassis: `${names.gatewayPort(vpc.vpcId)}-gw1     1`,
      label: 'network_name=public',
      vlan: '300',
      routes: ['0.0.0.0/0 203.0.113.1'],
      snat: [`snat 203.0.113.2 ${net.cidr}`],
    });
    // Tagged like our other rows, and not a tier to observe().
    expect(await get('Logical_Switch', names.externalSwitch(vpc.vpcId), 'external_ids')).toContain(
      `${EXT.vpcId}=${vpc.vpcId}`,
    );
    const observed = (await el.observe({ vpcId: vpc.vpcId }, ctx())).resources;
    expect(observed.filter((r) => r.kind === 'network').map((r) => r.id)).toEqual([net.networkId]);
    expect(observed.find((r) => r.kind === 'network')?.issues).toBeUndefined();
  });

  it('is one gateway per VPC however many tiers use it, and converges a changed address, chassis, label and hop', async () => {
    const { vpc, net } = await tierWithGateway();
    const second = {
      ...networkSpec(vpc, ['Connectivity', 'Lb']),
      sourceNatIp: '203.0.113.2',
      publicNetwork: PUBLIC,
    };
    await el.implementNetwork(second, ctx());
    expect((await gatewayOf(vpc.vpcId)).routes).toEqual(['0.0.0.0/0 203.0.113.1']);

    const moved = createElement(server.unixEndpoint, { gatewayChassis: 'gw2' });
    try {
      const publicNetwork = {
        cidr: '198.51.100.0/25',
        gateway: '198.51.100.126',
        vlan: null,
        trafficLabel: 'pub2',
      };
      await moved.implementNetwork({ ...net, sourceNatIp: '198.51.100.5', publicNetwork }, ctx());
    } finally {
      await moved.close();
    }
    expect(await gatewayOf(vpc.vpcId)).toMatchObject({
      networks: '198.51.100.5/25',
      chassis: `${names.gatewayPort(vpc.vpcId)}-gw2     1`,
      label: 'network_name=pub2',
      vlan: '',
      routes: ['0.0.0.0/0 198.51.100.126'],
    });
    // The old chassis binding went with its reference: one Gateway_Chassis row of this VPC.
    const rows = await server.nbctl([
      '--bare',
      '--columns=chassis_name',
      'find',
      'Gateway_Chassis',
      `external_ids:"${EXT.vpcId}"="${vpc.vpcId}"`,
    ]);
    expect(rows.trim()).toBe('gw2');
  });

  it('reports a deleted gateway port as drift of the tier, and re-implementing the tier repairs it', async () => {
    const { vpc, net } = await tierWithGateway();
    await server.nbctl(['lrp-del', names.gatewayPort(vpc.vpcId)]);
    const issues = async () =>
      (await el.observe({ vpcId: vpc.vpcId }, ctx())).resources.find((r) => r.id === net.networkId)?.issues ??
      [];
    // observe() reads the monitor cache: poll until the deletion reached it.
    await expect
      .poll(issues, { timeout: 10_000 })
      .toContain(`gateway port ${names.gatewayPort(vpc.vpcId)} of the VPC of tier ${net.name} is missing`);
    await el.implementNetwork(net, ctx());
    expect((await gatewayOf(vpc.vpcId)).networks).toBe('203.0.113.2/24');
    await expect.poll(issues, { timeout: 10_000 }).toEqual([]);
  });

  it('reports a deleted default route and gateway chassis binding, and re-implementing restores both', async () => {
    const { vpc, net } = await tierWithGateway();
    const lrp = names.gatewayPort(vpc.vpcId);
    await server.nbctl(['lr-route-del', names.router(vpc.vpcId), '0.0.0.0/0']);
    await server.nbctl(['lrp-del-gateway-chassis', lrp, 'gw1']);
    const issues = async () =>
      (await el.observe({ vpcId: vpc.vpcId }, ctx())).resources.find((r) => r.id === net.networkId)?.issues ??
      [];
    await expect
      .poll(issues, { timeout: 10_000 })
      .toEqual([
        `gateway port ${lrp} of the VPC of tier ${net.name} has no gateway chassis`,
        `default route of the VPC of tier ${net.name} is missing`,
      ]);
    await el.implementNetwork(net, ctx());
    expect(await gatewayOf(vpc.vpcId)).toMatchObject({
      chassis: `${lrp}-gw1     1`,
      routes: ['0.0.0.0/0 203.0.113.1'],
    });
    await expect.poll(issues, { timeout: 10_000 }).toEqual([]);
  });

  it('leaves no row of the gateway after destroyVpc', async () => {
    const { vpc } = await tierWithGateway();
    await el.destroyVpc({ vpcId: vpc.vpcId }, ctx());
    const tables = [
      'Logical_Switch',
      'Logical_Switch_Port',
      'Logical_Router_Port',
      'Gateway_Chassis',
      'Logical_Router_Static_Route',
    ];
    for (const table of tables) {
      const left = await server.nbctl([
        '--bare',
        '--columns=_uuid',
        'find',
        table,
        `external_ids:"${EXT.vpcId}"="${vpc.vpcId}"`,
      ]);
      expect(left.trim(), table).toBe('');
    }
  });

  it('declines SourceNat, StaticNat and Lb without a gateway chassis, the public side or the Public label', async () => {
    const vpc = vpcSpec();
    const full: NetworkSpec = { ...networkSpec(vpc), sourceNatIp: '203.0.113.9', publicNetwork: PUBLIC };
    const plain = createElement(server.unixEndpoint);
    try {
      for (const service of ['SourceNat', 'StaticNat', 'Lb'] as const) {
        expect(await el.canHandle({ network: full, service }, ctx())).toEqual({ canHandle: true });
        expect(await plain.canHandle({ network: full, service }, ctx())).toMatchObject({
          canHandle: false,
          reason: expect.stringMatching(new RegExp(`^${service} needs a gateway chassis.*gatewayChassis`)),
        });
        const { publicNetwork: _, ...bare } = full;
        expect(await el.canHandle({ network: bare, service }, ctx())).toMatchObject({
          canHandle: false,
          reason: expect.stringContaining('public IP range'),
        });
        const { trafficLabel: _l, ...unlabelledPublic } = PUBLIC;
        const unlabelled = { ...full, publicNetwork: unlabelledPublic };
        expect(await el.canHandle({ network: unlabelled, service }, ctx())).toMatchObject({
          canHandle: false,
          reason: expect.stringContaining('Public traffic label'),
        });
      }
      // Services that do not leave the VPC need no gateway.
      expect(await plain.canHandle({ network: full, service: 'Connectivity' }, ctx())).toEqual({
        canHandle: true,
      });
    } finally {
      await plain.close();
    }
  });
});
