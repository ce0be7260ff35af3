// DHCP options beyond addressing (issue 11 point 5) on a real ovsdb-server with ovn-northd: the MTU is the physical
// MTU minus the isolation method's overhead, dns_server and domain_name follow the zone's settings on every
// implementNetwork (a cleared domain goes, an operator's own option stays), and the DHCP reply ovn-trace computes
// carries them.
import type { NetworkElement, NetworkSpec } from '@netplane/adapter-sdk';
import {
  type NorthdHandle,
  type OvsdbServerHandle,
  ovnTrace,
  startNorthd,
  startOvsdbServer,
} from '@netplane/ovsdb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../src';
import { ENCAPSULATION_OVERHEAD, guestMtu } from '../src/dhcp';
import { networkSpec, nicSpec, vpcSpec } from './fixtures';
import { createElement, ctx } from './support';

describe('guest MTU per isolation method', () => {
  it.each([
    ['VLAN', 1500, 1500],
    ['GENEVE', 1500, 1442],
    ['VXLAN', 1500, 1450],
    ['GENEVE', 9000, 8942],
  ] as const)('%s on a %i link gives %i', (method, physicalMtu, mtu) => {
    const n = { isolation: { method, segmentId: 1 }, dhcp: { dnsServers: [], dnsDomain: null, physicalMtu } };
    expect(guestMtu(n)).toBe(mtu);
  });

  it('assumes a 1500 link when the engine sends no settings', () => {
    expect(guestMtu({ isolation: { method: 'GENEVE', segmentId: 1 } })).toBe(
      1500 - ENCAPSULATION_OVERHEAD.GENEVE,
    );
  });
});

describe('DHCP options from the zone and physical network', () => {
  let server: OvsdbServerHandle;
  let northd: NorthdHandle;
  let el: NetworkElement;

  beforeAll(async () => {
    server = await startOvsdbServer();
    northd = await startNorthd(server);
    el = createElement(server.unixEndpoint);
  });
  afterAll(async () => {
    await el?.close();
    await northd?.dispose();
    await server?.dispose();
  });

  const optionsOf = async (n: NetworkSpec) => {
    const uuid = (
      await server.nbctl(['--bare', '--columns=_uuid', 'find', 'DHCP_Options', `cidr="${n.cidr}"`])
    ).trim();
    const lines = (await server.nbctl(['dhcp-options-get-options', uuid])).trim().split('\n');
    return {
      uuid,
      options: Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      ),
    };
  };

  it('sets mtu, dns_server and domain_name, follows changed settings and keeps an operator option', async () => {
    const vpc = vpcSpec();
    const base = networkSpec(vpc);
    const net: NetworkSpec = {
      ...base,
      dhcp: { dnsServers: ['192.0.2.53', '192.0.2.54'], dnsDomain: 'cloud.example.org', physicalMtu: 9000 },
    };
    await el.implementVpc(vpc, ctx());
    await el.implementNetwork(net, ctx());
    const { uuid, options } = await optionsOf(net);
    expect(options).toMatchObject({
      mtu: '8942',
      dns_server: '{192.0.2.53, 192.0.2.54}',
      domain_name: '"cloud.example.org"',
    });

    // The DHCP reply northd compiles from these rows carries them (a NIC needs a port for the trace).
    const nic = nicSpec(net, 1);
    const [prepared] = await el.prepareNics([nic], ctx());
    expect(prepared?.ok).toBe(true);
    const v = await ovnTrace(northd, {
      datapath: names.switch(net.networkId),
      inport: names.nicPort(nic.nicId),
      ethSrc: nic.mac,
      ethDst: 'ff:ff:ff:ff:ff:ff',
      kind: 'dhcpDiscover',
    });
    expect(v.delivered, v.raw).toEqual([{ port: names.nicPort(nic.nicId), type: '' }]);
    expect(v.dhcpOffer, v.raw).toMatchObject({
      offerip: nic.ip,
      mtu: '8942',
      dns_server: '{192.0.2.53, 192.0.2.54}',
      domain_name: '"cloud.example.org"',
    });

    // An operator adds their own option; the zone then gets one resolver and no domain, the link a smaller MTU.
    await server.nbctl(['set', 'DHCP_Options', uuid, 'options:ntp_server=192.0.2.123']);
    const changed: NetworkSpec = {
      ...base,
      dhcp: { dnsServers: ['192.0.2.99'], dnsDomain: null, physicalMtu: 1500 },
    };
    await el.implementNetwork(changed, ctx());
    const after = (await optionsOf(changed)).options;
    expect(after).toMatchObject({ mtu: '1442', dns_server: '192.0.2.99', ntp_server: '192.0.2.123' });
    expect(after).not.toHaveProperty('domain_name');
    const traced = await ovnTrace(northd, {
      datapath: names.switch(net.networkId),
      inport: names.nicPort(nic.nicId),
      ethSrc: nic.mac,
      ethDst: 'ff:ff:ff:ff:ff:ff',
      kind: 'dhcpDiscover',
    });
    expect(traced.dhcpOffer, traced.raw).toMatchObject({ mtu: '1442', dns_server: '192.0.2.99' });
    expect(traced.dhcpOffer).not.toHaveProperty('domain_name');
  });
});
