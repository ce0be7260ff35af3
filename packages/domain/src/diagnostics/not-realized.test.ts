import { describe, expect, it } from 'vitest';
import { diagnose } from './diagnose';
import { realizedRemediation } from './not-realized';

describe('NOT_REALIZED', () => {
  it('lists every part off with its reason and evidence, and remediates per reason', () => {
    const d = diagnose({
      target: { type: 'vpc', id: 'v1', name: 'shop' },
      vpcId: 'v1',
      jobId: 'j1',
      failure: {
        kind: 'notRealized',
        controllerId: 'c1',
        controllerName: 'ovn-1',
        parts: [
          {
            entity: 'nic',
            id: 'n1',
            name: 'vm-1 (10.0.1.5)',
            reason: 'PortNotBound',
            message: 'm',
            evidence: ['e'],
          },
          {
            entity: 'staticNat',
            id: 'r1',
            name: '203.0.113.5',
            reason: 'NoGatewayChassis',
            message: 'm',
            evidence: [],
          },
        ],
      },
    });
    expect(d.category).toBe('NOT_REALIZED');
    expect(d.title).toBe('Not realized');
    expect(d.sentence).toBe(
      'VPC shop is implemented and in sync, but controller ovn-1 has not put 2 parts of it into effect: NIC vm-1 (10.0.1.5) (PortNotBound), static NAT 203.0.113.5 (NoGatewayChassis).',
    );
    expect(d.evidence.notRealized).toHaveLength(2);
    expect(d.evidence.controller).toEqual({ id: 'c1', name: 'ovn-1' });
    expect(d.remediation).toContain('claimed these ports');
    expect(d.remediation).toContain('gatewayChassis');
    expect(d.actions).toEqual(['open-controller']);
  });

  it('names ovn-northd and both databases for NorthdNotRunning, and gives general advice for a reason of its own', () => {
    expect(realizedRemediation('NorthdNotRunning', 'controller x')).toMatch(
      /ovn-northd.*Northbound and the Southbound/,
    );
    expect(realizedRemediation('SomethingElse', 'controller x')).toContain('reconcile');
  });
});
