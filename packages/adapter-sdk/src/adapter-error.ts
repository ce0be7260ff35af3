// AdapterError: the only thing an adapter throws. The engine maps its category to a diagnosis in one place.
import type { AdapterErrorCategory } from '@netplane/domain';

const RETRYABLE_BY_DEFAULT: Record<AdapterErrorCategory, boolean> = {
  TIMEOUT: true,
  UNREACHABLE: true,
  RATE_LIMITED: true,
  AUTH_FAILED: false,
  RESOURCE_CONFLICT: false,
  CAPACITY_EXHAUSTED: false,
  INVALID_REQUEST: false,
  VENDOR_ERROR: false,
  // The host restarts a crashed adapter process; the call itself may well succeed on the new one.
  ADAPTER_CRASHED: true,
};

export type AdapterErrorOptions = {
  retryable?: boolean;
  /** The vendor's own error code and message, shown verbatim in diagnostics (never a credential). */
  vendorCode?: string;
  vendorMessage?: string;
  /** From a 429/503 Retry-After: the engine waits at least this long before the next call to that controller. */
  retryAfterMs?: number;
  /** For RESOURCE_CONFLICT: what is in the way (name, owner) so support can act on it. */
  conflict?: { resource: string; name: string; owner?: string };
  cause?: unknown;
};

export class AdapterError extends Error {
  override readonly name = 'AdapterError';
  readonly retryable: boolean;
  readonly vendorCode?: string;
  readonly vendorMessage?: string;
  readonly retryAfterMs?: number;
  readonly conflict?: AdapterErrorOptions['conflict'];

  constructor(
    readonly category: AdapterErrorCategory,
    message: string,
    options: AdapterErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT[category];
    if (options.vendorCode !== undefined) this.vendorCode = options.vendorCode;
    if (options.vendorMessage !== undefined) this.vendorMessage = options.vendorMessage;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.conflict !== undefined) this.conflict = options.conflict;
  }
}

export const isAdapterError = (e: unknown): e is AdapterError => e instanceof AdapterError;

/** Wraps anything thrown by vendor code so that the engine only ever sees AdapterErrors. */
export function toAdapterError(e: unknown): AdapterError {
  if (e instanceof AdapterError) return e;
  if (e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError')) {
    return new AdapterError('TIMEOUT', `Call aborted: ${e.message}`, { cause: e });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new AdapterError('VENDOR_ERROR', message, { cause: e });
}
