// The pure part of reconciliation: desired rules against observed nat/lb rows, rules in flight never drift, the
// tier's own SNAT rows are not static NATs, and every issue an adapter reports is drift on the tier it belongs to.
import type { ObservedResource } from '@netplane/adapter-sdk';
import { describe, expect, it } from 'vitest';
import { type Desired, diff } from '../src/lifecycle/drift';

const tier = 'net-1';
const nat = (id: string, externalIp: string, logicalIp: string): ObservedResource => ({
  kind: 'nat',
  id,
  name: id,
  attributes: { type: 'dnat_and_snat', externalIp, logicalIp },
});

describe('reconcile diff of public services and issues', () => {
  const desired: Desired[] = [
    {
      resource: 'nat',
      id: 'rule-a',
      networkId: tier,
      attributes: { type: 'dnat_and_snat', externalIp: '203.0.113.1', logicalIp: '10.0.1.5' },
    },
    {
      resource: 'lb',
      id: 'rule-b',
      networkId: tier,
      attributes: { vip: '203.0.113.2:80', protocol: 'tcp', members: '10.0.1.5:8080,10.0.1.6:8080' },
    },
  ];

  it('finds a missing static NAT, LB members that differ, and an extra rule of ours', () => {
    const observed: ObservedResource[] = [
      {
        kind: 'lb',
        id: 'rule-b',
        name: 'b',
        attributes: { vip: '203.0.113.2:80', protocol: 'tcp', members: '10.0.1.5:8080' },
      },
      nat('rule-gone', '203.0.113.9', '10.0.1.9'),
      // The tier's source NAT is kind nat too, but not a static NAT.
      {
        kind: 'nat',
        id: `${tier}/snat`,
        name: 'snat',
        attributes: { type: 'snat', externalIp: 'x', logicalIp: 'y' },
      },
    ];
    expect(diff('c1', desired, observed)).toEqual([
      { kind: 'missing', resource: 'nat', id: 'rule-a', controllerId: 'c1', networkId: tier },
      {
        kind: 'different',
        resource: 'lb',
        id: 'rule-b',
        controllerId: 'c1',
        networkId: tier,
        differences: { members: { want: '10.0.1.5:8080,10.0.1.6:8080', have: '10.0.1.5:8080' } },
      },
      { kind: 'extra', resource: 'nat', id: 'rule-gone', controllerId: 'c1', networkId: null },
    ]);
  });

  it('leaves a rule of ours that is being applied, revoked or in Error alone', () => {
    const observed = [
      nat('rule-a', '203.0.113.1', '10.0.1.5'),
      nat('rule-in-error', '203.0.113.7', '10.0.1.7'),
    ];
    expect(diff('c1', desired.slice(0, 1), observed, new Set(['rule-a', 'rule-in-error']))).toEqual([]);
  });

  it('reports every issue as drift on the tier the resource belongs to', () => {
    const observed: ObservedResource[] = [
      {
        kind: 'network',
        id: tier,
        name: 'web',
        attributes: {},
        issues: ['router port of tier web is missing'],
      },
      {
        kind: 'acl',
        id: `${tier}/allow-egress`,
        name: 'acl',
        attributes: {},
        issues: ['ACL allow-egress of tier web is missing'],
      },
    ];
    const drift = diff('c1', [{ resource: 'network', id: tier, networkId: tier, attributes: {} }], observed);
    expect(drift).toEqual([
      {
        kind: 'different',
        resource: 'network',
        id: tier,
        controllerId: 'c1',
        networkId: tier,
        message: 'router port of tier web is missing',
      },
      {
        kind: 'different',
        resource: 'acl',
        id: `${tier}/allow-egress`,
        controllerId: 'c1',
        networkId: tier,
        message: 'ACL allow-egress of tier web is missing',
      },
    ]);
  });
});
