// One simulated controller: admission (rate, concurrency), latency, scripted faults, then the call on its tables.
import {
  AdapterError,
  type BatchItemResult,
  type CanHandleVerdict,
  sleep,
  throwIfAborted,
  toAdapterError,
} from '@netplane/adapter-sdk';
import { SERVICES } from '@netplane/domain';
import { CallLog, type CallMeta } from './call-log';
import { operationOf, resourceOf, type SimCommand } from './commands';
import { applyFault } from './fault-effects';
import { FaultBook } from './faults';
import { SlidingSecond, TokenBucket } from './limits';
import * as ops from './operations';
import * as portForwards from './pf-operations';
import { RealizedBook } from './realized';
import * as rules from './rule-operations';
import { copyStats, countPortCreation, emptyStats, summaryOfStats } from './stats';
import { SimStore } from './store';
import { traceOnStore } from './trace';
import {
  type ActiveFault,
  DEFAULT_PROFILE,
  type FaultSpec,
  type SimOperation,
  type SimResourceKind,
  type SimulatorProfile,
  type SimulatorProfilePatch,
  type SimulatorState,
  type SimulatorStats,
  type SimulatorSummary,
} from './types';

export const MAX_BATCH_SIZE = 100;
/** A hung call that nobody aborts still ends, so a forgotten test cannot keep the process alive for ever. */
const HANG_CAP_MS = 10 * 60_000;

export class SimulatedController {
  readonly store = new SimStore();
  readonly faults = new FaultBook();
  readonly calls = new CallLog();
  readonly realized = new RealizedBook();
  private profile: SimulatorProfile = { ...DEFAULT_PROFILE };
  private bucket: TokenBucket | null = null;
  private window = new SlidingSecond();
  private stats: SimulatorStats = emptyStats(Date.now());
  private readonly watchers = new Set<(vpcIds: readonly string[]) => void>();

  constructor(
    readonly id: string,
    readonly version: string,
  ) {}

  getProfile(): SimulatorProfile {
    return { ...this.profile };
  }

  setProfile(patch: SimulatorProfilePatch): SimulatorProfile {
    const before = this.profile;
    this.profile = { ...this.profile, ...patch };
    const rate = this.profile.rateLimitPerSecond;
    // A new bucket (full) only when the limit itself changes: changing the latency must not hand out a fresh burst.
    if (
      rate !== before.rateLimitPerSecond ||
      this.profile.burst !== before.burst ||
      (rate !== null && !this.bucket)
    ) {
      this.bucket =
        rate === null ? null : new TokenBucket(rate, this.profile.burst ?? Math.max(1, Math.ceil(rate)));
    }
    return this.getProfile();
  }

