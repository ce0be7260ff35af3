// The guards of one controller: circuit breaker (cockatiel, per node), the cluster-wide concurrency slot, the
// cluster-wide send-time reservation, and the call timeout through AbortSignal. One guard per controller, so a slow
// controller only ever queues its own calls.
import { AdapterError, abortable, isAdapterError, sleep } from '@netplane/adapter-sdk';
import type { Db, DialectName } from '@netplane/db';
import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  IsolatedCircuitError,
} from 'cockatiel';
import type { ControllerLimitsView } from '../elements';
import type { EngineOptions } from '../types';
import { waitForSendTime } from './rate';
import { SlotPool } from './slots';

const BREAKING = new Set(['TIMEOUT', 'UNREACHABLE']);
/** Minimum spacing between two sends of this node: 1% under the controller's limit (at most 199 of 200 in any second). */
const PACE_HEADROOM = 0.99;
/**
 * One second plus the time between the send recorded here and the controller's clock: other work's microtasks before
 * the request is written (the SQLite driver is synchronous), loopback, an adapter process's event loop. 25 ms, not 5:
 * since late timers are caught up (below), runs reach this bound, and at 1005 or 1015 ms the controller saw 200 calls
 * in one second for a 200/s limit (out of process; 198 at 1025). At 97 % GCRA spacing (194/s) 199 sends span
 * 1021 ms, so the bound holds back the steady rate by well under 1 % and mostly a catch-up.
 */
const SLIDING_WINDOW_MS = 1025;
/**
 * How far behind now the nominal timeline may be caught up (at up to twice the rate), in intervals. 5 and 10 gave
 * the same storm figures (docs/boot-storm.md); the smaller burst is the gentler one for the controller.
 */
const CATCH_UP_INTERVALS = 5;

export class ControllerGuard {
  readonly slots: SlotPool;
  private readonly breaker: CircuitBreakerPolicy;
  private sendChain: Promise<void> = Promise.resolve();
  private lastSend = 0;
  private nextSend = 0;
  /** performance.now() of this node's most recent sends, oldest first (at most the calls allowed per window). */
  private sent: number[] = [];

  constructor(
    private readonly db: Db,
    private readonly dialect: DialectName,
    readonly controllerId: string,
    nodeId: string,
    private readonly options: EngineOptions,
  ) {
    this.slots = new SlotPool(db, dialect, controllerId, nodeId);
    this.breaker = circuitBreaker(
      handleWhen((e) => isAdapterError(e) && BREAKING.has(e.category)),
      { halfOpenAfter: options.breakerHalfOpenMs, breaker: new ConsecutiveBreaker(options.breakerThreshold) },
    );
  }

