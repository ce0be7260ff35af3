// Drift: rows deleted with ovn-nbctl behind our back show up in observe() within seconds; re-implement/prepare repairs.
import type { NetworkElement, ObservedResource } from '@netplane/adapter-sdk';
import { type OvsdbServerHandle, startOvsdbServer } from '@netplane/ovsdb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../src';
import { networkSpec, nicSpec, vpcSpec } from './fixtures';
import { createElement, ctx, waitFor } from './support';

let server: OvsdbServerHandle;
let el: NetworkElement;

beforeAll(async () => {
  server = await startOvsdbServer();
  el = createElement(server.tcpEndpoint);
});
afterAll(async () => {
  await el?.close();
  await server?.dispose();
});

const observeIds = async (networkId: string, kind: ObservedResource['kind']) =>
  (await el.observe({ networkIds: [networkId] }, ctx())).resources
    .filter((r) => r.kind === kind)
    .map((r) => r.id);

const networkAttrs = async (networkId: string) =>
  (await el.observe({ networkIds: [networkId] }, ctx())).resources.find((r) => r.kind === 'network')
    ?.attributes;

describe('drift', () => {
  it('shows a port deleted with ovn-nbctl as missing, and a new prepareNic puts it back', async () => {
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    await el.implementVpc(vpc, ctx());
    await el.implementNetwork(net, ctx());
    const [a, b] = [nicSpec(net, 1), nicSpec(net, 2)];
    await el.prepareNics([a, b], ctx());
    expect((await observeIds(net.networkId, 'nic')).sort()).toEqual([a.nicId, b.nicId].sort());

    await server.nbctl(['lsp-del', names.nicPort(a.nicId)]);
    await waitFor(
      () => observeIds(net.networkId, 'nic'),
      (ids) => !ids.includes(a.nicId) && ids.includes(b.nicId),
    );

    expect(await el.prepareNic(a, ctx())).toEqual({ nicId: a.nicId, adopted: false });
    expect((await observeIds(net.networkId, 'nic')).sort()).toEqual([a.nicId, b.nicId].sort());
    expect(await server.nbctl(['lsp-get-addresses', names.nicPort(a.nicId)])).toContain(`${a.mac} ${a.ip}`);
  });

  it('shows an ACL deleted with ovn-nbctl as missing, and a new implementNetwork restores it', async () => {
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    await el.implementVpc(vpc, ctx());
    await el.implementNetwork(net, ctx());
    const before = await observeIds(net.networkId, 'acl');
    expect(before.sort()).toEqual(
      ['default-deny', 'egress', 'intra-tier'].map((r) => `${net.networkId}/${r}`).sort(),
    );
    const pg = names.portGroup(net.networkId);
    await server.nbctl(['--type=port-group', 'acl-del', pg, 'to-lport', '1000', `outport == @${pg} && ip4`]);
    await waitFor(
      () => observeIds(net.networkId, 'acl'),
      (ids) => ids.length === 2 && !ids.includes(`${net.networkId}/default-deny`),
    );
    expect(await networkAttrs(net.networkId)).toMatchObject({ networkAcl: 'missing' });
    expect(await el.implementNetwork(net, ctx())).toMatchObject({ adopted: true });
    expect((await observeIds(net.networkId, 'acl')).sort()).toEqual(before.sort());
    expect(await networkAttrs(net.networkId)).toMatchObject({ networkAcl: 'default-deny,egress,intra-tier' });
    expect(await server.nbctl(['acl-list', pg])).toContain('drop');
  });

  it('shows a NIC removed from its port group as drift on the NIC', async () => {
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    await el.implementVpc(vpc, ctx());
    await el.implementNetwork(net, ctx());
    const nic = nicSpec(net, 3);
    await el.prepareNic(nic, ctx());
    const attrs = async () =>
      (await el.observe({ networkIds: [net.networkId] }, ctx())).resources.find((r) => r.id === nic.nicId)
        ?.attributes;
    expect(await attrs()).toMatchObject({ mac: nic.mac, ip: nic.ip, portGroup: 'member' });
    await server.nbctl(['clear', 'Port_Group', names.portGroup(net.networkId), 'ports']);
    await waitFor(attrs, (a) => a?.portGroup === 'missing');
  });

  it('shows a deleted router port on the network', async () => {
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    await el.implementVpc(vpc, ctx());
    await el.implementNetwork(net, ctx());
    const routerPort = async () =>
      (await el.observe({ networkIds: [net.networkId] }, ctx())).resources.find((r) => r.kind === 'network')
        ?.attributes.routerPort;
    expect(await routerPort()).toBe(`${net.gateway}/24`);
    await server.nbctl(['lrp-del', names.routerPort(net.networkId)]);
    await waitFor(routerPort, (v) => v === 'missing');
    await el.implementNetwork(net, ctx());
    expect(await routerPort()).toBe(`${net.gateway}/24`);
  });

  it('shows a DHCP_Options row deleted with ovn-nbctl on the network, and repair re-attaches the ports to the new one', async () => {
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    await el.implementVpc(vpc, ctx());
    await el.implementNetwork(net, ctx());
    const nic = nicSpec(net, 4);
    await el.prepareNic(nic, ctx());
    expect(await networkAttrs(net.networkId)).toMatchObject({ dhcp: net.cidr });
    const dhcpOfPort = () =>
      server.nbctl([
        '--bare',
        '--columns=dhcpv4_options',
        'find',
        'Logical_Switch_Port',
        `name=${names.nicPort(nic.nicId)}`,
      ]);
    const uuid = (await dhcpOfPort()).trim();
    expect(uuid).not.toBe('');
    await server.nbctl(['dhcp-options-del', uuid]);
    await waitFor(
      () => networkAttrs(net.networkId),
      (a) => a?.dhcp === 'missing',
    );
    expect((await dhcpOfPort()).trim()).toBe(''); // the weak reference went with the row
    await el.implementNetwork(net, ctx());
    expect(await networkAttrs(net.networkId)).toMatchObject({ dhcp: net.cidr });
    const repaired = (await dhcpOfPort()).trim();
    expect(repaired).not.toBe('');
    expect(await server.nbctl(['get', 'DHCP_Options', repaired, 'cidr'])).toContain(net.cidr);
  });
});
