import { describe, expect, it } from 'vitest';
import { type NegotiationInput, type NegotiationProvider, negotiate } from './negotiate';

const provider = (over: Partial<NegotiationProvider> = {}): NegotiationProvider => ({
  id: 'p1',
  name: 'sim',
  adapterId: 'simulator',
  state: 'Enabled',
  enabledServices: ['Connectivity', 'Lb'],
  capabilities: { Connectivity: {}, Lb: { SupportedLbAlgorithms: ['roundrobin'] } },
  adapterIsolationMethods: ['VLAN', 'VXLAN'],
  controllers: [{ id: 'c1', name: 'ctl', resourceState: 'Enabled', healthOk: true }],
  ...over,
});

const input = (providers: NegotiationProvider[], over: Partial<NegotiationInput> = {}): NegotiationInput => ({
  services: { Connectivity: 'simulator' },
  requiredTags: ['gold'],
  requiredCapabilities: {},
  isolationMethod: 'VLAN',
  physicalNetwork: { id: 'pn', name: 'pn-1', tags: ['Gold'], isolationMethods: ['VLAN', 'VXLAN'] },
  providers,
  ...over,
});

const yes = async () => ({ canHandle: true as const });

describe('negotiation verdicts', () => {
  it('chooses the first provider that passes every check and its healthy controller', async () => {
    const r = await negotiate(input([provider()]), yes);
    expect(r.ok).toBe(true);
    expect(r.chosen).toEqual([
      { service: 'Connectivity', providerId: 'p1', adapterId: 'simulator', controllerId: 'c1' },
    ]);
    expect(r.trace[0]?.verdict).toBe('CHOSEN');
  });

  it('records TAG_MISMATCH with both label sets and fails with the service missing', async () => {
    const r = await negotiate(input([provider()], { requiredTags: ['silver'] }), yes);
    expect(r.ok).toBe(false);
    expect(r.missing).toEqual(['Connectivity']);
    expect(r.trace[0]).toMatchObject({
      verdict: 'TAG_MISMATCH',
      providerLabels: ['Gold'],
      requiredLabels: ['silver'],
    });
  });

  it('records ISOLATION_UNSUPPORTED with what the provider supports', async () => {
    const r = await negotiate(input([provider({ adapterIsolationMethods: ['VXLAN'] })]), yes);
    expect(r.trace[0]).toMatchObject({
      verdict: 'ISOLATION_UNSUPPORTED',
      isolationMethod: 'VLAN',
      supportedIsolation: ['VXLAN'],
    });
  });

  it('records SERVICE_NOT_OFFERED when the adapter lacks the service or the admin did not enable it', async () => {
    const r1 = await negotiate(input([provider({ capabilities: { Lb: {} } })]), yes);
    expect(r1.trace[0]?.verdict).toBe('SERVICE_NOT_OFFERED');
    const r2 = await negotiate(input([provider({ enabledServices: ['Lb'] })]), yes);
    expect(r2.trace[0]).toMatchObject({
      verdict: 'SERVICE_NOT_OFFERED',
      reason: expect.stringContaining('not enabled'),
    });
  });

  it('records CAPABILITY_MISSING naming the capability', async () => {
    const r = await negotiate(
      input([provider()], {
        services: { Lb: 'simulator' },
        requiredCapabilities: { Lb: { SupportedLbAlgorithms: ['leastconn'] } },
      }),
      yes,
    );
    expect(r.trace[0]).toMatchObject({
      verdict: 'CAPABILITY_MISSING',
      missingCapabilities: ['SupportedLbAlgorithms'],
    });
  });

  it('records PROVIDER_DISABLED', async () => {
    const r = await negotiate(input([provider({ state: 'Disabled' })]), yes);
    expect(r.trace[0]?.verdict).toBe('PROVIDER_DISABLED');
  });

  it('records CONTROLLER_UNHEALTHY when no controller is enabled and healthy', async () => {
    const r = await negotiate(
      input([
        provider({
          controllers: [
            { id: 'c1', name: 'a', resourceState: 'Maintenance', healthOk: true },
            { id: 'c2', name: 'b', resourceState: 'Enabled', healthOk: false, healthError: 'ECONNREFUSED' },
          ],
        }),
      ]),
      yes,
    );
    expect(r.trace[0]).toMatchObject({
      verdict: 'CONTROLLER_UNHEALTHY',
      reason: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it("records DECLINED with the adapter's own reason and moves on to the next provider", async () => {
    const r = await negotiate(
      input([
        provider(),
        provider({
          id: 'p2',
          name: 'sim-2',
          controllers: [{ id: 'c9', name: 'z', resourceState: 'Enabled', healthOk: null }],
        }),
      ]),
      async (_s, p) => (p.id === 'p1' ? { canHandle: false, reason: 'switch full' } : { canHandle: true }),
    );
    expect(r.trace.map((t) => t.verdict)).toEqual(['DECLINED', 'CHOSEN']);
    expect(r.trace[0]?.reason).toBe('switch full');
    expect(r.chosen[0]?.controllerId).toBe('c9');
  });

  it('gives every provider a verdict for every service', async () => {
    const r = await negotiate(
      input([provider(), provider({ id: 'p2', name: 'other', adapterId: 'ovn' })], {
        services: { Connectivity: 'simulator', Lb: 'simulator' },
      }),
      yes,
    );
    expect(r.trace).toHaveLength(4);
    expect(r.trace.filter((t) => t.provider === 'other').map((t) => t.verdict)).toEqual([
      'SERVICE_NOT_OFFERED',
      'SERVICE_NOT_OFFERED',
    ]);
  });
});
