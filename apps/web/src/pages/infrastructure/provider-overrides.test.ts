import { narrowingProblems, providerUpdateInput, type ServiceCapabilities } from '@netplane/domain';
import { describe, expect, it } from 'vitest';
import { changedOverrides } from './provider-overrides';

const offered: ServiceCapabilities = {
  Lb: { SupportedLbAlgorithms: ['roundrobin', 'leastconn', 'source'], SupportedProtocols: ['tcp', 'udp'] },
  SourceNat: { RedundantRouter: true, SupportedSourceNatTypes: 'peraccount' },
};

describe('changedOverrides', () => {
  it('sends nothing when every value is the adapter’s', () => {
    expect(changedOverrides(offered, offered, ['Lb', 'SourceNat'])).toEqual({});
  });

  it('sends only the narrowed values, and the domain accepts them as narrowing', () => {
    const caps = { ...offered, Lb: { ...offered.Lb, SupportedLbAlgorithms: ['roundrobin'] } };
    const out = changedOverrides(offered, caps, ['Lb', 'SourceNat']);
    expect(out).toEqual({ Lb: { SupportedLbAlgorithms: ['roundrobin'] } });
    expect(narrowingProblems(offered, out)).toEqual([]);
    expect(providerUpdateInput.safeParse({ id: crypto.randomUUID(), capabilityOverrides: out }).success).toBe(
      true,
    );
  });

  it('drops the overrides of a service that is no longer enabled', () => {
    const caps = { ...offered, SourceNat: { ...offered.SourceNat, RedundantRouter: false } };
    expect(changedOverrides(offered, caps, ['Lb'])).toEqual({});
    expect(changedOverrides(offered, caps, ['SourceNat'])).toEqual({ SourceNat: { RedundantRouter: false } });
  });

  it('passes a widening on, so the domain check can refuse it', () => {
    const caps = { ...offered, Lb: { ...offered.Lb, SupportedLbAlgorithms: ['roundrobin', 'random'] } };
    const out = changedOverrides(offered, caps, ['Lb']);
    expect(narrowingProblems(offered, out)).toEqual([
      "Lb.SupportedLbAlgorithms: can only narrow the adapter's value",
    ]);
  });
});
