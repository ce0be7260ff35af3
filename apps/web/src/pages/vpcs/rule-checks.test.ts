import { describe, expect, it } from 'vitest';
import { checkPort, checkPublicIp, whyNotOffered } from './rule-checks';

describe('checkPublicIp', () => {
  it('accepts a public IPv4 address outside the VPC', () => {
    expect(checkPublicIp(' 203.0.113.10 ', '10.0.0.0/16')).toBeUndefined();
  });

  it('refuses what is not an IPv4 address, and an address of the VPC itself', () => {
    expect(checkPublicIp('203.0.113', '10.0.0.0/16')).toMatch(/IPv4/);
    expect(checkPublicIp('2001:db8::1', '10.0.0.0/16')).toMatch(/IPv4/);
    expect(checkPublicIp('10.0.7.9', '10.0.0.0/16')).toMatch(/inside the VPC's CIDR 10\.0\.0\.0\/16/);
  });
});

describe('checkPort', () => {
  it('takes whole ports 1..65535 only', () => {
    expect(checkPort('80')).toBeUndefined();
    expect(checkPort('65535')).toBeUndefined();
    for (const bad of ['', ' ', '0', '65536', '8.5', 'http']) expect(checkPort(bad)).toMatch(/1 to 65535/);
  });
});

describe('whyNotOffered', () => {
  const names = (id: string) => (id === 'o1' ? 'plain-tier' : id);
  it('names the offering of an implemented tier that lacks the service', () => {
    expect(whyNotOffered({ name: 'web', state: 'Implemented', offeringId: 'o1' }, 'StaticNat', names)).toBe(
      "Tier web's offering plain-tier has no StaticNat service.",
    );
  });

  it('says a tier not implemented yet has no provider chosen', () => {
    expect(whyNotOffered({ name: 'db', state: 'Allocated', offeringId: 'o1' }, 'Lb', names)).toMatch(
      /Tier db is Allocated: its Lb provider is chosen when it is implemented/,
    );
  });
});
