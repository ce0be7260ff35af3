// Engine-internal errors: fenced out, stopped, and a call failure that carries its element_calls row id.
import type { AdapterError } from '@netplane/adapter-sdk';

/** This node no longer holds the job's lease: it must make no further call and write nothing. */
export class FencedError extends Error {
  override readonly name = 'FencedError';
}

/** The node is draining or the job was cancelled: stop between steps. */
export class JobStopped extends Error {
  override readonly name = 'JobStopped';
  constructor(readonly why: 'draining' | 'cancelled') {
    super(why === 'draining' ? 'The node is draining; the job is handed back' : 'The job was cancelled');
  }
}

/** An adapter call that failed after its retries; `callId` is the element_calls row of the last attempt. */
export class CallFailed extends Error {
  override readonly name = 'CallFailed';
  constructor(
    readonly error: AdapterError,
    readonly callId: string,
    readonly controllerId: string,
    readonly adapterId: string,
  ) {
    super(error.message);
  }
}

/** A lifecycle failure with an engine code (NO_ELEMENT_FOR_SERVICE, CALL_FAILED, ...) stored on the job. */
export class JobFailure extends Error {
  override readonly name = 'JobFailure';
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A job's own control flow (lease lost, cancelled or drained): never recorded as a failed call, always rethrown. */
export const isControl = (e: unknown): boolean => e instanceof FencedError || e instanceof JobStopped;
