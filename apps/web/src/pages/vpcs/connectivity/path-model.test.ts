import type { TraceHop, TraceResult } from '@netplane/domain';
import { describe, expect, it } from 'vitest';
import { dropNode, hopLabel, layoutPath, NODE, pathNodes, refLink } from './path-model';
import { pictureLabel } from './trace-picture';

const hop = (over: Partial<TraceHop>): TraceHop => ({
  kind: 'switch',
  verdict: 'pass',
  at: { type: 'tier', id: 't-web', name: 'web' },
  summary: 'switched',
  evidence: [],
  ...over,
});
const denyAt = hop({
  kind: 'acl',
  verdict: 'drop',
  at: { type: 'tier', id: 't-db', name: 'db' },
  summary: 'ACL list db-acl rule 20 (deny tcp 5432 from 10.1.1.0/24) dropped it',
  ref: { type: 'aclRule', listId: 'L1', ruleId: 'R20', number: 20, action: 'deny', trafficType: 'Ingress' },
  evidence: ['ls_in_acl priority 1980 match ip4.src == 10.1.1.0/24 && tcp.dst == 5432 → drop'],
});
const result = (over: Partial<TraceResult>): TraceResult => ({
  outcome: 'dropped',
  reason: 'AclDenied',
  message: 'Dropped by ACL',
  hops: [
    hop({ kind: 'portSecurity' }),
    hop({ kind: 'route', at: { type: 'router', id: null, name: 'vpc' } }),
    denyAt,
  ],
  deliveredTo: null,
  tool: { name: 'simulator' },
  ...over,
});
const ends = { source: 'web-1 10.1.1.5', destination: 'db-1 10.1.2.5' };

describe('pathNodes', () => {
  it('starts at the source, one node per hop, and marks the drop in words and with a link to the rule', () => {
    const nodes = pathNodes('V1', result({}), ends);
    expect(nodes.map((n) => [n.label, n.status])).toEqual([
      ['Source', 'start'],
      ['Port security', 'pass'],
      ['Router', 'pass'],
      ['ACL ingress', 'drop'],
      ['Destination', 'unreached'],
    ]);
    expect(nodes.at(-1)).toMatchObject({ place: 'db-1 10.1.2.5', statusText: 'not reached' });
    const drop = dropNode(nodes);
    expect(drop?.statusText).toBe('✗ denied here');
    expect(drop?.place).toBe('db');
    expect(drop?.evidence).toHaveLength(1);
    expect(drop?.link).toEqual({
      to: '/vpcs/V1?acl=L1&rule=R20#network-acls',
      label: 'Open rule 20 in the ACL editor',
    });
  });

  it('ends with a delivered node naming the address and port it arrived at', () => {
    const nodes = pathNodes(
      'V1',
      result({
        outcome: 'delivered',
        reason: 'Delivered',
        hops: [hop({ kind: 'deliver', at: { type: 'tier', id: 't-db', name: 'db' } })],
        deliveredTo: { nicId: 'N2', ip: '10.1.2.5', port: 5432 },
      }),
      ends,
    );
    expect(nodes.at(-1)).toMatchObject({
      label: 'Delivered',
      status: 'delivered',
      statusText: '✓ delivered',
    });
    expect(nodes.at(-1)?.summary).toBe('Delivered to 10.1.2.5:5432.');
    expect(dropNode(nodes)).toBeUndefined();
  });

  it('adds a dropped end when no hop says where (an implicit drop after the last hop)', () => {
    const nodes = pathNodes(
      'V1',
      result({ hops: [hop({})], message: 'No route to 8.8.8.8', reason: 'NoRoute' }),
      ends,
    );
    expect(nodes.at(-2)).toMatchObject({ label: 'Dropped', status: 'drop', summary: 'No route to 8.8.8.8' });
    expect(nodes.at(-1)?.status).toBe('unreached');
  });

  it('draws nothing past the start for an unavailable trace', () => {
    const nodes = pathNodes(
      'V1',
      result({ outcome: 'unavailable', hops: [], reason: 'TraceToolMissing' }),
      ends,
    );
    expect(nodes).toHaveLength(1);
  });
});

describe('hop labels and links', () => {
  it('names NAT hops by their rule and links each rule to its section', () => {
    expect(hopLabel(hop({ kind: 'nat', ref: { type: 'portForwarding', ruleId: 'P' } }))).toBe(
      'Port forwarding',
    );
    expect(hopLabel(hop({ kind: 'nat', ref: { type: 'sourceNat', publicIp: '203.0.113.10' } }))).toBe(
      'Source NAT',
    );
    expect(hopLabel(hop({ kind: 'lb' }))).toBe('Load balancer');
    expect(refLink('V1', { type: 'staticNat', ruleId: 'S' })?.to).toBe('/vpcs/V1#public-ips');
    expect(refLink('V1', { type: 'lbRule', ruleId: 'B' })?.to).toBe('/vpcs/V1#load-balancers');
    expect(refLink('V1', { type: 'nic', nicId: 'N' })).toBeUndefined();
  });

  it("links a list's default decision to the list, not a rule", () => {
    const link = refLink('V1', {
      type: 'aclRule',
      listId: 'L1',
      ruleId: null,
      number: null,
      action: 'deny',
      trafficType: 'Ingress',
    });
    expect(link).toEqual({ to: '/vpcs/V1?acl=L1#network-acls', label: 'Open the ACL list' });
  });

  it('says the whole path in the picture label, the drop first', () => {
    const label = pictureLabel(pathNodes('V1', result({}), ends));
    expect(label.startsWith('Dropped at ACL ingress on db.')).toBe(true);
    expect(label).toContain('Port security (web): passed, then Router (vpc): passed');
  });
});

describe('layoutPath', () => {
  it('puts at most perRow nodes in a row, left to right, and bends the edge between rows', () => {
    const nodes = pathNodes('V1', result({ hops: Array.from({ length: 6 }, () => hop({})) }), ends);
    const layout = layoutPath(nodes, 5);
    // start, 6 hops, the implicit drop and the unreached destination: 5 + 4.
    const second = 8 + NODE.height + NODE.gapY;
    expect(layout.nodes.map((n) => n.y)).toEqual([8, 8, 8, 8, 8, second, second, second, second]);
    expect(layout.nodes[5]?.x).toBe(layout.nodes[0]?.x);
    expect(layout.edges).toHaveLength(8);
    expect(layout.edges[0]?.d).toMatch(/^M\d+ \d+ H\d+$/);
    expect(layout.edges[4]?.d).toContain(' V');
    expect(layout.width).toBe(16 + 5 * NODE.width + 4 * NODE.gapX);
    expect(layout.height).toBe(16 + 2 * NODE.height + NODE.gapY);
  });
});
