import { describe, expect, it } from 'vitest';
import { backoffDelay } from './client';

describe('backoffDelay', () => {
  it('doubles per attempt up to the cap', () => {
    const top = (n: number) => backoffDelay(n, 100, 5000, () => 1);
    expect([0, 1, 2, 3, 6, 20].map(top)).toEqual([100, 200, 400, 800, 5000, 5000]);
  });

  it('spreads retries between half and all of the ceiling', () => {
    expect(backoffDelay(3, 100, 5000, () => 0)).toBe(400);
    const samples = Array.from({ length: 200 }, () => backoffDelay(3, 100, 5000));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(400);
    expect(Math.max(...samples)).toBeLessThanOrEqual(800);
    expect(new Set(samples).size).toBeGreaterThan(100);
  });
});
