// SourceNat translates a tier to the VPC's own address (NetworkSpec.sourceNatIp, acquired by Netplane from the
// zone's public IP ranges), on a real ovsdb-server: canHandle accepts it with a gateway chassis configured, the NAT row
// carries it (read with ovn-nbctl), a new address converges in place, and the controller's snatExternalIp is only
// the fallback for a spec without one on a tier implemented without a gateway (the legacy path; see gateway.test.ts).
import type { NetworkElement } from '@netplane/adapter-sdk';
import { type OvsdbServerHandle, startOvsdbServer } from '@netplane/ovsdb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../src';
import { networkSpec, vpcSpec } from './fixtures';
import { createElement, ctx } from './support';

let server: OvsdbServerHandle;
let plain: NetworkElement;
let withFallback: NetworkElement;

beforeAll(async () => {
  server = await startOvsdbServer();
  plain = createElement(server.unixEndpoint);
  withFallback = createElement(server.unixEndpoint, { snatExternalIp: '192.0.2.250' });
});
afterAll(async () => {
  await plain?.close();
  await withFallback?.close();
  await server?.dispose();
});

const SERVICES = ['Connectivity', 'Dhcp', 'SourceNat'] as const;
const snatRows = async (vpcId: string) =>
  (await server.nbctl(['lr-nat-list', names.router(vpcId)]))
    .split('\n')
    .filter((l) => l.startsWith('snat'))
    .map((l) => l.split(/\s+/).slice(0, 3).join(' '));

describe('OVN source NAT to the VPC address', () => {
  it('accepts SourceNat with the VPC address and a gateway chassis, and declines without either', async () => {
    const vpc = vpcSpec();
    const net = networkSpec(vpc, [...SERVICES]);
    const publicNetwork = {
      cidr: '198.51.100.0/24',
      gateway: '198.51.100.1',
      vlan: null,
      trafficLabel: 'public',
    };
    const gw = createElement(server.unixEndpoint, { gatewayChassis: 'gw1' });
    try {
      const own = { ...net, sourceNatIp: '198.51.100.7', publicNetwork };
      expect(await gw.canHandle({ network: own, service: 'SourceNat' }, ctx())).toEqual({ canHandle: true });
      expect(await gw.canHandle({ network: net, service: 'SourceNat' }, ctx())).toMatchObject({
        canHandle: false,
        reason: expect.stringContaining('public IP range'),
      });
      // The controller-wide address alone no longer makes a gateway: DECLINED, never implemented half-way.
      expect(await withFallback.canHandle({ network: own, service: 'SourceNat' }, ctx())).toMatchObject({
        canHandle: false,
        reason: expect.stringContaining('gatewayChassis'),
      });
    } finally {
      await gw.close();
    }
  });

  it('writes the VPC address into the snat row and moves it in place when the address changes', async () => {
    const vpc = vpcSpec();
    const net = { ...networkSpec(vpc, [...SERVICES]), sourceNatIp: '198.51.100.7' };
    await plain.implementVpc(vpc, ctx());
    await plain.implementNetwork(net, ctx());
    expect(await snatRows(vpc.vpcId)).toEqual([`snat 198.51.100.7 ${net.cidr}`]);
    await plain.implementNetwork({ ...net, sourceNatIp: '198.51.100.8' }, ctx());
    expect(await snatRows(vpc.vpcId)).toEqual([`snat 198.51.100.8 ${net.cidr}`]);
    const observed = (await plain.observe({ vpcId: vpc.vpcId }, ctx())).resources;
    expect(observed.find((r) => r.kind === 'network' && r.id === net.networkId)?.attributes.sourceNat).toBe(
      '198.51.100.8',
    );
  });

  it('prefers the VPC address over snatExternalIp, and falls back to it for a spec without one', async () => {
    const vpc = vpcSpec();
    const own = { ...networkSpec(vpc, [...SERVICES]), sourceNatIp: '198.51.100.9' };
    await withFallback.implementVpc(vpc, ctx());
    await withFallback.implementNetwork(own, ctx());
    expect(await snatRows(vpc.vpcId)).toEqual([`snat 198.51.100.9 ${own.cidr}`]);

    const other = vpcSpec();
    const fallback = networkSpec(other, [...SERVICES]);
    await withFallback.implementVpc(other, ctx());
    await withFallback.implementNetwork(fallback, ctx());
    expect(await snatRows(other.vpcId)).toEqual([`snat 192.0.2.250 ${fallback.cidr}`]);
  });
});
