// Test randomness from a logged seed (issue 10): TEST_SEED replays a run, else a seed is drawn and printed, so the
// VLAN ids (and anything else a test picks) of a failing run can be chosen again exactly.
/** mulberry32 from the seed; `label` names the test file in the log line. */
export function seededRandom(label: string): {
  seed: number;
  next: () => number;
  int: (lo: number, hi: number) => number;
} {
  const seed = Number(process.env.TEST_SEED ?? Math.floor(Math.random() * 2 ** 32)) >>> 0;
  console.info(`${label}: seed ${seed} (replay: TEST_SEED=${seed})`);
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { seed, next, int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)) };
}

/** A base VLAN id with room for `span` consecutive ids after it (VLAN ids are 1..4094). */
export const vlanBase = (label: string, span = 10) => seededRandom(label).int(100, 4094 - span);
