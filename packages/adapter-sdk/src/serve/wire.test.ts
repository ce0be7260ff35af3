// The protocol's shared pieces: framing across chunk boundaries and its cap, message shapes, AdapterError round trip.
import { describe, expect, it } from 'vitest';
import { AdapterError } from '../adapter-error';
import { decodeAdapterError, encodeAdapterError, lineSplitter, parseMessage } from './wire';

describe('lineSplitter', () => {
  it('splits lines across chunks, skips blank lines and strips CR', () => {
    const lines: string[] = [];
    const split = lineSplitter(
      (l) => lines.push(l),
      () => lines.push('OVERFLOW'),
    );
    for (const part of ['{"a":', '1}\n\n{"b"', ':2}\r\n{"c":3}\n', 'tail']) split(Buffer.from(part));
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('reports a line over the cap once, with its head, and stops', () => {
    const seen: string[] = [];
    const split = lineSplitter(
      (l) => seen.push(`line:${l}`),
      (head) => seen.push(`overflow:${head.length}`),
      1_000,
    );
    split(Buffer.from('ok\n'));
    split(Buffer.alloc(600, 'x'));
    split(Buffer.alloc(600, 'x'));
    split(Buffer.from('\nlater\n'));
    expect(seen).toEqual(['line:ok', 'overflow:200']);
  });
});

describe('parseMessage', () => {
  it('accepts requests, notifications and responses, refuses anything else', () => {
    expect(parseMessage('{"jsonrpc":"2.0","id":1,"method":"health"}')).toBeDefined();
    expect(parseMessage('{"jsonrpc":"2.0","method":"log","params":{}}')).toBeDefined();
    expect(parseMessage('{"jsonrpc":"2.0","id":1,"result":null}')).toBeDefined();
    expect(parseMessage('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}}')).toBeDefined();
    for (const bad of ['not json', '[]', '{"id":1,"result":1}', '{"jsonrpc":"2.0","id":1}', '42'])
      expect(parseMessage(bad)).toBeUndefined();
  });
});

describe('AdapterError on the wire', () => {
  it('round-trips every field', () => {
    const e = new AdapterError('RESOURCE_CONFLICT', 'switch web exists', {
      vendorCode: 'E_EXISTS',
      vendorMessage: 'exists',
      retryAfterMs: 5,
      conflict: { resource: 'logical switch', name: 'web', owner: 'ops' },
    });
    const back = decodeAdapterError(e.message, JSON.parse(JSON.stringify(encodeAdapterError(e))));
    expect(back).toBeInstanceOf(AdapterError);
    expect({ ...back, message: back.message }).toEqual({ ...e, message: e.message });
  });

  it('anything without a known category is VENDOR_ERROR "adapter protocol error"', () => {
    const e = decodeAdapterError('boom', { category: 'NOPE' });
    expect([e.category, e.message]).toEqual(['VENDOR_ERROR', 'adapter protocol error: boom']);
  });
});