  get breakerState(): 'closed' | 'open' | 'half-open' | 'isolated' {
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.Open:
        return 'open';
      case CircuitState.HalfOpen:
        return 'half-open';
      default:
        return 'isolated';
    }
  }

  /**
   * Local pacing after the cluster-wide reservation, serialised up to the moment of sending: a timer that fires late
   * (a busy event loop) must not let this node put more calls into any sliding second than the controller allows.
   * `beforeSend` runs inside the chain, so the recorded send times are the real ones, in the order calls leave.
   */
  private async pace(
    callsPerSecond: number,
    signal: AbortSignal,
    beforeSend?: () => Promise<void>,
  ): Promise<void> {
    if (callsPerSecond <= 0) {
      if (beforeSend) await beforeSend();
      return;
    }
    const intervalMs = 1000 / (callsPerSecond * PACE_HEADROOM);
    const allowed = Math.max(1, Math.floor(callsPerSecond * PACE_HEADROOM));
    const previous = this.sendChain;
    let release: () => void = () => {};
    this.sendChain = new Promise<void>((r) => {
      release = r;
    });
    try {
      await previous;
      const now = performance.now();
      // Limits can shrink between calls: only the last `allowed` sends matter for the window.
      if (this.sent.length > allowed) this.sent.splice(0, this.sent.length - allowed);
      // The hard rule: the send `allowed` places back must be a whole window ago. Spacing alone is not enough,
      // because catch-up after a late timer compresses intervals (seen: 41 calls in one second for a limit of 40).
      const windowOpens =
        this.sent.length === allowed
          ? (this.sent[0] as number) + SLIDING_WINDOW_MS
          : Number.NEGATIVE_INFINITY;
      // Sends follow a nominal timeline, so a timer that fires late is caught up by the next calls instead of pushing
      // every later call back (measured: 5.3 ms intervals became ~6.25 ms, 160 calls/s for a 200/s controller).
      // Catch-up is bounded: at most CATCH_UP_INTERVALS behind now, never closer than half an interval to the previous
      // send, never past the window. The timeline is not moved by that half-interval spacing: when it was (the next
      // send's due time counted from the delayed one), every late timer lost its lateness for good, the chain fell
      // behind the cluster-wide reservations, and a quiet 1000-call storm ran at 175-180 calls/s against 194 reserved
      // (docs/boot-storm.md, 2026-12-06).
      const due = Math.max(this.nextSend, now - intervalMs * CATCH_UP_INTERVALS);
      const at = Math.max(due, this.lastSend + intervalMs / 2, windowOpens);
      if (at > now) await sleep(Math.ceil(at - now), signal);
      if (beforeSend) await beforeSend();
      const sentAt = performance.now();
      this.sent.push(sentAt);
      if (this.sent.length > allowed) this.sent.shift();
      this.lastSend = sentAt;
      this.nextSend = due + intervalMs;
    } finally {
      release();
    }
  }

  /**
   * Runs one attempt: breaker → slot → send time (with `announce`, the call-log row stored before the send, written
   * while the send time is waited for) → `beforeSend` (the fencing check, done again after every wait: a node paused
   * while it queued must not send once it wakes up) → call with the controller's timeout.
   */
  async run<T>(
    limits: ControllerLimitsView,
    outer: AbortSignal,
    fn: (signal: AbortSignal) => Promise<T>,
    beforeSend?: () => Promise<void>,
    announce?: () => Promise<void>,
  ): Promise<T> {
    try {
      return await this.breaker.execute(async () => {
        const holdMs = limits.timeoutMs + 10_000;
        const max = Math.max(1, limits.maxConcurrent);
        const slot = await this.slots.acquire(max, holdMs, outer);
        try {
          await Promise.all([
            waitForSendTime(
              this.db,
              this.dialect,
              this.controllerId,
              limits.callsPerSecond,
              this.options.rateHeadroom,
              outer,
            ),
            announce?.(),
          ]);
          await this.pace(limits.callsPerSecond, outer, beforeSend);
          // Aborted during the waits (drain, cancel): send nothing rather than start a call that is already dead.
          outer.throwIfAborted();
          const deadline = callSignal(outer, limits.timeoutMs);
          try {
            const call = fn(deadline.signal);
            // abortable() answers at once when the signal is already aborted; the call's own rejection is then moot.
            call.catch(() => {});
            return await abortable(call, deadline.signal);
          } catch (e) {
            if (!outer.aborted && deadline.signal.aborted) {
              throw new AdapterError('TIMEOUT', `No answer within ${limits.timeoutMs} ms`, { cause: e });
            }
            throw e;
          } finally {
            deadline.dispose();
          }
        } finally {
          await this.slots.release(slot, max, holdMs);
        }
      });
    } catch (e) {
      if (e instanceof BrokenCircuitError || e instanceof IsolatedCircuitError) {
        throw new AdapterError(
          'UNREACHABLE',
          'Circuit open: the controller failed repeatedly; calls are paused',
          {
            retryable: false,
            cause: e,
          },
        );
      }
      throw e;
    }
  }
}

/**
 * The signal of one attempt: aborts when the job's signal does or after `timeoutMs`. Not
 * AbortSignal.any([outer, AbortSignal.timeout(ms)]): on Node 20 only weak references reach that timeout signal, so
 * a GC while the call hangs collects it, clears its timer, and a controller that never answers hangs the job
 * (nodejs/node#57736). Here the timer holds the controller strongly, and dispose() frees timer and listener.
 */
export function callSignal(outer: AbortSignal, timeoutMs: number): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  if (outer.aborted) {
    ac.abort(outer.reason);
    return { signal: ac.signal, dispose: () => {} };
  }
  const onOuterAbort = () => ac.abort(outer.reason);
  outer.addEventListener('abort', onOuterAbort, { once: true });
  const timer = setTimeout(
    () => ac.abort(new DOMException(`No answer within ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  return {
    signal: ac.signal,
    dispose: () => {
      clearTimeout(timer);
      outer.removeEventListener('abort', onOuterAbort);
    },
  };
}
