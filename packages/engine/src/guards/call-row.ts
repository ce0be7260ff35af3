// One element_calls row of an attempt: announced (inFlight) before the send, then ok, failed or abandoned.
import type { AdapterError } from '@netplane/adapter-sdk';
import type { elementCallsRepo } from '@netplane/db';
import type { CallOutcome } from '@netplane/domain';
import { summaryJson } from '../redact';
import type { CallSpec } from './call-runner';

/** What one attempt's row says: a result, an error, still on its way, or stopped on its way (why). */
export type RowOutcome<T> = { result?: T; error?: AdapterError; inFlight?: boolean; abandoned?: string };

/** One attempt of a call, as the runner knows it: the row's id, its number, when it started and how long it took. */
export type CallAttempt = { id: string; attempt: number; startedAt: number; durationMs: number };

type Attempt = CallAttempt & { nodeId: string; requestSummary: string };

function outcomeOf<T>(out: RowOutcome<T>): CallOutcome {
  if (out.error) return 'failed';
  if (out.inFlight) return 'inFlight';
  return out.abandoned === undefined ? 'ok' : 'abandoned';
}

export function callRow<T>(
  spec: CallSpec<T>,
  out: RowOutcome<T>,
  a: Attempt,
): elementCallsRepo.ElementCallRow {
  const err = out.error;
  const outcome = outcomeOf(out);
  // Only an answer has a response: an error's category, or the (summarised) result of a call that succeeded.
  const response = err
    ? {
        category: err.category,
        ...(err.conflict ? { conflict: err.conflict } : {}),
        retryAfterMs: err.retryAfterMs,
      }
    : outcome !== 'ok'
      ? undefined
      : spec.summarize
        ? spec.summarize(out.result as T)
        : out.result;
  return {
    id: a.id,
    phase: spec.phase,
    adapterId: spec.handle.adapterId,
    providerId: spec.handle.providerId,
    controllerId: spec.handle.controllerId,
    jobId: logged(spec)?.id ?? null,
    stepKey: logged(spec)?.stepKey ?? null,
    vpcId: spec.vpcId,
    networkId: spec.networkId,
    targetType: spec.target.type,
    targetId: spec.target.id,
    attempt: a.attempt,
    purpose: spec.purpose ?? 'forward',
    batchSize: spec.batchSize ?? 1,
    startedAt: a.startedAt,
    durationMs: Math.round(a.durationMs),
    outcome,
    errorCategory: err?.category ?? null,
    errorMessage: err?.message ?? out.abandoned ?? null,
    vendorCode: err?.vendorCode ?? null,
    vendorMessage: err?.vendorMessage ?? null,
    retryable: err ? err.retryable : null,
    requestSummary: a.requestSummary,
    responseSummary: response === undefined ? null : summaryJson(response),
    nodeId: a.nodeId,
    fencingToken: logged(spec)?.token ?? null,
  };
}

/** The job a call row is filed under: none for a call made beside the job's own work (`besideJob`). */
const logged = (spec: Pick<CallSpec<unknown>, 'besideJob' | 'job'>) =>
  spec.besideJob ? undefined : spec.job;
