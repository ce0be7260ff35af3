// The HTTP wire format of the standalone simulator: AdapterErrors as JSON, and their HTTP statuses both ways.
import { AdapterError, type BatchItemResult } from '@netplane/adapter-sdk';
import { ADAPTER_ERROR_CATEGORIES, type AdapterErrorCategory } from '@netplane/domain';

export type WireError = {
  category: AdapterErrorCategory;
  message: string;
  retryable: boolean;
  vendorCode?: string;
  vendorMessage?: string;
  retryAfterMs?: number;
  conflict?: { resource: string; name: string; owner?: string };
};

export function toWire(e: AdapterError): WireError {
  return {
    category: e.category,
    message: e.message,
    retryable: e.retryable,
    ...(e.vendorCode !== undefined && { vendorCode: e.vendorCode }),
    ...(e.vendorMessage !== undefined && { vendorMessage: e.vendorMessage }),
    ...(e.retryAfterMs !== undefined && { retryAfterMs: e.retryAfterMs }),
    ...(e.conflict !== undefined && { conflict: e.conflict }),
  };
}

export function isWireError(v: unknown): v is WireError {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.message === 'string' && (ADAPTER_ERROR_CATEGORIES as readonly unknown[]).includes(o.category)
  );
}

export function fromWire(w: WireError): AdapterError {
  return new AdapterError(w.category, w.message, {
    retryable: w.retryable,
    ...(w.vendorCode !== undefined && { vendorCode: w.vendorCode }),
    ...(w.vendorMessage !== undefined && { vendorMessage: w.vendorMessage }),
    ...(w.retryAfterMs !== undefined && { retryAfterMs: w.retryAfterMs }),
    ...(w.conflict !== undefined && { conflict: w.conflict }),
  });
}

export type WireBatchItem =
  | { nicId: string; ok: true; result: unknown }
  | { nicId: string; ok: false; error: WireError };

export function batchToWire(items: BatchItemResult[]): WireBatchItem[] {
  return items.map((i) => (i.ok ? i : { nicId: i.nicId, ok: false, error: toWire(i.error) }));
}

export function batchFromWire(items: WireBatchItem[]): BatchItemResult[] {
  return items.map((i): BatchItemResult => {
    if (i.ok) return i as BatchItemResult;
    return { nicId: i.nicId, ok: false, error: fromWire(i.error) };
  });
}

/** The status a real controller would answer with; RATE_LIMITED is a 503 when a concurrency limit refused it. */
export function httpStatusOf(e: AdapterError): number {
  switch (e.category) {
    case 'RATE_LIMITED':
      return e.vendorCode === 'HTTP_503' ? 503 : 429;
    case 'AUTH_FAILED':
      return 401;
    case 'RESOURCE_CONFLICT':
      return 409;
    case 'CAPACITY_EXHAUSTED':
      return 507;
    case 'INVALID_REQUEST':
      return 400;
    case 'TIMEOUT':
      return 504;
    case 'UNREACHABLE':
      return 502;
    case 'VENDOR_ERROR':
      return 500;
    // Not a controller's answer (the simulator never raises it); should one pass through, it is a bad gateway.
    case 'ADAPTER_CRASHED':
      return 502;
  }
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
