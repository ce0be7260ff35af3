// Helpers so every adapter honours AbortSignal the same way: an aborted call rejects at once with TIMEOUT.
import { AdapterError } from './adapter-error';

export function abortError(signal: AbortSignal): AdapterError {
  const reason = signal.reason instanceof Error ? signal.reason.message : 'the caller aborted the call';
  return new AdapterError('TIMEOUT', `Call aborted: ${reason}`, { cause: signal.reason });
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError(signal);
}

/**
 * Races a promise against the signal; the promise's own work must also stop (or be shared by other callers), this
 * only frees the caller. It rejects with `reason()` on abort: by default the contract's TIMEOUT AdapterError.
 */
export function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  reason: () => unknown = () => abortError(signal),
): Promise<T> {
  if (signal.aborted) return Promise.reject(reason());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reason());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** A sleep that ends early (rejecting with TIMEOUT) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
