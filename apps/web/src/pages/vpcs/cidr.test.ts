import { describe, expect, it } from 'vitest';
import { checkCidr } from './cidr';

describe('checkCidr', () => {
  it('accepts an IPv4 CIDR', () => {
    expect(checkCidr('10.0.0.0/16')).toBeUndefined();
  });

  it('rejects text that is not a CIDR, octets past 255 and prefixes outside 8-29', () => {
    expect(checkCidr('10.0.0.0')).toMatch(/CIDR/);
    expect(checkCidr('10.0.300.0/24')).toMatch(/0-255/);
    expect(checkCidr('10.0.0.0/30')).toMatch(/8-29/);
  });
});
