// The HTTP metrics' route label: a bounded set, whatever paths clients send.
import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { measureRequests, metricsRegistry, routeOf } from './metrics';

/** One request through the middleware, ended with `status`. */
function serve(url: string, status = 404): void {
  const res = Object.assign(new EventEmitter(), { statusCode: status });
  measureRequests({ method: 'GET', originalUrl: url } as Request, res as unknown as Response, () => {});
  res.emit('finish');
}

describe('HTTP request metrics', () => {
  it('label a known procedure (the first of a batch) by its path', () => {
    expect(routeOf('/trpc/vpcs.list')).toBe('/trpc/vpcs.list');
    expect(routeOf('/trpc/vpcs.create,tiers.create')).toBe('/trpc/vpcs.create');
  });

  it('label every REST call (whose paths carry ids) with one series', () => {
    expect(routeOf('/api/v1/vpcs/0b6f0f7e-1b9a-4c55-9f0e-2a1d3c4b5e6f')).toBe('/api/v1');
    expect(routeOf('/api/v1/jobs')).toBe('/api/v1');
    expect(routeOf('/api/openapi.json')).toBe('/api/openapi.json');
  });

  it('fold every unknown procedure name into one series, so clients cannot grow the registry', async () => {
    for (let i = 0; i < 200; i++) serve(`/trpc/no.such${i}?input=%7B%7D`);
    serve('/trpc/vpcs.list', 200);
    const text = await metricsRegistry.metrics();
    expect(text).not.toContain('no.such');
    expect(text).toMatch(/netplane_http_request_duration_seconds_count\{[^}]*route="\/trpc\/\?"[^}]*\} 200/);
    expect(text).toMatch(/route="\/trpc\/vpcs.list"/);
  });
});
