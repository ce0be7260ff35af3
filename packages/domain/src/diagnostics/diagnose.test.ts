import { describe, expect, it } from 'vitest';
import { ADAPTER_ERROR_CATEGORIES, DIAGNOSIS_CATEGORIES } from '../vocabulary';
import { diagnosisCategoryOf, titleOf } from './categories';
import { diagnose } from './diagnose';
import type { DiagnosisTarget, FailedCall, FailureFacts, TraceEntry } from './types';

const pn = { id: 'pn-id', name: 'pn-1' };
const tier = { type: 'network' as const, id: 't-1', name: 'web' };
const nic = { type: 'nic' as const, id: 'n-1', name: 'vm-1/eth0' };

function negotiation(trace: TraceEntry[], service = 'Connectivity'): FailureFacts {
  return {
    target: tier,
    vpcId: 'v-1',
    jobId: 'j-1',
    failure: { kind: 'negotiation', service, physicalNetwork: pn, trace },
  };
}
function callFailure(
  call: Partial<FailedCall> & Pick<FailedCall, 'category'>,
  target: DiagnosisTarget = nic,
): FailureFacts {
  const full: FailedCall = {
    phase: 'prepare',
    element: 'simulator',
    controllerId: 'c-1',
    controllerName: 'sim-ctl',
    message: 'boom',
    ...call,
  };
  return { target, vpcId: 'v-1', jobId: 'j-1', failure: { kind: 'call', call: full } };
}
const skip = (
  provider: string,
  verdict: TraceEntry['verdict'],
  extra: Partial<TraceEntry> = {},
): TraceEntry => ({
  service: 'Connectivity',
  provider,
  verdict,
  ...extra,
});

describe('negotiation diagnoses', () => {
  it('names provider, physical network, service and both label sets on a tag mismatch', () => {
    const d = diagnose(
      negotiation([skip('SimNet', 'TAG_MISMATCH', { providerLabels: ['gold'], requiredLabels: ['silver'] })]),
    );
    expect(d.category).toBe('TAG_MISMATCH');
    expect(d.sentence).toBe(
      "Provider SimNet on physical network pn-1 was skipped for Connectivity because its labels [gold] do not match the offering's [silver].",
    );
    expect(d.actions).toEqual(['rerun-negotiation']);
    expect(d.evidence.trace).toHaveLength(1);
    expect(d.remediation).toContain('pn-1');
  });

  it('refines to ISOLATION_UNSUPPORTED when every provider lacks the isolation method', () => {
    const d = diagnose(
      negotiation([
        skip('A', 'ISOLATION_UNSUPPORTED', { isolationMethod: 'VXLAN', supportedIsolation: ['VLAN'] }),
        skip('B', 'ISOLATION_UNSUPPORTED', { isolationMethod: 'VXLAN', supportedIsolation: ['GRE'] }),
      ]),
    );
    expect(d.category).toBe('ISOLATION_UNSUPPORTED');
    expect(d.sentence).toContain('Provider A on physical network pn-1 was skipped for Connectivity');
    expect(d.sentence).toContain('does not support isolation VXLAN (it supports GRE)');
  });

  it('refines to PROVIDER_DISABLED when every provider is disabled', () => {
    const d = diagnose(negotiation([skip('A', 'PROVIDER_DISABLED'), skip('B', 'PROVIDER_DISABLED')]));
    expect(d.category).toBe('PROVIDER_DISABLED');
    expect(d.sentence).toContain('because it is disabled');
    expect(d.remediation).toContain('Enable the provider');
  });

  it('stays NO_ELEMENT_FOR_SERVICE when the skips have different reasons, listing each', () => {
    const d = diagnose(
      negotiation([
        skip('A', 'PROVIDER_DISABLED'),
        skip('B', 'TAG_MISMATCH', { providerLabels: ['x'], requiredLabels: ['y'] }),
        skip('C', 'DECLINED', { reason: 'no free VNI' }),
      ]),
    );
    expect(d.category).toBe('NO_ELEMENT_FOR_SERVICE');
    expect(d.sentence).toContain('No provider can give Connectivity to tier web.');
    expect(d.sentence).toContain(
      'Provider C on physical network pn-1 was skipped for Connectivity because it declined: no free VNI',
    );
  });

  it('stays NO_ELEMENT_FOR_SERVICE when all skips share a non-refinable reason', () => {
    const d = diagnose(negotiation([skip('A', 'SERVICE_NOT_OFFERED'), skip('B', 'SERVICE_NOT_OFFERED')]));
    expect(d.category).toBe('NO_ELEMENT_FOR_SERVICE');
  });

  it('says no provider is registered when the trace has none for the service', () => {
    const d = diagnose(negotiation([{ ...skip('A', 'CHOSEN'), service: 'Dhcp' }]));
    expect(d.category).toBe('NO_ELEMENT_FOR_SERVICE');
    expect(d.sentence).toBe(
      'No provider on physical network pn-1 is registered for Connectivity, so tier web cannot be implemented.',
    );
  });

  it('refines past providers that do not offer the service at all, and names only the candidates', () => {
    const d = diagnose(
      negotiation([
        skip('Ovn', 'SERVICE_NOT_OFFERED'),
        skip('SimNet', 'TAG_MISMATCH', { providerLabels: ['gold'], requiredLabels: ['silver'] }),
      ]),
    );
    expect(d.category).toBe('TAG_MISMATCH');
    expect(d.sentence).not.toContain('Ovn');
  });

  it('ignores skips of other services when refining', () => {
    const d = diagnose(
      negotiation([skip('A', 'PROVIDER_DISABLED'), { ...skip('B', 'TAG_MISMATCH'), service: 'Dhcp' }]),
    );
    expect(d.category).toBe('PROVIDER_DISABLED');
  });
});

