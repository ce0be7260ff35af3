// Every adapter call goes through here: fencing check, guards, retries with jittered backoff for retryable
// categories only, Retry-After honoured cluster-wide, one element_calls row per attempt (announced inFlight before
// the send, completed after), and a log line beginning
// "Unable to configure network element" for each failure (no secret: summaries are redacted, credentials never pass).
import { randomUUID } from 'node:crypto';
import {
  type AdapterError,
  type CallContext,
  type NetworkElement,
  sleep,
  toAdapterError,
} from '@netplane/adapter-sdk';
import { type DbHandle, elementCallsRepo, isDatabaseUnavailable } from '@netplane/db';
import type { CallPhase } from '@netplane/domain';
import type { ElementHandle } from '../elements';
import { CallFailed, FencedError } from '../errors';
import { summaryJson } from '../redact';
import type { EngineLogger, EngineOptions } from '../types';
import { CallLogWriter } from './call-log';
import { type CallAttempt, callRow, type RowOutcome } from './call-row';
import { ControllerGuard } from './controller-guard';
import { pushBack } from './rate';

export type CallJob = {
  id: string;
  stepKey: string | null;
  token: number;
  signal: AbortSignal;
  /** Throws FencedError when this node no longer holds the lease. */
  assertLease(): Promise<void>;
};

export type CallSpec<T> = {
  handle: ElementHandle;
  phase: CallPhase;
  target: { type: 'vpc' | 'network' | 'nic' | 'staticNat' | 'lbRule' | 'portForward'; id: string };
  vpcId: string | null;
  networkId: string | null;
  purpose?: 'forward' | 'rollback';
  batchSize?: number;
  request: unknown;
  idempotencyKey: string;
  job?: CallJob;
  /**
   * Still fenced and stopped with `job`, but recorded under its VPC only, not in the job's call log: a read the
   * engine adds after the job's own work (the Realized check), which the job's log of what it did does not list.
   */
  besideJob?: boolean;
  invoke: (element: NetworkElement, ctx: CallContext) => Promise<T>;
  summarize?: (result: T) => unknown;
  /** Runs when the attempt is announced (it holds its slot; its request summary is taken right after). */
  onAnnounce?: () => void;
  /** Sees each recorded attempt's row (a coalesced batch copies the last one for every other job in it). */
  onRecorded?: (row: elementCallsRepo.ElementCallRow) => void;
};

/** Called with each completed attempt (never an announce). */
export type CallListener = (call: elementCallsRepo.ElementCallRow) => void;

export class CallRunner {
  private readonly guards = new Map<string, ControllerGuard>();
  private readonly listeners: CallListener[] = [];
  private readonly log: CallLogWriter;
  private readonly requestSummaries = new WeakMap<object, string>();

  /** Called after each recorded attempt (metrics); a throwing listener is ignored. */
  onCall(listener: CallListener): void {
    this.listeners.push(listener);
  }

  /** Frees the concurrency slots this node keeps idle (node stopping). */
  async close(): Promise<void> {
    await this.log.flush();
    await Promise.allSettled([...this.guards.values()].map((g) => g.slots.close()));
  }

  get controllerIds(): string[] {
    return [...this.guards.keys()];
  }

  constructor(
    private readonly db: DbHandle,
    private readonly logger: EngineLogger,
    private readonly nodeId: string,
    private readonly options: EngineOptions,
  ) {
    this.log = new CallLogWriter(db);
  }

  guardOf(controllerId: string): ControllerGuard {
    let g = this.guards.get(controllerId);
    if (!g) {
      g = new ControllerGuard(this.db.db, this.db.dialect, controllerId, this.nodeId, this.options);
      this.guards.set(controllerId, g);
    }
    return g;
  }

