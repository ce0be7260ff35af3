// Prometheus metrics: one shared Registry (the engine adds its own metrics to it) and the HTTP duration histogram.

import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { appRouter } from './app-router';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const httpDuration = new Histogram({
  name: 'netplane_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

// Only the router's own procedures become labels: every other name a client sends would add a histogram series that
// lives as long as the process (one client could grow the server's memory without bound, one URL at a time).
const PROCEDURES = new Set(Object.keys(appRouter._def.procedures));

/** The route label: a known tRPC procedure for /trpc, a fixed set otherwise (never raw URLs: unbounded labels). */
export function routeOf(path: string): string {
  if (path.startsWith('/trpc/')) {
    const proc = path.slice('/trpc/'.length).split(',')[0] ?? '';
    return PROCEDURES.has(proc) ? `/trpc/${proc}` : '/trpc/?';
  }
  if (['/healthz', '/readyz', '/metrics', '/api/openapi.json'].includes(path)) return path;
  // REST paths carry ids: one fixed label for the whole API.
  if (path.startsWith('/api/v1/')) return '/api/v1';
  if (path.startsWith('/assets/')) return '/assets';
  return '/*';
}

export const measureRequests: RequestHandler = (req, res, next) => {
  const end = httpDuration.startTimer();
  // originalUrl: inside a mounted router (/trpc) req.path has lost its prefix by the time the response finishes.
  const route = routeOf((req.originalUrl.split('?')[0] ?? '/').slice(0, 200));
  res.on('finish', () => end({ method: req.method, route, status: String(res.statusCode) }));
  next();
};