describe('negotiation diagnoses with an unhealthy controller', () => {
  it('sends support to Test connection and the controller when the only skip is an unhealthy controller', () => {
    const d = diagnose(
      negotiation([
        skip('SimNet', 'CONTROLLER_UNHEALTHY', {
          reason: 'no enabled, healthy controller: sim-ctl: Enabled, unhealthy',
        }),
      ]),
    );
    expect(d.category).toBe('NO_ELEMENT_FOR_SERVICE');
    expect(d.sentence).toContain('because its controller is unhealthy');
    expect(d.remediation).toBe(
      'The controller of provider SimNet is marked unhealthy (its last health check failed): run "Test connection" on it ' +
        '(Infrastructure › Controllers), and once it answers, re-run negotiation.',
    );
    expect(d.actions).toEqual(['rerun-negotiation', 'open-controller']);
  });

  it('adds the Test connection hint after the usual advice when other providers were skipped for other reasons', () => {
    const d = diagnose(
      negotiation([skip('SimNet', 'CONTROLLER_UNHEALTHY'), skip('Other', 'PROVIDER_DISABLED')]),
    );
    expect(d.remediation).toMatch(/^Add or enable a provider .* run "Test connection" on it/);
    expect(d.actions).toEqual(['rerun-negotiation', 'open-controller']);
  });
});

