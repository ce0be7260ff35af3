// ACL list drift on a real ovsdb-server: observe() reports the list a tier holds (kind acl, id <networkId>/list) with
// its rules digest, and an issue for every list row deleted, changed or re-tagged with ovn-nbctl behind our back, or
// for a record that is gone; applying the list again repairs it (and is not an adoption).
import {
  aclListResourceId,
  aclRulesDigest,
  type NetworkAclSpec,
  type NetworkElement,
  type NetworkSpec,
  type ObservedResource,
} from '@netplane/adapter-sdk';
import { type OvsdbServerHandle, startOvsdbServer } from '@netplane/ovsdb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../src';
import { aclRule, aclSpec, networkSpec, vpcSpec } from './fixtures';
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

async function tier(): Promise<NetworkSpec> {
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

const heldList = async (net: NetworkSpec): Promise<ObservedResource | undefined> =>
  (await el.observe({ networkIds: [net.networkId] }, ctx())).resources.find(
    (r) => r.kind === 'acl' && r.id === aclListResourceId(net.networkId),
  );

/** The uuid of the ACL row of list rule `rule` (acl:<number>) of the tier. */
async function rowUuid(net: NetworkSpec, rule: string): Promise<string> {
  const out = await server.nbctl([
    '--bare',
    '--columns=_uuid',
    'find',
    'ACL',
    `external_ids:"netplane:network_id"="${net.networkId}"`,
    `external_ids:"netplane:rule"="${rule}"`,
  ]);
  return out.trim();
}

const webList = (net: NetworkSpec) =>
  aclSpec(
    net,
    [aclRule(10), aclRule(20, { action: 'deny', portStart: 22, portEnd: 22, cidrs: ['0.0.0.0/0'] })],
    'web-in',
  );

describe('OVN ACL list drift', () => {
  it('reports the list a tier holds with its digest, and none for a tier no list was applied to', async () => {
    const bare = await tier();
    expect(await heldList(bare)).toBeUndefined();
    const net = await tier();
    const acl = webList(net);
    await apply(acl);
    expect(await heldList(net)).toEqual({
      kind: 'acl',
      id: aclListResourceId(net.networkId),
      name: 'web-in',
      attributes: {
        networkId: net.networkId,
        aclList: 'web-in',
        aclListName: 'web-in',
        aclRules: aclRulesDigest(acl.rules),
      },
    });
  });

  it('names a list row deleted, changed or re-tagged by hand, and applying the list again repairs it', async () => {
    const net = await tier();
    const acl = webList(net);
    await apply(acl);
    const pg = `@${names.portGroup(net.networkId)}`;
    // ACL rows are not root rows: taken out of the group, a row is gone.
    const group = names.portGroup(net.networkId);
    await server.nbctl(['remove', 'Port_Group', group, 'acls', await rowUuid(net, 'acl:20')]);
    await server.nbctl(['set', 'ACL', await rowUuid(net, 'acl:10'), 'action=drop']);
    const label = `tier ${net.name}`;
    const issues = await waitFor(
      async () => [...((await heldList(net))?.issues ?? [])],
      (i) => i.length === 2,
    );
    expect(issues).toEqual([
      `ACL acl:10 of ACL list web-in on ${label} is to-lport 19990 '${`outport == ${pg} && ip4 && ip4.src == 10.1.200.0/24 && ip4.src != ${net.cidr} && tcp.dst == 5432`}' drop, expected to-lport 19990 '${`outport == ${pg} && ip4 && ip4.src == 10.1.200.0/24 && ip4.src != ${net.cidr} && tcp.dst == 5432`}' allow-related`,
      `ACL acl:20 (to-lport 19980 '${`outport == ${pg} && ip4 && ip4.src != ${net.cidr} && tcp.dst == 22`}' drop) of ACL list web-in on ${label} is missing`,
    ]);
    // The digest is the record's: the rows changed, the list the controller was given did not.
    expect((await heldList(net))?.attributes.aclRules).toBe(aclRulesDigest(acl.rules));

    await server.nbctl(['set', 'ACL', await rowUuid(net, 'acl:10'), 'external_ids:"netplane:rule"="acl:99"']);
    await waitFor(
      async () => [...((await heldList(net))?.issues ?? [])],
      (i) =>
        i.some(
          (x) =>
            x.startsWith(`ACL acl:99 (to-lport 19990`) && x.endsWith(`on ${label} is not in ACL list web-in`),
        ),
    );

    expect(await apply(acl)).toEqual({ adopted: false });
    expect((await heldList(net))?.issues).toBeUndefined();
    expect(await apply(acl)).toEqual({ adopted: true });
  });

  it('reports a list whose record is gone without a digest, and applying it again writes the record', async () => {
    const net = await tier();
    const acl = webList(net);
    await apply(acl);
    await server.nbctl([
      'remove',
      'Port_Group',
      names.portGroup(net.networkId),
      'external_ids',
      '"netplane:acl_spec"',
    ]);
    const held = await waitFor(
      () => heldList(net),
      (r) => r?.attributes.aclRules === undefined,
    );
    expect(held?.attributes).toMatchObject({ aclList: 'web-in', aclListName: '' });
    expect(held?.issues).toEqual([
      `ACL list web-in of tier ${net.name} has no readable record of its rules on port group ${names.portGroup(net.networkId)}`,
    ]);
    // Same rows, same list id: without the record that is not an adoption.
    expect(await apply(acl)).toEqual({ adopted: false });
    expect((await heldList(net))?.attributes.aclRules).toBe(aclRulesDigest(acl.rules));
    expect((await heldList(net))?.issues).toBeUndefined();
  });
});
