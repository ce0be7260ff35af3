// Network ACL lists as ACL rows on the tier's Port_Group, on a real ovsdb-server, checked with ovn-nbctl acl-list:
// priorities from rule numbers, allow-related / drop, to-lport for Ingress and from-lport for Egress, the fixed
// default rows kept; applying again adopts; a new list replaces the old rows; the built-in lists' rows; a tier that
// is not implemented is INVALID_REQUEST; implementNetwork (repair) leaves the list rows alone.
import type { NetworkAclSpec, NetworkElement, NetworkSpec } from '@netplane/adapter-sdk';
import { type OvsdbServerHandle, startOvsdbServer } from '@netplane/ovsdb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../src';
import { networkSpec, aclRule as rule, aclSpec as spec, vpcSpec } from './fixtures';
import { createElement, ctx } from './support';

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

async function tier() {
  const vpc = vpcSpec();
  const net = networkSpec(vpc);
  await el.implementVpc(vpc, ctx());
  await el.implementNetwork(net, ctx());
  return net;
}

function apply(acl: NetworkAclSpec) {
  if (!el.applyNetworkAcl) throw new Error('the OVN element has applyNetworkAcl');
  return el.applyNetworkAcl(acl, ctx());
}

/** `ovn-nbctl acl-list <port group>` lines, e.g. "to-lport 19990 (outport == @pg && ...) drop". */
async function aclLines(net: NetworkSpec): Promise<string[]> {
  const out = await server.nbctl(['acl-list', names.portGroup(net.networkId)]);
  return out
    .trim()
    .split('\n')
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
}

describe('OVN network ACL lists', () => {
  it('writes one row per rule above the fixed rows, priority 20000 - number, and adopts the same list', async () => {
    const net = await tier();
    const pg = `@${names.portGroup(net.networkId)}`;
    const rules = [
      rule(10),
      rule(20, { action: 'deny', portStart: 22, portEnd: 22, cidrs: ['0.0.0.0/0'] }),
      rule(30, {
        protocol: 'udp',
        portStart: 1000,
        portEnd: 2000,
        trafficType: 'Egress',
        cidrs: ['192.0.2.0/24', '198.51.100.0/24'],
      }),
      rule(40, { protocol: 'icmp', portStart: null, portEnd: null, icmpType: 8, icmpCode: 0 }),
      rule(50, { protocol: 'all', portStart: null, portEnd: null, action: 'deny', trafficType: 'Egress' }),
    ];
    await expect(apply(spec(net, rules))).resolves.toEqual({ adopted: false });
    const lines = await aclLines(net);
    const c = net.cidr;
    expect(lines).toEqual(
      expect.arrayContaining([
        `to-lport 19990 (outport == ${pg} && ip4 && ip4.src == 10.1.200.0/24 && ip4.src != ${c} && tcp.dst == 5432) allow-related`,
        `to-lport 19980 (outport == ${pg} && ip4 && ip4.src != ${c} && tcp.dst == 22) drop`,
        `from-lport 19970 (inport == ${pg} && ip4 && ip4.dst == {192.0.2.0/24, 198.51.100.0/24} && ip4.dst != {${c}, 255.255.255.255} && udp.dst >= 1000 && udp.dst <= 2000) allow-related`,
        `to-lport 19960 (outport == ${pg} && ip4 && ip4.src == 10.1.200.0/24 && ip4.src != ${c} && icmp4 && icmp4.type == 8 && icmp4.code == 0) allow-related`,
        `from-lport 19950 (inport == ${pg} && ip4 && ip4.dst == 10.1.200.0/24 && ip4.dst != {${c}, 255.255.255.255}) drop`,
        // implementNetwork's fixed rows: the implicit part of every list
        `from-lport 1001 (inport == ${pg} && ip4) allow-related`,
        `to-lport 1001 (outport == ${pg} && ip4 && ip4.src == ${c}) allow-related`,
        `to-lport 1000 (outport == ${pg} && ip4) drop`,
      ]),
    );
    expect(lines).toHaveLength(8);
    await expect(apply(spec(net, rules))).resolves.toEqual({ adopted: true });
    expect(await aclLines(net)).toEqual(lines);
    // Repair (implement again) keeps the list's rows.
    await el.implementNetwork(net, ctx());
    expect(await aclLines(net)).toEqual(lines);
  });

  it('replaces the rows of another list, and writes the built-in lists as CloudStack has them', async () => {
    const net = await tier();
    const pg = `@${names.portGroup(net.networkId)}`;
    await apply(spec(net, [rule(10), rule(20)]));
    const denyAll = { protocol: 'all' as const, portStart: null, portEnd: null, cidrs: ['0.0.0.0/0'] };
    await expect(
      apply(spec(net, [rule(1, { ...denyAll, action: 'deny' })], 'default_deny')),
    ).resolves.toEqual({ adopted: false });
    let lines = await aclLines(net);
    expect(lines).toHaveLength(4);
    expect(lines).toContain(`to-lport 19999 (outport == ${pg} && ip4 && ip4.src != ${net.cidr}) drop`);
    await apply(
      spec(net, [rule(1, denyAll), rule(2, { ...denyAll, trafficType: 'Egress' })], 'default_allow'),
    );
    lines = await aclLines(net);
    expect(lines).toHaveLength(5);
    expect(lines).toEqual(
      expect.arrayContaining([
        `to-lport 19999 (outport == ${pg} && ip4 && ip4.src != ${net.cidr}) allow-related`,
        `from-lport 19998 (inport == ${pg} && ip4 && ip4.dst != {${net.cidr}, 255.255.255.255}) allow-related`,
      ]),
    );
    const groups = await server.nbctl([
      '--bare',
      '--columns=external_ids',
      'find',
      'Port_Group',
      `name=${names.portGroup(net.networkId)}`,
    ]);
    expect(groups).toContain('netplane:acl_list=default_allow');
    // An empty list leaves the fixed rows only.
    await apply(spec(net, [], 'empty'));
    expect(await aclLines(net)).toHaveLength(3);
  });

  it('refuses a tier that is not implemented and a spec version it does not know', async () => {
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    await expect(apply(spec(net, []))).rejects.toMatchObject({ category: 'INVALID_REQUEST' });
    const implemented = await tier();
    const v2 = { ...spec(implemented, []), version: 2 } as unknown as NetworkAclSpec;
    await expect(apply(v2)).rejects.toMatchObject({ category: 'INVALID_REQUEST' });
  });
});
