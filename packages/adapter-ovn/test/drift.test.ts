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

const networkIssues = async (networkId: string) => [
  ...((await el.observe({ networkIds: [networkId] }, ctx())).resources.find((r) => r.kind === 'network')
    ?.issues ?? []),
];

const nicIssues = async (networkId: string, nicId: string) => [
  ...((await el.observe({ networkIds: [networkId] }, ctx())).resources.find((r) => r.id === nicId)?.issues ??
    []),
];

const aclLines = async (pg: string) =>
  (await server.nbctl(['acl-list', pg])).trim().split('\n').filter(Boolean);

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
    expect(await networkIssues(net.networkId)).toEqual([
      `ACL to-lport 1000 'outport == @${pg} && ip4' of tier ${net.name} is missing`,
    ]);
    expect(await el.implementNetwork(net, ctx())).toMatchObject({ adopted: true });
    expect((await observeIds(net.networkId, 'acl')).sort()).toEqual(before.sort());
    expect(await networkAttrs(net.networkId)).toMatchObject({ networkAcl: 'default-deny,egress,intra-tier' });
    expect(await networkIssues(net.networkId)).toEqual([]);
    expect(await server.nbctl(['acl-list', pg])).toContain('drop');
    await el.implementNetwork(net, ctx()); // converged: no second copy
    expect(await aclLines(pg)).toHaveLength(3);
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
    const pg = names.portGroup(net.networkId);
    await server.nbctl(['clear', 'Port_Group', pg, 'ports']);
    await waitFor(attrs, (a) => a?.portGroup === 'missing');
    const port = names.nicPort(nic.nicId);
    expect(await nicIssues(net.networkId, nic.nicId)).toEqual([`port ${port} is not in port group ${pg}`]);
    // prepareNic again is the NIC's repair: the adopted port goes back into the group.
    expect(await el.prepareNic(nic, ctx())).toEqual({ nicId: nic.nicId, adopted: true });
    const portUuid = (
      await server.nbctl(['--bare', '--columns=_uuid', 'find', 'Logical_Switch_Port', `name=${port}`])
    ).trim();
    expect((await server.nbctl(['--bare', '--columns=ports', 'list', 'Port_Group', pg])).trim()).toBe(
      portUuid,
    );
    expect(await nicIssues(net.networkId, nic.nicId)).toEqual([]);
    expect(await attrs()).toMatchObject({ portGroup: 'member' });
  });

  it('shows port security changed with ovn-nbctl as an issue of the NIC, and prepareNic restores it', async () => {
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    await el.implementVpc(vpc, ctx());
    await el.implementNetwork(net, ctx());
    const nic = nicSpec(net, 5);
    await el.prepareNic(nic, ctx());
    const port = names.nicPort(nic.nicId);
    await server.nbctl(['lsp-set-port-security', port]);
    await waitFor(
      () => nicIssues(net.networkId, nic.nicId),
      (i) => i.length > 0,
    );
    expect(await nicIssues(net.networkId, nic.nicId)).toEqual([
      `port_security of port ${port} is '', expected '${nic.mac} ${nic.ip}'`,
    ]);
    expect(await el.prepareNic(nic, ctx())).toEqual({ nicId: nic.nicId, adopted: true });
    expect((await server.nbctl(['lsp-get-port-security', port])).trim()).toBe(`${nic.mac} ${nic.ip}`);
    expect(await nicIssues(net.networkId, nic.nicId)).toEqual([]);
  });

  it('shows an ACL changed with ovn-nbctl as an issue, and implementNetwork sets it back in place', async () => {
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    await el.implementVpc(vpc, ctx());
    await el.implementNetwork(net, ctx());
    const pg = names.portGroup(net.networkId);
    const uuid = (
      await server.nbctl([
        '--bare',
        '--columns=_uuid',
        'find',
        'ACL',
        'priority=1000',
        `match="outport == @${pg} && ip4"`,
      ])
    ).trim();
    await server.nbctl(['set', 'ACL', uuid, 'action=allow']);
    await waitFor(
      () => networkIssues(net.networkId),
      (i) => i.length > 0,
    );
    const match = `outport == @${pg} && ip4`;
    expect(await networkIssues(net.networkId)).toEqual([
      `ACL default-deny of tier ${net.name} is to-lport 1000 '${match}' allow, expected to-lport 1000 '${match}' drop`,
    ]);
    await el.implementNetwork(net, ctx());
    expect((await server.nbctl(['get', 'ACL', uuid, 'action'])).trim()).toBe('drop'); // the same row
    expect(await aclLines(pg)).toHaveLength(3);
    expect(await networkIssues(net.networkId)).toEqual([]);
  });

  it('shows a port group deleted with ovn-nbctl, and implementNetwork recreates it with its ACLs and the NIC ports', async () => {
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    await el.implementVpc(vpc, ctx());
    await el.implementNetwork(net, ctx());
    const nics = [nicSpec(net, 6), nicSpec(net, 7)];
    await el.prepareNics(nics, ctx());
    const pg = names.portGroup(net.networkId);
    await server.nbctl(['pg-del', pg]);
    await waitFor(
      () => networkIssues(net.networkId),
      (i) => i.includes(`port group ${pg} of tier ${net.name} is missing`),
    );
    await el.implementNetwork(net, ctx());
    expect(await aclLines(pg)).toHaveLength(3);
    const members = (await server.nbctl(['--bare', '--columns=ports', 'list', 'Port_Group', pg]))
      .trim()
      .split(/\s+/);
    expect(members).toHaveLength(2);
    expect(await networkIssues(net.networkId)).toEqual([]);
    for (const nic of nics) expect(await nicIssues(net.networkId, nic.nicId)).toEqual([]);
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
    expect(await networkIssues(net.networkId)).toEqual([
      `router port ${names.routerPort(net.networkId)} of tier ${net.name} is missing`,
    ]);
    await el.implementNetwork(net, ctx());
    expect(await routerPort()).toBe(`${net.gateway}/24`);
    expect(await networkIssues(net.networkId)).toEqual([]);
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
    expect(await networkIssues(net.networkId)).toEqual([`DHCP_Options of tier ${net.name} are missing`]);
    await el.implementNetwork(net, ctx());
    await el.implementNetwork(net, ctx()); // converged: still one row
    const dhcpRows = await server.nbctl([
      '--bare',
      '--columns=_uuid',
      'find',
      'DHCP_Options',
      `cidr="${net.cidr}"`,
    ]);
    expect(dhcpRows.trim().split('\n').filter(Boolean)).toHaveLength(1);
    expect(await networkIssues(net.networkId)).toEqual([]);
    expect(await nicIssues(net.networkId, nic.nicId)).toEqual([]);
    expect(await networkAttrs(net.networkId)).toMatchObject({ dhcp: net.cidr });
    const repaired = (await dhcpOfPort()).trim();
    expect(repaired).not.toBe('');
    expect(await server.nbctl(['get', 'DHCP_Options', repaired, 'cidr'])).toContain(net.cidr);
  });

  it('shows a deleted source NAT and a deleted localnet port as issues, and implementNetwork recreates them', async () => {
    const vlanEl = createElement(server.tcpEndpoint, {
      localnetNetworkName: 'physnet1',
      snatExternalIp: '198.51.100.7',
    });
    try {
      const vpc = vpcSpec();
      const net = {
        ...networkSpec(vpc, ['Connectivity', 'SourceNat']),
        isolation: { method: 'VLAN' as const, segmentId: 777 },
      };
      await vlanEl.implementVpc(vpc, ctx());
      await vlanEl.implementNetwork(net, ctx());
      const issues = async () => [
        ...((await vlanEl.observe({ networkIds: [net.networkId] }, ctx())).resources.find(
          (r) => r.kind === 'network',
        )?.issues ?? []),
      ];
      expect(await issues()).toEqual([]);
      await server.nbctl(['lr-nat-del', names.router(vpc.vpcId), 'snat', net.cidr]);
      await server.nbctl(['lsp-del', names.localnetPort(net.networkId)]);
      await waitFor(issues, (i) => i.length === 2);
      expect((await issues()).sort()).toEqual(
        [`localnet port of tier ${net.name} is missing`, `source NAT of tier ${net.name} is missing`].sort(),
      );
      await vlanEl.implementNetwork(net, ctx());
      expect(await issues()).toEqual([]);
      expect(await server.nbctl(['lr-nat-list', names.router(vpc.vpcId)])).toContain('198.51.100.7');
      expect(
        (
          await server.nbctl(['get', 'Logical_Switch_Port', names.localnetPort(net.networkId), 'tag_request'])
        ).trim(),
      ).toBe('777');
    } finally {
      await vlanEl.close();
    }
  });

  it('shows a DHCP option edited with ovn-nbctl as an issue; implementNetwork sets ours back and keeps added ones', async () => {
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    await el.implementVpc(vpc, ctx());
    await el.implementNetwork(net, ctx());
    const uuid = (
      await server.nbctl(['--bare', '--columns=_uuid', 'find', 'DHCP_Options', `cidr="${net.cidr}"`])
    ).trim();
    await server.nbctl([
      'set',
      'DHCP_Options',
      uuid,
      'options:router=10.9.9.9',
      'options:dns_server=192.0.2.53',
    ]);
    await waitFor(
      () => networkIssues(net.networkId),
      (i) => i.length > 0,
    );
    expect(await networkIssues(net.networkId)).toEqual([
      `DHCP_Options of tier ${net.name} have router '10.9.9.9', expected '${net.gateway}'`,
    ]);
    await el.implementNetwork(net, ctx());
    const options = await server.nbctl(['dhcp-options-get-options', uuid]);
    expect(options).toContain(`router=${net.gateway}`);
    expect(options).toContain('dns_server=192.0.2.53');
    expect(await networkIssues(net.networkId)).toEqual([]);
  });
});
