// Segment (VLAN / VNI) allocation for tier creation: the lowest free id of the physical network's ranges, or after a
// lost race a uniformly random free one, claimed by inserting the tier row under the zone's unique constraint.
import { setTimeout as sleep } from 'node:timers/promises';
import { isLockConflict, isUniqueViolation, networksRepo } from '@netplane/db';
import { AppError } from '@netplane/domain';
import type { EngineCore } from './core';

export type SegmentRange = { readonly start: number; readonly end: number };

/**
 * Attempts before giving up. Every duplicate key means another allocation committed the id we picked (the re-read
 * then excludes it), so losses are bounded by the allocations running alongside; with random picks a loser collides
 * again only with a small chance, and 64 rounds are far beyond what hundreds of concurrent creations need.
 */
export const SEGMENT_ATTEMPTS = 64;
/** Upper bound of the jittered pause between attempts, so losers do not re-read and collide in lockstep. */
const MAX_PAUSE_MS = 20;

/**
 * The `pick`-th free id (pick in [0, free count)) of the ranges, or null when none is free. Ranges are the physical
 * network's (validated not to overlap); `used` may hold ids outside them (other physical networks of the zone).
 * Runs in O(used · log used + ranges), never walking a 16M-wide VNI range id by id.
 */
export function nthFreeSegment(
  ranges: readonly SegmentRange[],
  used: ReadonlySet<number>,
  pick: (freeCount: number) => number,
): number | null {
  const sorted = [...used].sort((a, b) => a - b);
  const usedIn = ranges.map((r) => sorted.filter((id) => id >= r.start && id <= r.end));
  const freeIn = ranges.map((r, i) => r.end - r.start + 1 - (usedIn[i]?.length ?? 0));
  const total = freeIn.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  let n = pick(total);
  for (const [i, r] of ranges.entries()) {
    const free = freeIn[i] ?? 0;
    if (n >= free) {
      n -= free;
      continue;
    }
    // The n-th free id of this range: start at start+n and step over each used id at or below the candidate.
    let id = r.start + n;
    for (const u of usedIn[i] ?? []) {
      if (u > id) break;
      id++;
    }
    return id;
  }
  return null;
}

/**
 * Without contention the lowest free id (predictable for operators: the first tier of a range gets its start). Once
 * an attempt has lost, every racer would want the same lowest id again, so later attempts pick at random.
 */
const defaultPick = (freeCount: number, attempt: number) =>
  attempt === 0 ? 0 : Math.floor(Math.random() * freeCount);

/**
 * Picks a free id and hands it to `insert` (which writes the tier row holding it). After a lost race allocators pick
 * at random among the free ids, not the lowest, so they rarely want the same id again; a duplicate key (another node
 * committed that id first) or an InnoDB deadlock / lock wait timeout is retried after a jittered pause with a fresh
 * read of the used ids. A full pool is PRECONDITION_FAILED; CONFLICT only after SEGMENT_ATTEMPTS lost races.
 */
export async function allocateSegment<T>(
  core: EngineCore,
  pool: { zoneId: string; kind: 'vlan' | 'vni'; ranges: readonly SegmentRange[]; name: string },
  insert: (segmentId: number) => Promise<T>,
  pick: (freeCount: number, attempt: number) => number = defaultPick,
): Promise<T> {
  const db = core.deps.db.db;
  for (let attempt = 0; attempt < SEGMENT_ATTEMPTS; attempt++) {
    if (attempt > 0) await sleep(Math.random() * Math.min(attempt * 2, MAX_PAUSE_MS));
    const used = await networksRepo.usedSegments(db, pool.zoneId, pool.kind);
    const segmentId = nthFreeSegment(pool.ranges, used, (count) => pick(count, attempt));
    if (segmentId === null) {
      const label = pool.kind === 'vlan' ? 'VLAN' : 'VNI';
      throw new AppError('PRECONDITION_FAILED', `No free ${label} left on ${pool.name}`);
    }
    try {
      return await insert(segmentId);
    } catch (e) {
      if (isUniqueViolation(e) || isLockConflict(e)) continue; // another node took this id at the same moment
      throw e;
    }
  }
  throw new AppError('CONFLICT', 'Could not allocate a segment id; try again');
}
