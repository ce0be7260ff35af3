// Every adapter call goes through here: fencing check, guards, retries with jittered backoff for retryable
// categories only, Retry-After honoured cluster-wide, one element_calls row per attempt, and a log line beginning
// "Unable to configure network element" for each failure (no secret: summaries are redacted, credentials never pass).
import { randomUUID } from 'node:crypto';
import {
  type AdapterError,
  type CallContext,
  type NetworkElement,
  sleep,
  toAdapterError,
} from '@netplane/adapter-sdk';
import { type DbHandle, type elementCallsRepo, isDatabaseUnavailable } from '@netplane/db';
import type { CallPhase } from '@netplane/domain';
import type { ElementHandle } from '../elements';
import { CallFailed, FencedError } from '../errors';
import { summaryJson } from '../redact';
import type { EngineLogger, EngineOptions } from '../types';
import { CallLogWriter } from './call-log';
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
  target: { type: 'vpc' | 'network' | 'nic' | 'staticNat' | 'lbRule'; id: string };
  vpcId: string | null;
  networkId: string | null;
  purpose?: 'forward' | 'rollback';
  batchSize?: number;
  request: unknown;
  idempotencyKey: string;
  job?: CallJob;
  invoke: (element: NetworkElement, ctx: CallContext) => Promise<T>;
  summarize?: (result: T) => unknown;
  /** Sees each recorded attempt's row (a coalesced batch copies the last one for every other job in it). */
  onRecorded?: (row: elementCallsRepo.ElementCallRow) => void;
};

export type CallListener = (call: elementCallsRepo.ElementCallRow) => void;

export class CallRunner {
  private readonly guards = new Map<string, ControllerGuard>();
  private readonly listeners: CallListener[] = [];
  private readonly log: CallLogWriter;

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
      const startedAt = Date.now();
      const t0 = performance.now();
      try {
        const result = await guard.run(
          spec.handle.limits,
          signal,
          (s) => spec.invoke(spec.handle.element, { signal: s, idempotencyKey: spec.idempotencyKey }),
          spec.job?.assertLease,
        );
        await this.record(spec, attempt, startedAt, performance.now() - t0, { result });
        return result;
      } catch (e) {
        if (signal.aborted) throw signal.reason ?? e;
        // Lease lost while this call queued: nothing was sent, so nothing to record.
        if (e instanceof FencedError) throw e;
        // The database went away (slot, rate or call-log write): not the controller's failure, and nothing can be
        // recorded now. The job is handed back and replays this call; the element adopts what it already made.
        if (isDatabaseUnavailable(e)) throw e;
        const err = toAdapterError(e);
        const callId = await this.record(spec, attempt, startedAt, performance.now() - t0, { error: err });
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
    return this.record(spec, 1, Date.now(), 0, { error: item.error });
  }

  private async record<T>(
    spec: CallSpec<T>,
    attempt: number,
    startedAt: number,
    durationMs: number,
    out: { result?: T; error?: AdapterError },
  ): Promise<string> {
    const id = randomUUID();
    const err = out.error;
    const response = err
      ? {
          category: err.category,
          ...(err.conflict ? { conflict: err.conflict } : {}),
          retryAfterMs: err.retryAfterMs,
        }
      : spec.summarize
        ? spec.summarize(out.result as T)
        : out.result;
    const row: elementCallsRepo.ElementCallRow = {
      id,
      phase: spec.phase,
      adapterId: spec.handle.adapterId,
      providerId: spec.handle.providerId,
      controllerId: spec.handle.controllerId,
      jobId: spec.job?.id ?? null,
      stepKey: spec.job?.stepKey ?? null,
      vpcId: spec.vpcId,
      networkId: spec.networkId,
      targetType: spec.target.type,
      targetId: spec.target.id,
      attempt,
      purpose: spec.purpose ?? 'forward',
      batchSize: spec.batchSize ?? 1,
      startedAt,
      durationMs: Math.round(durationMs),
      outcome: err ? 'failed' : 'ok',
      errorCategory: err?.category ?? null,
      errorMessage: err?.message ?? null,
      vendorCode: err?.vendorCode ?? null,
      vendorMessage: err?.vendorMessage ?? null,
      retryable: err ? err.retryable : null,
      requestSummary: summaryJson(spec.request),
      responseSummary: response === undefined ? null : summaryJson(response),
      nodeId: this.nodeId,
      fencingToken: spec.job?.token ?? null,
    };
    await this.log.write(row);
    spec.onRecorded?.(row);
    for (const l of this.listeners) {
      try {
        l(row);
      } catch {}
    }
    return id;
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
