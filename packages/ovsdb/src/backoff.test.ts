import { describe, expect, it, onTestFailed } from 'vitest';
import { backoffDelay } from './client';

/** mulberry32: a small seeded PRNG, so a failing sample set can be replayed with TEST_SEED. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('backoffDelay', () => {
  it('doubles per attempt up to the cap', () => {
    const top = (n: number) => backoffDelay(n, 100, 5000, () => 1);
    expect([0, 1, 2, 3, 6, 20].map(top)).toEqual([100, 200, 400, 800, 5000, 5000]);
  });

  it('spreads retries between half and all of the ceiling', () => {
    const seed = Number(process.env.TEST_SEED ?? Math.floor(Math.random() * 2 ** 32));
    onTestFailed(() => console.error(`backoff samples seed ${seed} (replay: TEST_SEED=${seed})`));
    const random = seededRandom(seed);
    expect(backoffDelay(3, 100, 5000, () => 0)).toBe(400);
    const samples = Array.from({ length: 200 }, () => backoffDelay(3, 100, 5000, random));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(400);
    expect(Math.max(...samples)).toBeLessThanOrEqual(800);
    expect(new Set(samples).size).toBeGreaterThan(100);
  });
});
