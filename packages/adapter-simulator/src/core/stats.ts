// Call statistics of one simulated controller, as the benchmarks and cluster tests read them.
import { SIM_OPERATIONS, type SimOperation, type SimulatorStats } from './types';

export function emptyStats(now: number): SimulatorStats {
  return {
    since: now,
    calls: Object.fromEntries(SIM_OPERATIONS.map((op) => [op, 0])) as Record<SimOperation, number>,
    totalCalls: 0,
    inFlight: 0,
    maxConcurrentSeen: 0,
    maxCallsInAnySecond: 0,
    overLimitCalls: 0,
    rateLimitedCalls: 0,
    concurrencyRejectedCalls: 0,
    faultsFired: 0,
    errors: {},
    portCreations: {},
  };
}

export function copyStats(s: SimulatorStats): SimulatorStats {
  return { ...s, calls: { ...s.calls }, errors: { ...s.errors }, portCreations: { ...s.portCreations } };
}