describe('call diagnoses', () => {
  it('maps every adapter category to a diagnosis category with a title and remediation', () => {
    for (const c of ADAPTER_ERROR_CATEGORIES) {
      const d = diagnose(callFailure({ category: c }));
      expect(DIAGNOSIS_CATEGORIES).toContain(d.category);
      expect(d.category).toBe(diagnosisCategoryOf(c));
      expect(d.remediation.length).toBeGreaterThan(20);
    }
  });

  it('shows a timeout as "Resource Unavailable" and offers retry, adopt and open-controller', () => {
    const d = diagnose(callFailure({ category: 'TIMEOUT', phase: 'implement' }, tier));
    expect(d.category).toBe('CONTROLLER_TIMEOUT');
    expect(d.title).toBe('Resource Unavailable');
    expect(d.sentence).toBe(
      'The implement call to element simulator for tier web failed: sim-ctl did not answer in time (boom).',
    );
    expect(d.actions).toEqual(['retry', 'adopt', 'open-controller']);
  });

  it('reports unreachable controllers', () => {
    const d = diagnose(callFailure({ category: 'UNREACHABLE', message: 'ECONNRESET' }));
    expect(d.category).toBe('CONTROLLER_UNREACHABLE');
    expect(d.sentence).toContain('sim-ctl could not be reached (ECONNRESET)');
    expect(d.remediation).toContain('controller sim-ctl');
  });

  it('sends auth failures to the controller credentials', () => {
    const d = diagnose(
      callFailure({ category: 'AUTH_FAILED', vendorCode: '401', vendorMessage: 'bad login' }),
    );
    expect(d.category).toBe('AUTH_FAILED');
    expect(d.sentence).toContain("rejected Netplane's credentials (vendor code 401: bad login)");
    expect(d.remediation).toContain('credentials');
    expect(d.evidence.vendorCode).toBe('401');
  });

  it('names the conflicting resource and its owner, and offers release but never adopt on a NIC', () => {
    const d = diagnose(
      callFailure({
        category: 'RESOURCE_CONFLICT',
        conflict: { resource: 'port', name: 'np-n-1', owner: 'tenant-x' },
      }),
    );
    expect(d.category).toBe('RESOURCE_CONFLICT');
    expect(d.sentence).toContain('already holds port np-n-1 owned by tenant-x, which is not ours');
    expect(d.actions).toEqual(['release', 'retry', 'open-controller']);
  });

  it('offers release for capacity exhaustion on a NIC but not on a tier', () => {
    expect(diagnose(callFailure({ category: 'CAPACITY_EXHAUSTED' })).actions).toContain('release');
    const onTier = diagnose(callFailure({ category: 'CAPACITY_EXHAUSTED', phase: 'implement' }, tier));
    expect(onTier.category).toBe('CAPACITY_EXHAUSTED');
    expect(onTier.actions).not.toContain('release');
  });

  it('offers retry and the controller (its limits) for rate limiting, with the 429 and its Retry-After as evidence', () => {
    const d = diagnose(
      callFailure(
        {
          category: 'RATE_LIMITED',
          phase: 'implement',
          vendorCode: 'HTTP_429',
          vendorMessage: 'Too Many Requests',
          retryAfterMs: 2_500,
        },
        tier,
      ),
    );
    expect(d.category).toBe('RATE_LIMITED');
    expect(d.title).toBe('Rate limited');
    expect(d.actions).toEqual(['retry', 'open-controller']);
    expect(d.sentence).toBe(
      'The implement call to element simulator for tier web failed: sim-ctl kept refusing calls over its rate limit, ' +
        'asking to retry after 2.5 s (vendor code HTTP_429: Too Many Requests).',
    );
    expect(d.evidence).toMatchObject({ vendorCode: 'HTTP_429', call: { retryAfterMs: 2_500 } });
    expect(d.remediation).toContain("lower the controller's calls-per-second limit");
  });

  it('tells to run Test connection before a retry after a timeout or an unreachable controller', () => {
    for (const category of ['TIMEOUT', 'UNREACHABLE'] as const) {
      const d = diagnose(callFailure({ category, phase: 'implement' }, tier));
      expect(d.remediation).toContain('Run "Test connection" on the controller first');
      expect(d.remediation).toContain('a retry fails with NO_ELEMENT_FOR_SERVICE');
      expect(d.remediation.indexOf('Test connection')).toBeLessThan(d.remediation.indexOf('Then retry'));
      expect(d.actions).toContain('open-controller');
    }
  });

  it('keeps the vendor code and message of a vendor error as evidence', () => {
    const d = diagnose(
      callFailure({ category: 'VENDOR_ERROR', vendorCode: 'E4711', vendorMessage: 'segment busy' }),
    );
    expect(d.category).toBe('VENDOR_ERROR');
    expect(d.evidence).toMatchObject({
      vendorCode: 'E4711',
      vendorMessage: 'segment busy',
      call: { phase: 'prepare' },
    });
    expect(d.sentence).toContain('(vendor code E4711: segment busy)');
  });

  it('treats a request the controller refused as invalid as a vendor error', () => {
    expect(diagnose(callFailure({ category: 'INVALID_REQUEST' })).category).toBe('VENDOR_ERROR');
  });

  it('names the crashed adapter process and its exit, and offers retry and adopt', () => {
    const d = diagnose(
      callFailure({
        category: 'ADAPTER_CRASHED',
        element: 'acme',
        message: 'adapter acme was killed by SIGKILL',
      }),
    );
    expect(d.category).toBe('ADAPTER_CRASHED');
    expect(d.title).toBe('Adapter crashed');
    expect(d.sentence).toBe(
      'The prepare call to element acme for NIC vm-1/eth0 failed: the adapter process serving sim-ctl crashed (adapter acme was killed by SIGKILL).',
    );
    expect(d.actions).toEqual(['retry', 'adopt']);
    expect(d.remediation).toContain('Adapters page');
  });

  it('drops open-controller when the failing call names no controller', () => {
    const d = diagnose(callFailure({ category: 'UNREACHABLE', controllerId: undefined }));
    expect(d.actions).toEqual(['retry']);
  });
});

describe('internal diagnoses', () => {
  it('classifies our own faults as INTERNAL with a retry', () => {
    const d = diagnose({
      target: tier,
      vpcId: null,
      jobId: 'j',
      failure: { kind: 'internal', message: 'db gone' },
    });
    expect(d).toMatchObject({ category: 'INTERNAL', title: 'Internal error', actions: ['retry'] });
    expect(d.sentence).toBe('Netplane failed while working on tier web: db gone.');
  });

  it('has a distinct title for every category', () => {
    expect(new Set(DIAGNOSIS_CATEGORIES.map(titleOf)).size).toBe(DIAGNOSIS_CATEGORIES.length);
  });
});

describe('a pool of Netplane that ran out', () => {
  it('is CAPACITY_EXHAUSTED naming the zone and each range with its usage, with retry only', () => {
    const d = diagnose({
      target: tier,
      vpcId: 'v-1',
      jobId: 'j-1',
      failure: {
        kind: 'capacity',
        resource: 'publicIp',
        zone: { id: 'z-1', name: 'eu-west-1' },
        ranges: [{ id: 'r-1', cidr: '203.0.113.0/29', used: 5, size: 5 }],
        message: 'No free public IP',
      },
    });
    expect(d.category).toBe('CAPACITY_EXHAUSTED');
    expect(d.sentence).toBe(
      'No public IP is free for tier web in zone eu-west-1: every range is used up: 203.0.113.0/29 (5/5 used).',
    );
    expect(d.remediation).toContain('Add a public IP range to zone eu-west-1');
    expect(d.actions).toEqual(['retry']);
    expect(d.evidence.capacity?.ranges).toEqual([{ id: 'r-1', cidr: '203.0.113.0/29', used: 5, size: 5 }]);
  });
});
