// A proxy element's call on a process that is up and has the element open: the case of nearly every call, so it is
// written for its cost (issue 13 point 9, docs/benchmarks.md). One object per call is the answer's callbacks in the
// peer's pending table, the listener on the caller's signal (handleEvent) and the deadline timer's argument: no
// AbortController, no promise race, no await and no closure per call. The rest (waiting for a process that restarts,
// the element's first open there) is the general path in proxy-element.ts.
import { AdapterError, abortError } from '@netplane/adapter-sdk';
import type { Peer } from './peer';

/** How the element names a call's failures (one object per element, not per call). */
export type CallErrors = {
  /** The TIMEOUT error of a call whose deadline passed. */
  late(method: string, timeoutMs: number): AdapterError;
  /** An answer's error (RpcError, the process's crash) as the AdapterError the caller gets. */
  toError(e: unknown): AdapterError;
};

export type OpenCallSpec = {
  peer: Peer;
  /** The contract method; `element.<method>` on the wire. */
  method: string;
  params: unknown;
  signal: AbortSignal | undefined;
  timeoutMs: number;
  errors: CallErrors;
};

function onLate(call: OpenCall): void {
  call.stop(call.spec.errors.late(call.spec.method, call.spec.timeoutMs));
}

class OpenCall {
  private id = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly spec: OpenCallSpec,
    private readonly settle: (v: unknown) => void,
    private readonly fail: (e: unknown) => void,
  ) {
    this.timer = setTimeout(onLate, spec.timeoutMs, this);
    spec.signal?.addEventListener('abort', this, { once: true });
    this.id = spec.peer.send(`element.${spec.method}`, spec.params, this);
  }

  /** The caller's signal aborted. */
  handleEvent(): void {
    this.stop(abortError(this.spec.signal as AbortSignal));
  }

  /** Aborted or late: its late answer is dropped, and the adapter is told to stop working on it. */
  stop(e: AdapterError): void {
    this.done();
    this.spec.peer.forget(this.id);
    this.spec.peer.notify('$/cancelRequest', { id: this.id });
    this.fail(e);
  }

  resolve(v: unknown): void {
    this.done();
    // The wire's null is a void method's undefined (no contract call answers null otherwise).
    this.settle(v === null ? undefined : v);
  }

  reject(e: unknown): void {
    this.done();
    this.fail(e instanceof AdapterError ? e : this.spec.errors.toError(e));
  }

  private done(): void {
    clearTimeout(this.timer);
    this.spec.signal?.removeEventListener('abort', this);
  }
}

export function callOpen(spec: OpenCallSpec): Promise<unknown> {
  return new Promise((resolve, reject) => {
    new OpenCall(spec, resolve, reject);
  });
}
