import { describe, expect, it } from 'vitest';
import { publicIpRangeCreateInput, rangeOverlap, spanOf, usableCount } from './ranges';

const base = { id: 'r-1', cidr: '203.0.113.0/24', gateway: '203.0.113.1', vlan: 300 };

describe('public IP ranges', () => {
  it('hands out every host but the gateway when no span is given, and the span otherwise', () => {
    const whole = spanOf({ cidr: '203.0.113.0/24', gateway: '203.0.113.1' });
    expect(whole && usableCount(whole)).toBe(253);
    const part = spanOf({
      cidr: '203.0.113.0/24',
      gateway: '203.0.113.1',
      startIp: '203.0.113.10',
      endIp: '203.0.113.19',
    });
    expect(part && usableCount(part)).toBe(10);
  });

  it('overlaps on shared addresses, or on one subnet with another VLAN or gateway; not on disjoint spans', () => {
    const a = { ...base, startIp: '203.0.113.10', endIp: '203.0.113.20' };
    expect(rangeOverlap({ ...base, startIp: '203.0.113.20', endIp: '203.0.113.30' }, a)).toContain(
      'overlap range',
    );
    expect(rangeOverlap({ ...base, startIp: '203.0.113.21', endIp: '203.0.113.30' }, a)).toBeNull();
    expect(
      rangeOverlap({ ...base, vlan: 301, startIp: '203.0.113.100', endIp: '203.0.113.110' }, a),
    ).toContain('another VLAN');
    expect(
      rangeOverlap(
        { cidr: '198.51.100.0/24', gateway: '198.51.100.1', vlan: 300, startIp: null, endIp: null },
        a,
      ),
    ).toBeNull();
  });

  it('refuses a range with nothing to hand out, and a /8', () => {
    expect(
      publicIpRangeCreateInput.safeParse({
        zoneId: 'z',
        cidr: '203.0.113.0/30',
        gateway: '203.0.113.1',
        startIp: '203.0.113.1',
        endIp: '203.0.113.1',
      }).success,
    ).toBe(false);
    expect(
      publicIpRangeCreateInput.safeParse({ zoneId: 'z', cidr: '10.0.0.0/8', gateway: '10.0.0.1' }).success,
    ).toBe(false);
    expect(
      publicIpRangeCreateInput.safeParse({ zoneId: 'z', cidr: '203.0.113.0/30', gateway: '203.0.113.1' })
        .data,
    ).toMatchObject({ vlan: null });
  });
});
