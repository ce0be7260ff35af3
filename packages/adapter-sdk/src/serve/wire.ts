// The pieces both sides of the wire protocol (docs/adapter-protocol.md) share: NDJSON framing with a line cap, the
// JSON-RPC message shapes, and AdapterError to and from its wire form. Node built-ins only: the SDK gains no deps.
import { ADAPTER_ERROR_CATEGORIES, type AdapterErrorCategory } from '@netplane/domain';
import { AdapterError } from '../adapter-error';

export const PROTOCOL_VERSION = 1;
/** A line longer than this is a protocol violation (a runaway writer must not exhaust the reader's memory). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export const RPC = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL: -32603,
  ADAPTER_ERROR: -32000,
  UNSUPPORTED_PROTOCOL: -32001,
  NOT_INITIALIZED: -32002,
  UNKNOWN_ELEMENT: -32003,
} as const;

/** The optional NetworkElement calls an element.open answer may list. */
export const OPTIONAL_METHODS = [
  'applyStaticNat',
  'revokeStaticNat',
  'applyLbRule',
  'revokeLbRule',
  'applyNetworkAcl',
  'applyPortForwarding',
  'revokePortForwarding',
  'checkRealized',
  'trace',
] as const;
export type OptionalMethod = (typeof OPTIONAL_METHODS)[number];

export const REQUIRED_METHODS = [
  'canHandle',
  'implementVpc',
  'destroyVpc',
  'implementNetwork',
  'prepareNic',
  'prepareNics',
  'releaseNic',
  'shutdownNetwork',
  'destroyNetwork',
  'observe',
  'healthCheck',
] as const;

export type RpcId = number | string;
export type RpcRequest = { jsonrpc: '2.0'; id: RpcId; method: string; params?: unknown };
export type RpcNotification = { jsonrpc: '2.0'; method: string; params?: unknown };
export type RpcErrorObject = { code: number; message: string; data?: unknown };
export type RpcResponse =
  | { jsonrpc: '2.0'; id: RpcId; result: unknown }
  | { jsonrpc: '2.0'; id: RpcId | null; error: RpcErrorObject };
export type RpcMessage = RpcRequest | RpcNotification | RpcResponse;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The message a line holds, or undefined when it is not a JSON-RPC 2.0 message (a protocol violation). */
export function parseMessage(line: string): RpcMessage | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(v) || v.jsonrpc !== '2.0') return undefined;
  const idOk = typeof v.id === 'number' || typeof v.id === 'string';
  if (typeof v.method === 'string') return v as RpcMessage;
  if ((idOk || v.id === null) && ('result' in v || isObject(v.error))) return v as RpcMessage;
  return undefined;
}

/** Whether bytes [0, end) are only spaces and tabs (a JSON message starts with `{` at once, so this stops early). */
function blank(b: Buffer, end: number): boolean {
  for (let i = 0; i < end; i++) if (b[i] !== 32 && b[i] !== 9 && b[i] !== 13) return false;
  return true;
}

/**
 * Splits a byte stream into lines of at most maxBytes; calls onOverflow (once, then stops) for a longer line. Chunks
 * are kept as a list until a newline arrives, so a long line costs one concatenation, not one per chunk.
 */
export function lineSplitter(
  onLine: (line: string) => void,
  onOverflow: (head: string) => void,
  maxBytes = MAX_LINE_BYTES,
): (chunk: Buffer) => void {
  let parts: Buffer[] = [];
  let size = 0;
  let dead = false;
  return (chunk) => {
    if (dead) return;
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      if (size + piece.length > maxBytes) {
        dead = true;
        return onOverflow(
          Buffer.concat([...parts, piece])
            .subarray(0, 200)
            .toString('utf8'),
        );
      }
      const line = parts.length === 0 ? piece : Buffer.concat([...parts, piece]);
      parts = [];
      size = 0;
      start = nl + 1;
      // CRLF is accepted; a blank line is skipped (checked without copying the line: answers can be megabytes).
      const end = line.length > 0 && line[line.length - 1] === 13 ? line.length - 1 : line.length;
      if (!blank(line, end)) onLine(line.toString('utf8', 0, end));
      if (dead) return;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      size += rest.length;
      parts.push(rest);
      if (size > maxBytes) {
        dead = true;
        onOverflow(Buffer.concat(parts).subarray(0, 200).toString('utf8'));
      }
    }
  };
}

const CATEGORIES: readonly AdapterErrorCategory[] = ADAPTER_ERROR_CATEGORIES;

/** An AdapterError's fields as the wire carries them (`error.data`, and a prepareNics item's `error`). */
export type WireAdapterError = {
  category: AdapterErrorCategory;
  retryable?: boolean;
  vendorCode?: string;
  vendorMessage?: string;
  retryAfterMs?: number | null;
  conflict?: { resource: string; name: string; owner?: string };
};

export function encodeAdapterError(e: AdapterError): WireAdapterError {
  return {
    category: e.category,
    retryable: e.retryable,
    ...(e.vendorCode !== undefined && { vendorCode: e.vendorCode }),
    ...(e.vendorMessage !== undefined && { vendorMessage: e.vendorMessage }),
    ...(e.retryAfterMs !== undefined && { retryAfterMs: e.retryAfterMs }),
    ...(e.conflict !== undefined && { conflict: e.conflict }),
  };
}

/** Rebuilds an AdapterError from `data`; anything that is not one becomes VENDOR_ERROR "adapter protocol error". */
export function decodeAdapterError(message: unknown, data: unknown): AdapterError {
  const text = typeof message === 'string' ? message : String(message);
  if (!isObject(data) || !CATEGORIES.includes(data.category as AdapterErrorCategory))
    return new AdapterError('VENDOR_ERROR', `adapter protocol error: ${text}`);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const c = data.conflict;
  const conflict =
    isObject(c) && typeof c.resource === 'string' && typeof c.name === 'string'
      ? { resource: c.resource, name: c.name, ...(typeof c.owner === 'string' && { owner: c.owner }) }
      : undefined;
  const vendorCode = str(data.vendorCode);
  const vendorMessage = str(data.vendorMessage);
  return new AdapterError(data.category as AdapterErrorCategory, text, {
    ...(typeof data.retryable === 'boolean' && { retryable: data.retryable }),
    ...(vendorCode !== undefined && { vendorCode }),
    ...(vendorMessage !== undefined && { vendorMessage }),
    ...(typeof data.retryAfterMs === 'number' && { retryAfterMs: data.retryAfterMs }),
    ...(conflict && { conflict }),
  });
}
