// nthFreeSegment: the pick indexes the free ids of all ranges in order, so a uniform pick is a uniform free id.
import { describe, expect, it } from 'vitest';
import { nthFreeSegment } from './segments';

const ranges = [
  { start: 10, end: 14 },
  { start: 100, end: 102 },
];

describe('nthFreeSegment', () => {
  it('maps every pick to a distinct free id of the ranges, skipping used ids', () => {
    const used = new Set([10, 12, 101, 7, 5000]); // 7 and 5000 lie outside these ranges (another physical network)
    const counts: number[] = [];
    const ids = [0, 1, 2, 3, 4].map((n) =>
      nthFreeSegment(ranges, used, (count) => {
        counts.push(count);
        return n;
      }),
    );
    expect(counts).toEqual([5, 5, 5, 5, 5]);
    expect(ids).toEqual([11, 13, 14, 100, 102]);
  });

  it('is null when every id of the ranges is used, without asking for a pick', () => {
    const used = new Set([10, 11, 12, 13, 14, 100, 101, 102]);
    expect(nthFreeSegment(ranges, used, () => expect.unreachable('no pick on a full pool'))).toBeNull();
    expect(nthFreeSegment([], new Set(), () => 0)).toBeNull();
  });

  it('finds the id in a VNI-wide range without walking it', () => {
    const wide = [{ start: 1, end: 16_777_215 }];
    expect(nthFreeSegment(wide, new Set([1, 2, 3]), (count) => count - 1)).toBe(16_777_215);
    expect(nthFreeSegment(wide, new Set([1, 2, 3]), () => 0)).toBe(4);
  });
});
