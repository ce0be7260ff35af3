import { describe, expect, it } from 'vitest';
import { ipInCidr, nicIdsSchema, ruleNameSchema } from './rules';

describe('public-service rule helpers', () => {
  it('tells whether an IPv4 address lies inside a CIDR', () => {
    expect(ipInCidr('10.0.1.5', '10.0.0.0/16')).toBe(true);
    expect(ipInCidr('10.1.0.0', '10.0.0.0/16')).toBe(false);
    expect(ipInCidr('203.0.113.7', '203.0.113.7/32')).toBe(true);
    expect(ipInCidr('0.0.0.1', '0.0.0.0/0')).toBe(true);
  });
  it('accepts DNS-label-like rule names only', () => {
    expect(ruleNameSchema.safeParse('web-80').success).toBe(true);
    for (const bad of ['', 'Web', '-a', 'a-', 'a_b', 'x'.repeat(64)])
      expect(ruleNameSchema.safeParse(bad).success).toBe(false);
  });
  it('refuses a NIC listed twice', () => {
    const id = '0b9c2d3e-1f2a-4b5c-8d7e-9f0a1b2c3d4e';
    expect(nicIdsSchema.safeParse([id, id]).success).toBe(false);
    expect(nicIdsSchema.safeParse([id]).success).toBe(true);
  });
});