  async call<T>(spec: CallSpec<T>): Promise<T> {
    // One signal per call following the job's: the slot queue, the send-time and retry sleeps listen to it, so a job
    // with hundreds of calls waiting does not pile listeners onto its own signal.
    const signal = spec.job ? AbortSignal.any([spec.job.signal]) : new AbortController().signal;
    const guard = this.guardOf(spec.handle.controllerId);
    for (let attempt = 1; ; attempt++) {
      if (spec.job) await spec.job.assertLease();
      const id = randomUUID();
      const startedAt = Date.now();
      const t0 = performance.now();
      const elapsed = (): CallAttempt => ({ id, attempt, startedAt, durationMs: performance.now() - t0 });
      // The row is stored (inFlight) before the send: a node killed mid-call leaves it for the survivor to mark
      // abandoned, instead of a call nobody can see. It is announced once the slot is ours, alongside the send-time
      // wait, so queued calls do not show as in flight and the write costs the send no extra round trip.
      let announced: Promise<void> | undefined;
      let sent = false;
      const announce = () => {
        spec.onAnnounce?.();
        announced = this.log.write(
          this.rowOf(spec, { id, attempt, startedAt, durationMs: 0 }, { inFlight: true }),
        );
        return announced;
      };
      const dropAnnounce = async () => {
        if (!announced) return;
        await announced.catch(() => {});
        await elementCallsRepo.deleteCall(this.db.db, id).catch(() => {});
      };
      try {
        const result = await guard.run(
          spec.handle.limits,
          signal,
          (s) => {
            sent = true;
            return spec.invoke(spec.handle.element, { signal: s, idempotencyKey: spec.idempotencyKey });
          },
          spec.job?.assertLease,
          announce,
        );
        // An answer that arrives after the job was taken over (this node stalled after its lease check) is not a
        // success of this node: the new holder repeats the call idempotently. Cheap: the lease trust is cached.
        const lost = spec.job ? await leaseLost(spec.job) : undefined;
        if (lost) {
          await this.record(spec, elapsed(), {
            abandoned: `The answer came after node ${this.nodeId} lost the job (${lost.message}); the node that holds it now repeats the call idempotently`,
          }).catch(() => '');
          throw lost;
        }
        await this.record(spec, elapsed(), { result });
        return result;
      } catch (e) {
        if (signal.aborted) {
          // Stopped on its way (drain, lease lost, cancel): nobody knows what the controller did with it.
          if (sent) {
            const why = signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
            await this.record(spec, elapsed(), {
              abandoned: `Stopped by node ${this.nodeId} while in flight (${why}); whether the controller applied it is unknown`,
            }).catch(() => '');
          } else await dropAnnounce();
          throw signal.reason ?? e;
        }
        // Lease lost while this call queued: nothing was sent, so nothing to record.
        if (e instanceof FencedError) {
          await dropAnnounce();
          throw e;
        }
        // The database went away (slot, rate or call-log write): not the controller's failure, and nothing can be
        // recorded now. The job is handed back and replays this call; the element adopts what it already made. An
        // announced row stays inFlight until take-over or startup marks it abandoned.
        if (isDatabaseUnavailable(e)) throw e;
        const err = toAdapterError(e);
        const callId = await this.record(spec, elapsed(), {
          error: err,
        });
        this.logFailure(spec, err, attempt);
        if (err.category === 'RATE_LIMITED') {
          await pushBack(this.db.db, spec.handle.controllerId, err.retryAfterMs ?? 1_000);
        }
        if (!err.retryable || attempt >= this.options.maxAttempts) {
          throw new CallFailed(err, callId, spec.handle.controllerId, spec.handle.adapterId);
        }
        const exp = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** (attempt - 1));
        const jittered = exp / 2 + Math.random() * (exp / 2);
        await sleep(Math.max(jittered, err.retryAfterMs ?? 0), signal);
      }
    }
  }

  /** The same call, recorded again for another job that shared it (coalesced batch): its own id, job and summary. */
  async recordCopy(row: elementCallsRepo.ElementCallRow, job: CallJob, request: unknown): Promise<string> {
    const id = randomUUID();
    await this.log.write({
      ...row,
      id,
      jobId: job.id,
      stepKey: job.stepKey,
      fencingToken: job.token,
      requestSummary: summaryJson(request),
    });
    return id;
  }

  /** One item of a batch failed while the batch call itself succeeded: its own row, so its diagnosis has a call. */
  async recordItemFailure(
    handle: ElementHandle,
    job: CallJob | undefined,
    item: { nicId: string; vpcId: string; networkId: string; error: AdapterError; batchSize: number },
  ): Promise<string> {
    const spec: CallSpec<unknown> = {
      handle,
      phase: 'prepare',
      target: { type: 'nic', id: item.nicId },
      vpcId: item.vpcId,
      networkId: item.networkId,
      batchSize: item.batchSize,
      request: { op: 'prepareNics', nicId: item.nicId, item: 'one NIC of a batch' },
      idempotencyKey: '',
      ...(job && { job }),
      invoke: async () => undefined,
    };
    this.logFailure(spec, item.error, 1);
    return this.record(
      spec,
      { id: randomUUID(), attempt: 1, startedAt: Date.now(), durationMs: 0 },
      { error: item.error },
    );
  }

  /** Completes (or writes) the row of one attempt and tells the listeners. */
  private async record<T>(spec: CallSpec<T>, at: CallAttempt, out: RowOutcome<T>): Promise<string> {
    const row = this.rowOf(spec, at, out);
    await this.log.write(row);
    spec.onRecorded?.(row);
    for (const l of this.listeners) {
      try {
        l(row);
      } catch {}
    }
    return at.id;
  }

  /** Redacted once per call: the announce, the completion and every retry carry the same request. */
  private requestSummaryOf<T>(spec: CallSpec<T>): string {
    let summary = this.requestSummaries.get(spec);
    if (summary === undefined) {
      summary = summaryJson(spec.request);
      this.requestSummaries.set(spec, summary);
    }
    return summary;
  }

  private rowOf<T>(spec: CallSpec<T>, at: CallAttempt, out: RowOutcome<T>): elementCallsRepo.ElementCallRow {
    return callRow(spec, out, {
      ...at,
      nodeId: this.nodeId,
      requestSummary: this.requestSummaryOf(spec),
    });
  }

  private logFailure<T>(spec: CallSpec<T>, err: AdapterError, attempt: number): void {
    const h = spec.handle;
    this.logger.error(
      {
        element: h.adapterId,
        controllerId: h.controllerId,
        controller: h.controllerName,
        phase: spec.phase,
        target: spec.target,
        jobId: spec.job?.id,
        attempt,
        category: err.category,
        vendorCode: err.vendorCode,
        retryable: err.retryable,
      },
      `Unable to configure network element ${h.adapterId} on controller ${h.controllerName}: ${spec.phase} ${spec.target.type} ${spec.target.id} failed with ${err.category}${err.vendorCode ? ` (vendor code ${err.vendorCode})` : ''}`,
    );
  }
}

/** The FencedError when the job is no longer this node's; any other refusal (drain, cancel) is not a lost lease. */
async function leaseLost(job: { assertLease(): Promise<void> }): Promise<FencedError | undefined> {
  try {
    await job.assertLease();
    return undefined;
  } catch (e) {
    return e instanceof FencedError ? e : undefined;
  }
}
