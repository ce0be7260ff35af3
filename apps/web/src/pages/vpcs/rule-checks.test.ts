import type { RuleAddress } from '@netplane/domain';
import { describe, expect, it } from 'vitest';
import { addressUseText, checkPort, lbChoices, staticNatChoices, whyNotOffered } from './rule-checks';

const address = (
  id: string,
  purpose: 'SourceNat' | 'User',
  usedBy: RuleAddress['usedBy'] = [],
): RuleAddress => ({
  id,
  address: `203.0.113.${id}`,
  purpose,
  usedBy,
});
const nat = {
  kind: 'staticNat' as const,
  id: 'r1',
  label: 'static NAT 203.0.113.11 → 10.0.1.5',
  port: null,
  portEnd: null,
  protocol: null,
};
const lb80 = {
  kind: 'lbRule' as const,
  id: 'r2',
  label: 'LB rule web-80 (203.0.113.12:80/tcp)',
  port: 80,
  portEnd: 80,
  protocol: 'tcp',
};
const forward8000 = {
  kind: 'portForward' as const,
  id: 'r3',
  label: 'port forwarding 203.0.113.13:8000-8100/tcp → 10.0.1.6',
  port: 8000,
  portEnd: 8100,
  protocol: 'tcp',
};
const addresses = [
  address('10', 'SourceNat'),
  address('11', 'User', [nat]),
  address('12', 'User', [lb80]),
  address('13', 'User'),
];

describe('staticNatChoices', () => {
  it('offers only the VPC addresses no rule uses, never the source-NAT one', () => {
    expect(staticNatChoices(addresses)).toEqual([{ value: '13', label: '203.0.113.13' }]);
    expect(staticNatChoices([address('10', 'SourceNat')])).toEqual([]);
  });
});

describe('lbChoices', () => {
  it('offers addresses without a static NAT, sharing one with LB rules on other ports and saying so', () => {
    expect(lbChoices(addresses, 443, 'tcp')).toEqual([
      { value: '10', label: '203.0.113.10 (source NAT)' },
      { value: '12', label: '203.0.113.12 · shared with LB rule web-80' },
      { value: '13', label: '203.0.113.13' },
    ]);
  });

  it('leaves out an address whose forwarded port range covers the port, not one whose range does not', () => {
    const forwarded = [address('13', 'User', [forward8000])];
    expect(lbChoices(forwarded, 8050, 'tcp')).toEqual([]);
    expect(lbChoices(forwarded, 8100, 'tcp')).toEqual([]);
    expect(lbChoices(forwarded, 8101, 'tcp').map((c) => c.value)).toEqual(['13']);
    expect(lbChoices(forwarded, 8050, 'udp').map((c) => c.value)).toEqual(['13']);
  });

  it('leaves out an address whose same port and protocol an LB rule already takes', () => {
    expect(lbChoices(addresses, 80, 'tcp').map((c) => c.value)).toEqual(['10', '13']);
    expect(lbChoices(addresses, 80, 'udp').map((c) => c.value)).toEqual(['10', '12', '13']);
  });
});

describe('addressUseText', () => {
  it('names the rules on an address, or says it is free', () => {
    expect(addresses.map(addressUseText)).toEqual([
      'Source NAT of the VPC',
      'static NAT 203.0.113.11 → 10.0.1.5',
      'LB rule web-80 (203.0.113.12:80/tcp)',
      'Free',
    ]);
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