  /**
   * Listens to changes made behind the engine's back (tampering, foreign resources replacing ours): the element's
   * watch(). Our own calls are not pushed, a real controller's monitor would; the engine copes with both.
   */
  onChange(listener: (vpcIds: readonly string[]) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /** Tells the watchers these VPCs changed, after the caller's own work (never re-entrantly). */
  changed(vpcIds: readonly string[]): void {
    const ids = [...new Set(vpcIds.filter(Boolean))];
    if (ids.length === 0 || this.watchers.size === 0) return;
    queueMicrotask(() => {
      for (const l of this.watchers) {
        try {
          l(ids);
        } catch {
          // A watcher's failure is its own; the controller goes on.
        }
      }
    });
  }

  injectFault(spec: FaultSpec): ActiveFault {
    return this.faults.add(spec);
  }

  /** Removes the scripted faults and whatever foreign resources they planted. */
  clearFaults(): void {
    this.faults.clear();
    this.store.removePlanted();
    this.realized.clear();
  }

  resetStats(): void {
    const inFlight = this.stats.inFlight;
    this.stats = { ...emptyStats(Date.now()), inFlight };
    this.window = new SlidingSecond();
    this.calls.clear();
  }

  getStats(): SimulatorStats {
    return { ...copyStats(this.stats), maxCallsInAnySecond: this.window.max };
  }

  getState(): SimulatorState {
    return { ...this.getSummary(), stats: this.getStats() };
  }

  getSummary(): SimulatorSummary {
    const s = this.store;
    return {
      controllerId: this.id,
      profile: this.getProfile(),
      faults: this.faults.list(),
      counts: {
        vpcs: s.countOurs('vpc'),
        networks: s.countOurs('network'),
        ports: s.countOurs('nic'),
        segments: s.segments.size,
        staticNats: s.natRules.size,
        lbRules: s.lbRules.size,
        portForwards: s.pfRules.size,
        acls: s.acls.size,
        foreign: s.countForeign(),
      },
      stats: { ...summaryOfStats(this.stats), maxCallsInAnySecond: this.window.max },
    };
  }

  async execute(cmd: SimCommand, signal: AbortSignal, meta: CallMeta = {}): Promise<unknown> {
    if (cmd.op === 'canHandle') return this.canHandle(cmd);
    const op = operationOf(cmd.op);
    const at = Date.now();
    try {
      const result = await this.gate(op, resourceOf(cmd.op), signal, async (fault) => {
        const late = fault !== undefined && 'afterCommit' in fault && fault.afterCommit === true;
        if (fault && !late) applyFault(this.store, fault, cmd);
        const done = this.run(cmd);
        this.realized.record(cmd, () => this.faults.unrealizedFor(op, resourceOf(cmd.op)));
        if (fault && late) {
          if (fault.kind === 'timeout') await sleep(HANG_CAP_MS, signal);
          applyFault(this.store, fault, cmd);
        }
        return done;
      });
      this.calls.record(cmd, meta, at, 'ok');
      return result;
    } catch (e) {
      this.calls.record(cmd, meta, at, toAdapterError(e).category);
      throw e;
    }
  }

  private canHandle(cmd: Extract<SimCommand, { op: 'canHandle' }>): CanHandleVerdict {
    if (this.profile.declineReason !== null) return { canHandle: false, reason: this.profile.declineReason };
    const method = cmd.req.network.isolation.method;
    if (!(ops.SUPPORTED_ISOLATION as readonly string[]).includes(method)) {
      return { canHandle: false, reason: `isolation method ${method} is not supported` };
    }
    if (!SERVICES.includes(cmd.req.service))
      return { canHandle: false, reason: `unknown service ${cmd.req.service}` };
    return { canHandle: true };
  }

  private async gate<T>(
    op: SimOperation,
    resource: SimResourceKind | undefined,
    signal: AbortSignal,
    run: (fault: ActiveFault | undefined) => Promise<T>,
  ): Promise<T> {
    throwIfAborted(signal);
    const st = this.stats;
    st.calls[op]++;
    st.totalCalls++;
    this.window.record();
    const waitMs = this.bucket?.take() ?? 0;
    if (waitMs > 0) {
      st.overLimitCalls++;
      st.rateLimitedCalls++;
      this.countError('RATE_LIMITED');
      throw new AdapterError('RATE_LIMITED', 'Too many requests: the controller rate limit is exceeded', {
        vendorCode: 'HTTP_429',
        vendorMessage: `rate limit ${this.profile.rateLimitPerSecond}/s exceeded`,
        retryAfterMs: waitMs,
      });
    }
    const max = this.profile.maxConcurrent;
    if (max !== null && st.inFlight >= max) {
      st.overLimitCalls++;
      st.concurrencyRejectedCalls++;
      this.countError('RATE_LIMITED');
      throw new AdapterError('RATE_LIMITED', 'Service unavailable: too many concurrent calls', {
        vendorCode: 'HTTP_503',
        vendorMessage: `concurrency limit ${max} exceeded`,
        retryAfterMs: Math.max(1, Math.round(this.profile.latencyMs)),
      });
    }
    st.inFlight++;
    st.maxConcurrentSeen = Math.max(st.maxConcurrentSeen, st.inFlight);
    try {
      const { extraDelayMs, fault, fired } = this.faults.draw(op, resource);
      st.faultsFired += fired;
      const delay = this.profile.latencyMs + Math.random() * this.profile.jitterMs + extraDelayMs;
      if (fault?.kind === 'timeout' && fault.afterCommit !== true) await sleep(HANG_CAP_MS, signal);
      else if (delay > 0) await sleep(delay, signal);
      throwIfAborted(signal);
      return await run(fault);
    } catch (e) {
      const err = toAdapterError(e);
      this.countError(err.category);
      throw err;
    } finally {
      // A reset may have replaced the stats object while this call was in flight.
      this.stats.inFlight--;
    }
  }

  private countError(category: string): void {
    this.stats.errors[category] = (this.stats.errors[category] ?? 0) + 1;
  }

  private run(cmd: Exclude<SimCommand, { op: 'canHandle' }>): unknown {
    const s = this.store;
    switch (cmd.op) {
      case 'implementVpc':
        return ops.implementVpc(s, cmd.vpc);
      case 'destroyVpc':
        return ops.destroyVpc(s, cmd.vpc.vpcId);
      case 'implementNetwork':
        return ops.implementNetwork(s, cmd.network, this.profile);
      case 'prepareNic':
        return this.prepareOne(cmd.nic);
      case 'prepareNics':
        return this.prepareMany(cmd.nics);
      case 'releaseNic':
        return ops.releaseNic(s, cmd.nic);
      case 'shutdownNetwork':
      case 'destroyNetwork':
        return ops.removeNetwork(s, cmd.network);
      case 'applyStaticNat':
        return rules.applyStaticNat(s, cmd.rule);
      case 'revokeStaticNat':
        return rules.revokeStaticNat(s, cmd.rule);
      case 'applyLbRule':
        return rules.applyLbRule(s, cmd.rule);
      case 'revokeLbRule':
        return rules.revokeLbRule(s, cmd.rule);
      case 'applyNetworkAcl':
        return rules.applyNetworkAcl(s, cmd.acl);
      case 'applyPortForwarding':
        return portForwards.applyPortForwarding(s, cmd.rule);
      case 'revokePortForwarding':
        return portForwards.revokePortForwarding(s, cmd.rule);
      case 'observe':
        return { resources: s.observe(cmd.scope) };
      case 'checkRealized':
        return this.realized.check(s, cmd.scope);
      case 'trace':
        return traceOnStore(s, cmd.spec);
      case 'healthCheck':
        return { ok: true, latencyMs: this.profile.latencyMs, version: `netplane-simulator ${this.version}` };
    }
  }

  private prepareOne(nic: Parameters<typeof ops.prepareNic>[1]) {
    const { created, ...result } = ops.prepareNic(this.store, nic, this.profile);
    if (created) countPortCreation(this.stats, nic.nicId);
    return result;
  }

  private prepareMany(
    nics: Parameters<typeof ops.prepareNic>[1][] | readonly Parameters<typeof ops.prepareNic>[1][],
  ): BatchItemResult[] {
    if (nics.length > MAX_BATCH_SIZE) {
      throw new AdapterError(
        'INVALID_REQUEST',
        `A batch holds at most ${MAX_BATCH_SIZE} NICs; got ${nics.length}`,
      );
    }
    return nics.map((nic): BatchItemResult => {
      try {
        return { nicId: nic.nicId, ok: true, result: this.prepareOne(nic) };
      } catch (e) {
        return { nicId: nic.nicId, ok: false, error: toAdapterError(e) };
      }
    });
  }
}
