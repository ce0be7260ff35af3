// The OVN mapping, checked with ovn-nbctl (not only through our own client) on a real ovsdb-server.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AdapterError, type NetworkElement } from '@netplane/adapter-sdk';
import { map, namedUuid, OvsdbClient, op, rawTransact, set } from '@netplane/ovsdb';
import { OVN_NB_SCHEMA, type OvsdbServerHandle, startOvsdbServer } from '@netplane/ovsdb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ovnAdapter, {
  mapOvsdbError,
  names,
  ovnConfigSchema,
  ovnCredentialSchema,
  rawPrepareOps,
} from '../src';
import { networkSpec, nicSpec, vpcSpec } from './fixtures';
import { createElement, ctx, nbctlList } from './support';

const run = promisify(execFile);
let server: OvsdbServerHandle;
let el: NetworkElement;

beforeAll(async () => {
  server = await startOvsdbServer();
  el = createElement(server.unixEndpoint, { snatExternalIp: '203.0.113.10' });
});
afterAll(async () => {
  await el?.close();
  await server?.dispose();
});

describe('OVN mapping', () => {
  it('declares an honest manifest: OVSDB, GENEVE only, the services it configures', () => {
    const m = ovnAdapter.manifest;
    expect(m).toMatchObject({ id: 'ovn', vendor: 'OVN', protocol: 'OVSDB', supportsBatchPrepare: true });
    expect(m.isolationMethods).toEqual(['GENEVE', 'VLAN']);
    expect(Object.keys(m.services).sort()).toEqual([
      'Connectivity',
      'Dhcp',
      'Gateway',
      'Lb',
      'NetworkACL',
      'PortForwarding',
      'SourceNat',
      'StaticNat',
    ]);
    // OVN hashes flows: source affinity is the only algorithm it really has.
    expect(m.services.Lb).toEqual({ SupportedLbAlgorithms: ['source'], SupportedProtocols: ['tcp', 'udp'] });
    expect(m.services.StaticNat).toEqual({});
    // A port forward is a one-backend Load_Balancer: tcp and udp, like Lb.
    expect(m.services.PortForwarding).toEqual({ SupportedProtocols: ['tcp', 'udp'] });
    expect(ovnCredentialSchema.parse({})).toEqual({});
    expect(() => ovnConfigSchema.parse({ snatExternalIp: 'nope' })).toThrow();
    expect(m.credentialSchema.required ?? []).toEqual([]);
    expect(m.configSchema.properties?.snatExternalIp).toMatchObject({ format: 'ipv4' });
  });

  it('declines VLAN tiers without a localnet network name, VXLAN, and SourceNat without a gateway chassis', async () => {
    const vpc = vpcSpec();
    const vlan = { ...networkSpec(vpc), isolation: { method: 'VLAN' as const, segmentId: 100 } };
    expect(await el.canHandle({ network: vlan, service: 'Connectivity' }, ctx())).toMatchObject({
      canHandle: false,
    });
    const plain = createElement(server.unixEndpoint);
    try {
      const verdict = await plain.canHandle({ network: networkSpec(vpc), service: 'SourceNat' }, ctx());
      expect(verdict).toMatchObject({ canHandle: false, reason: expect.stringContaining('gatewayChassis') });
      expect(await plain.canHandle({ network: networkSpec(vpc), service: 'Vpn' }, ctx())).toMatchObject({
        canHandle: false,
      });
    } finally {
      await plain.close();
    }
  });

  it('maps a VPC, a tier and its NICs onto router, switch, ports, DHCP, port-group ACLs and SNAT', async () => {
    const vpc = vpcSpec();
    const net = networkSpec(vpc, ['Connectivity', 'Gateway', 'Dhcp', 'NetworkACL', 'SourceNat']);
    await el.implementVpc(vpc, ctx());
    expect(await el.implementNetwork(net, ctx())).toEqual({
      broadcastUri: `geneve://${net.isolation.segmentId}`,
      adopted: false,
    });
    const nics = [0, 1, 2].map((i) => nicSpec(net, i));
    const results = await el.prepareNics(nics, ctx());
    expect(results.every((r) => r.ok)).toBe(true);

    const lsName = names.switch(net.networkId);
    const routerName = names.router(vpc.vpcId);
    expect(await server.nbctl(['lr-list'])).toContain(routerName);
    expect((await server.nbctl(['lrp-list', routerName])).trim()).toContain(names.routerPort(net.networkId));
    const ports = (await server.nbctl(['lsp-list', lsName])).trim();
    for (const nic of nics) expect(ports).toContain(names.nicPort(nic.nicId));
    expect(ports).toContain(names.switchRouterPort(net.networkId));

    const lsps = await nbctlList(server, 'Logical_Switch_Port', [
      'name',
      'addresses',
      'port_security',
      'dhcpv4_options',
      'external_ids',
    ]);
    for (const nic of nics) {
      const row = lsps.find((r) => r.name === names.nicPort(nic.nicId));
      expect(row?.addresses).toBe(`${nic.mac} ${nic.ip}`);
      expect(row?.port_security).toBe(`${nic.mac} ${nic.ip}`);
      expect(row?.dhcpv4_options).not.toBe('');
      expect(row?.external_ids).toContain(`netplane:nic_id=${nic.nicId}`);
    }
    const rtr = lsps.find((r) => r.name === names.switchRouterPort(net.networkId));
    expect(rtr?.addresses).toBe('router');
    expect(
      await server.nbctl(['get', 'Logical_Switch_Port', names.switchRouterPort(net.networkId), 'type']),
    ).toContain('router');
    expect(
      await server.nbctl(['get', 'Logical_Router_Port', names.routerPort(net.networkId), 'networks']),
    ).toContain(`${net.gateway}/24`);

    const dhcp = await server.nbctl(['dhcp-options-list']);
    expect(dhcp.trim().split('\n')).toHaveLength(1);
    const dhcpUuid = dhcp.trim();
    expect(await server.nbctl(['dhcp-options-get-options', dhcpUuid])).toContain(`router=${net.gateway}`);

    const pg = names.portGroup(net.networkId);
    const acls = await server.nbctl(['acl-list', pg]);
    expect(acls).toContain('drop');
    expect(acls).toContain(`outport == @${pg} && ip4 && ip4.src == ${net.cidr}`);
    const members = await server.nbctl(['--bare', '--columns=ports', 'find', 'Port_Group', `name=${pg}`]);
    expect(members.trim().split(/\s+/)).toHaveLength(3);
    // no per-port ACL rows: the ACLs hang off the group only
    expect((await server.nbctl(['--bare', '--columns=acls', 'list', 'Logical_Switch'])).trim()).toBe('');

    expect(await server.nbctl(['lr-nat-list', routerName])).toMatch(
      /snat\s+203\.0\.113\.10\s+10\.1\.\d+\.0\/24/,
    );
    const extIds = await server.nbctl(['get', 'Logical_Switch', lsName, 'external_ids']);
    expect(extIds).toContain(`"netplane:network_id"="${net.networkId}"`);
    expect(extIds).toContain('"netplane:owner"=netplane');
    // What was just made is complete: no resource reports an issue.
    const observed = (await el.observe({ vpcId: vpc.vpcId }, ctx())).resources;
    expect(observed.filter((r) => r.issues).map((r) => [r.kind, r.id, r.issues])).toEqual([]);
  });

  it('maps a VLAN tier onto a localnet port tagged with the VLAN id, and refuses a VLAN someone else uses', async () => {
    const vlanEl = createElement(server.unixEndpoint, { localnetNetworkName: 'physnet1' });
    try {
      const vpc = vpcSpec();
      const net = { ...networkSpec(vpc), isolation: { method: 'VLAN' as const, segmentId: 321 } };
      expect(await vlanEl.canHandle({ network: net, service: 'Connectivity' }, ctx())).toEqual({
        canHandle: true,
      });
      await vlanEl.implementVpc(vpc, ctx());
      expect(await vlanEl.implementNetwork(net, ctx())).toEqual({
        broadcastUri: 'vlan://321',
        adopted: false,
      });
      const ln = names.localnetPort(net.networkId);
      expect((await server.nbctl(['lsp-get-type', ln])).trim()).toBe('localnet');
      expect((await server.nbctl(['get', 'Logical_Switch_Port', ln, 'tag_request'])).trim()).toBe('321');
      expect(await server.nbctl(['lsp-get-options', ln])).toContain('network_name=physnet1');
      expect((await server.nbctl(['lsp-get-addresses', ln])).trim()).toBe('unknown');
      const observed = await vlanEl.observe({ networkIds: [net.networkId] }, ctx());
      expect(observed.resources.find((r) => r.kind === 'network')?.attributes.localnet).toBe('physnet1/321');
      expect(observed.resources.filter((r) => r.issues)).toEqual([]);

      const other = { ...networkSpec(vpc), isolation: { method: 'VLAN' as const, segmentId: 321 } };
      const err = await vlanEl.implementNetwork(other, ctx()).catch((e: unknown) => e);
      expect(err).toMatchObject({
        category: 'RESOURCE_CONFLICT',
        conflict: { resource: 'VLAN', name: 'physnet1/vlan 321' },
      });
      expect(await server.nbctl(['ls-list'])).not.toContain(names.switch(other.networkId));
    } finally {
      await vlanEl.close();
    }
  });

  it('prepares a batch in one transaction with per-NIC outcomes: a conflicting NIC fails, the others succeed', async () => {
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    await el.implementVpc(vpc, ctx());
    await el.implementNetwork(net, ctx());
    const nics = Array.from({ length: 200 }, (_, i) => nicSpec(net, i));
    const [blocked] = nics;
    await server.nbctl(['lsp-add', names.switch(net.networkId), names.nicPort(blocked?.nicId ?? '')]);
    const results = await el.prepareNics(nics, ctx());
    expect(results.map((r) => r.nicId)).toEqual(nics.map((n) => n.nicId));
    const [first, ...rest] = results;
    expect(first?.ok).toBe(false);
    if (first && !first.ok) {
      expect(first.error.category).toBe('RESOURCE_CONFLICT');
      expect(first.error.conflict).toMatchObject({
        resource: 'Logical_Switch_Port',
        name: names.nicPort(blocked?.nicId ?? ''),
      });
    }
    expect(rest.every((r) => r.ok && !r.result.adopted)).toBe(true);
    const ports = (await server.nbctl(['lsp-list', names.switch(net.networkId)])).trim().split('\n');
    expect(ports).toHaveLength(201); // 199 NICs + the hand-made port + the router-type port
  });

  it('refuses a port created by hand with our name (RESOURCE_CONFLICT) and leaves it untouched', async () => {
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    await el.implementVpc(vpc, ctx());
    await el.implementNetwork(net, ctx());
    const nic = nicSpec(net, 7);
    const name = names.nicPort(nic.nicId);
    await server.nbctl([
      'lsp-add',
      names.switch(net.networkId),
      name,
      '--',
      'lsp-set-addresses',
      name,
      'unknown',
    ]);
    const err = await el.prepareNic(nic, ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).category).toBe('RESOURCE_CONFLICT');
    expect((err as AdapterError).retryable).toBe(false);
    expect((err as AdapterError).conflict?.name).toBe(name);
    expect((await server.nbctl(['lsp-get-addresses', name])).trim()).toBe('unknown');
    // the monitor only replicates rows tagged as ours: the hand-made port is not reported as our NIC
    const observed = await el.observe({ networkIds: [net.networkId] }, ctx());
    expect(observed.resources.filter((r) => r.kind === 'nic')).toEqual([]);
    await el.releaseNic(nic, ctx());
    expect(await server.nbctl(['lsp-list', names.switch(net.networkId)])).toContain(name);
  });

  it('releases a NIC from its switch and its port group in one transaction', async () => {
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    await el.implementVpc(vpc, ctx());
    await el.implementNetwork(net, ctx());
    const [a, b] = [nicSpec(net, 1), nicSpec(net, 2)];
    await el.prepareNics(
      [a, b].filter((n) => n !== undefined),
      ctx(),
    );
    await el.releaseNic(a, ctx());
    const ports = await server.nbctl(['lsp-list', names.switch(net.networkId)]);
    expect(ports).not.toContain(names.nicPort(a.nicId));
    expect(ports).toContain(names.nicPort(b.nicId));
    const members = await server.nbctl([
      '--bare',
      '--columns=ports',
      'find',
      'Port_Group',
      `name=${names.portGroup(net.networkId)}`,
    ]);
    expect(members.trim().split(/\s+/)).toHaveLength(1);
    const rows = await nbctlList(server, 'Logical_Switch_Port', ['name']);
    expect(rows.some((r) => r.name === names.nicPort(a.nicId))).toBe(false); // garbage-collected, not orphaned
  });

  it('destroys a tier and then its VPC, leaving no row of ours behind', async () => {
    const vpc = vpcSpec();
    const net = networkSpec(vpc, ['Connectivity', 'Dhcp', 'NetworkACL', 'SourceNat']);
    await el.implementVpc(vpc, ctx());
    await el.implementNetwork(net, ctx());
    await el.prepareNic(nicSpec(net, 1), ctx());
    await el.destroyNetwork(net, ctx());
    const routerName = names.router(vpc.vpcId);
    expect(await server.nbctl(['lrp-list', routerName])).toBe('');
    expect(await server.nbctl(['lr-nat-list', routerName])).toBe('');
    await el.destroyVpc(vpc, ctx());
    expect(await server.nbctl(['lr-list'])).not.toContain(routerName);
    for (const table of ['Logical_Switch_Port', 'ACL', 'DHCP_Options', 'Port_Group', 'NAT']) {
      const rows = await nbctlList(server, table, ['external_ids']);
      expect(rows.filter((r) => r.external_ids?.includes(net.networkId))).toEqual([]);
    }
  });

  it('answers the health check with the Northbound schema version', async () => {
    const h = await el.healthCheck(ctx());
    expect(h).toMatchObject({ ok: true, version: expect.stringMatching(/^OVN_Northbound \d+\.\d+\.\d+$/) });
    const fromFile = (await run('ovsdb-tool', ['schema-version', OVN_NB_SCHEMA])).stdout.trim();
    expect(h.version).toBe(`OVN_Northbound ${fromFile}`);
  });

  it('maps OVSDB integrity errors to VENDOR_ERROR with the OVSDB error as vendor code and message', async () => {
    const client = await OvsdbClient.connect({ endpoint: server.unixEndpoint });
    try {
      const e = await client
        .transact('OVN_Northbound', [
          op.insert('Logical_Switch', {
            name: 'bad',
            ports: set([['uuid', '00000000-0000-4000-8000-000000000001']]),
          }),
        ])
        .catch((x: unknown) => x);
      const mapped = mapOvsdbError(e);
      expect(mapped).toMatchObject({
        category: 'VENDOR_ERROR',
        vendorCode: 'referential integrity violation',
      });
      expect(mapped.vendorMessage).toBeTruthy();
      const dup = await client
        .transact('OVN_Northbound', [
          op.insert('Logical_Switch', { name: 'dup', ports: set([namedUuid('a'), namedUuid('b')]) }),
          op.insert('Logical_Switch_Port', { name: 'same', external_ids: map({}) }, 'a'),
          op.insert('Logical_Switch_Port', { name: 'same' }, 'b'),
        ])
        .catch((x: unknown) => x);
      expect(mapOvsdbError(dup)).toMatchObject({
        category: 'RESOURCE_CONFLICT',
        vendorCode: 'constraint violation',
      });
    } finally {
      await client.close();
    }
  });
});

describe('raw baseline operations', () => {
  it('write the same ports prepareNics writes: the adapter adopts every one of them', async () => {
    const vpc = vpcSpec();
    const net = networkSpec(vpc, ['Connectivity']);
    await el.implementVpc(vpc, ctx());
    await el.implementNetwork(net, ctx());
    const nics = Array.from({ length: 50 }, (_, i) => nicSpec(net, i));
    await rawTransact(server.tcpEndpoint, 'OVN_Northbound', rawPrepareOps(net.networkId, nics));
    expect((await server.nbctl(['lsp-list', names.switch(net.networkId)])).trim().split('\n')).toHaveLength(
      51,
    );
    const results = await el.prepareNics(nics, ctx());
    expect(results.every((r) => r.ok && r.result.adopted)).toBe(true);
  });
});
