// Broadcast-domain ranges (VLAN ids, VXLAN VNIs): parsing from "100-199" or {start,end}, bounds, overlap checks.
import { z } from 'zod';

export const RANGE_KINDS = ['vlan', 'vni'] as const;
export type RangeKind = (typeof RANGE_KINDS)[number];
export const RANGE_BOUNDS: Record<RangeKind, { min: number; max: number; label: string }> = {
  vlan: { min: 1, max: 4094, label: 'VLAN id' },
  vni: { min: 1, max: 16_777_215, label: 'VNI' },
};

export type IdRange = { start: number; end: number };
export type KindedRange = IdRange & { kind: RangeKind };

const RANGE_TEXT = /^\s*(\d{1,9})\s*(?:-\s*(\d{1,9})\s*)?$/;

const rangeLike = z.union([
  z.string().max(32),
  z.object({ start: z.number().int(), end: z.number().int() }).strict(),
]);

export const formatRange = (r: IdRange): string => (r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`);

/** One range of a kind: "100-199", "100" or {start, end}; rejected when malformed, reversed or out of bounds. */
export function rangeSchema(kind: RangeKind) {
  const { min, max, label } = RANGE_BOUNDS[kind];
  return rangeLike.transform((value, ctx): IdRange => {
    let range: IdRange;
    if (typeof value === 'string') {
      const m = RANGE_TEXT.exec(value);
      if (!m) {
        // The value is not echoed: error messages never repeat what the caller sent.
        ctx.addIssue({ code: 'custom', message: `not a ${label} range like 100-199` });
        return z.NEVER;
      }
      const start = Number(m[1]);
      range = { start, end: m[2] === undefined ? start : Number(m[2]) };
    } else {
      range = value;
    }
    if (range.start > range.end) {
      ctx.addIssue({ code: 'custom', message: `${label} range ${range.start}-${range.end} is reversed` });
      return z.NEVER;
    }
    if (range.start < min || range.end > max) {
      ctx.addIssue({
        code: 'custom',
        message: `${label} range ${formatRange(range)} is outside ${min}-${max}`,
      });
      return z.NEVER;
    }
    return range;
  });
}

export const rangesOverlap = (a: IdRange, b: IdRange): boolean => a.start <= b.end && b.start <= a.end;

/** A list of ranges of one kind, sorted, with no two overlapping. */
export function rangeListSchema(kind: RangeKind) {
  return z
    .array(rangeSchema(kind))
    .max(256)
    .superRefine((ranges, ctx) => {
      for (let i = 0; i < ranges.length; i++) {
        for (let j = i + 1; j < ranges.length; j++) {
          const a = ranges[i] as IdRange;
          const b = ranges[j] as IdRange;
          if (rangesOverlap(a, b)) {
            ctx.addIssue({
              code: 'custom',
              path: [j],
              message: `${RANGE_BOUNDS[kind].label} range ${formatRange(b)} overlaps ${formatRange(a)} in the same list`,
            });
          }
        }
      }
    })
    .transform((ranges) => [...ranges].sort((a, b) => a.start - b.start));
}

export type RangeOwner = { physicalNetworkId: string; name: string; ranges: readonly KindedRange[] };
export type RangeConflict = {
  kind: RangeKind;
  range: IdRange;
  other: IdRange;
  physicalNetworkId: string;
  name: string;
};

/** Every overlap between `candidate` and the ranges of the other physical networks of the same zone. */
export function findRangeConflicts(
  candidate: readonly KindedRange[],
  others: readonly RangeOwner[],
): RangeConflict[] {
  const conflicts: RangeConflict[] = [];
  for (const mine of candidate) {
    for (const owner of others) {
      for (const theirs of owner.ranges) {
        if (theirs.kind === mine.kind && rangesOverlap(mine, theirs)) {
          conflicts.push({
            kind: mine.kind,
            range: { start: mine.start, end: mine.end },
            other: { start: theirs.start, end: theirs.end },
            physicalNetworkId: owner.physicalNetworkId,
            name: owner.name,
          });
        }
      }
    }
  }
  return conflicts;
}

export function describeRangeConflict(c: RangeConflict): string {
  const label = RANGE_BOUNDS[c.kind].label;
  return `${label} range ${formatRange(c.range)} overlaps ${formatRange(c.other)} of physical network "${c.name}"`;
}
