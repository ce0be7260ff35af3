// Number helpers and the multi-run summary line of the OVN benchmark.

export function median<T>(items: T[], key: (t: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)] as T;
}

export const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Medians over the runs, and how many runs met each goal. */
export function summaryOf(lines: Record<string, unknown>[]) {
  const med = (k: string) => median(lines, (l) => Number(l[k]))[k];
  const met = (k: 'withinTenXOfRaw' | 'twentyXFasterThanNbctl') =>
    lines.filter((l) => (l.goals as Record<string, boolean>)[k]).length;
  return {
    bench: 'ovn',
    summary: true,
    runs: lines.length,
    medianWallMs: med('wallMs'),
    medianRawTxMs: med('rawTxMs'),
    medianNbctlLoopMsScaled: med('nbctlLoopMsScaled'),
    medianRatioToRaw: med('ratioToRaw'),
    medianSpeedupOverNbctl: med('speedupOverNbctl'),
    runsWithinTenXOfRaw: met('withinTenXOfRaw'),
    runsTwentyXFasterThanNbctl: met('twentyXFasterThanNbctl'),
  };
}
