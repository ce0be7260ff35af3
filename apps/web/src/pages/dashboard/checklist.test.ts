import { describe, expect, it } from 'vitest';
import { checklist } from './checklist';

const none = {
  zones: 0,
  physicalNetworks: 0,
  enabledProviders: 0,
  controllers: 0,
  vpcOfferings: 0,
  networkOfferings: 0,
  vpcs: 0,
};

describe('getting-started checklist', () => {
  it('lists the steps in the order a first VPC needs them, the first open one next', () => {
    const steps = checklist(none);
    expect(steps.map((s) => s.id)).toEqual([
      'zone',
      'physical-network',
      'provider',
      'controller',
      'offerings',
      'vpc',
    ]);
    expect(steps.filter((s) => s.next).map((s) => s.id)).toEqual(['zone']);
  });

  it('ticks steps off as their objects appear; offerings need both kinds', () => {
    const steps = checklist({
      ...none,
      zones: 1,
      physicalNetworks: 1,
      enabledProviders: 1,
      controllers: 2,
      vpcOfferings: 1,
    });
    expect(steps.map((s) => s.done)).toEqual([true, true, true, true, false, false]);
    expect(steps.find((s) => s.next)?.id).toBe('offerings');
  });

  it('has no next step once everything exists', () => {
    const all = {
      zones: 1,
      physicalNetworks: 1,
      enabledProviders: 1,
      controllers: 1,
      vpcOfferings: 1,
      networkOfferings: 1,
      vpcs: 3,
    };
    expect(checklist(all).every((s) => s.done && !s.next)).toBe(true);
  });
});
