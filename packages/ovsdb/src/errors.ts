// Errors of the OVSDB client: transaction/RPC errors from the server, connection losses, aborts.
import type { Operation } from './operations';

/** The server refused a request or a transaction (RFC 7047 error objects: "error" plus "details"). */
export class OvsdbError extends Error {
  override readonly name = 'OvsdbError';
  /** The OVSDB error string, e.g. "constraint violation", "referential integrity violation". */
  readonly error: string;
  readonly details?: string;
  /** Index of the failing operation in the transaction, when the server attributes the error to one. */
  readonly operationIndex?: number;
  readonly operation?: Operation;

  constructor(
    error: string,
    details?: string,
    at?: { operationIndex: number; operation: Operation | undefined },
  ) {
    const where = at
      ? ` (operation ${at.operationIndex}${at.operation ? ` ${describeOp(at.operation)}` : ''})`
      : '';
    super(`OVSDB error: ${error}${details ? `: ${details}` : ''}${where}`);
    this.error = error;
    if (details !== undefined) this.details = details;
    if (at) {
      this.operationIndex = at.operationIndex;
      if (at.operation) this.operation = at.operation;
    }
  }
}

/** The connection is down, could not be made, or closed while the request was in flight. */
export class OvsdbConnectionError extends Error {
  override readonly name = 'OvsdbConnectionError';
  /** The socket error code when there was one (ECONNREFUSED, ECONNRESET, ENOENT, ...). */
  readonly code: string;
  constructor(message: string, code = 'ECONNRESET', options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The caller's AbortSignal fired; named AbortError so generic handlers recognise it. */
export class OvsdbAbortError extends Error {
  override readonly name = 'AbortError';
  constructor(reason: unknown) {
    super(reason instanceof Error ? reason.message : 'the request was aborted', { cause: reason });
  }
}

function describeOp(o: Operation): string {
  return 'table' in o ? `${o.op} ${o.table}` : o.op;
}
