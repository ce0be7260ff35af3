// The Express 5 app: security headers, /trpc, /api (REST), /healthz, /readyz, /metrics, the web app with client-side routes,
// and an error handler that never sends a stack trace.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiDeps } from '@netplane/api';
import { REQUEST_LIMITS } from '@netplane/domain';
import { OutageLog } from '@netplane/engine';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { appRouter } from './app-router';
import type { Logger } from './logger';
import { measureRequests, metricsRegistry } from './metrics';
import { checkReadiness } from './readiness';
import { restApi } from './rest-api';
import { retryAfterMeta } from './retry-after';
import { makeCreateContext } from './trpc-context';
import { trpcEdge } from './trpc-edge';
import { precheckSubscriptions } from './trpc-subscriptions';
import { notBuiltPage } from './web-not-built';

export type AppState = { draining: boolean };

const securityHeaders: RequestHandler = (req, res, next) => {
  res.set({
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
    'Content-Security-Policy':
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; " +
      "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  });
  if (req.secure) res.set('Strict-Transport-Security', 'max-age=31536000');
  next();
};

export function createHttpApp(opts: {
  deps: ApiDeps;
  logger: Logger;
  state: AppState;
  cookieSecure: boolean;
  webDist: string;
  /** 'ok' or what is unreadable; /readyz reports it. */
  credentialsCheck?: () => Promise<string>;
}) {
  const { deps, logger } = opts;
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-Proto from a reverse proxy on this host makes req.secure true (Secure cookies, HSTS).
  app.set('trust proxy', 'loopback');
  app.use(measureRequests, securityHeaders);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const r = await checkReadiness(deps, opts.state, opts.credentialsCheck);
    res.status(r.ready ? 200 : 503).json(r);
  });
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });

  const createContext = makeCreateContext(deps, { cookieSecure: opts.cookieSecure });
  // Requests refused with 503 while the database is away: one log line per outage (and every few seconds), not one
  // per request.
  const refused = new OutageLog(logger, 'Requests while the database is unreachable (503)');
  const edge = trpcEdge();
  app.use(
    '/trpc',
    // Batch size, JSON depth, content type and body size are refused here, before tRPC parses anything.
    ...edge.before,
    precheckSubscriptions(createContext),
    createExpressMiddleware({
      router: appRouter,
      createContext,
      // The edge refuses bigger batches first with a clearer message; this is tRPC's own check behind it.
      maxBatchSize: REQUEST_LIMITS.maxBatchSize,
      // RATE_LIMITED answers carry Retry-After, so scripts and proxies back off as browsers are told to.
      responseMeta: ({ errors }) => retryAfterMeta(errors),
      onError: ({ error, path, type }) => {
        if (error.code === 'SERVICE_UNAVAILABLE') refused.failed(error, { path });
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          // The message and stack go to the log only; the client sees a generic message (see errorFormatter).
          logger.error({ path, type, err: error.cause ?? error }, 'Internal error in a procedure');
        }
      },
    }),
    edge.after,
  );
  // /api/v1 (REST for scripts) and /api/openapi.json: the same procedures, context and limits as /trpc.
  app.use('/api', restApi({ createContext, logger, version: '1.0.0' }));

  const indexHtml = join(opts.webDist, 'index.html');
  app.use(express.static(opts.webDist, { index: false, maxAge: '1h' }));
  // Client-side routes: any other GET that wants HTML gets the app's index.html.
  app.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // API paths and missing files (anything with an extension, e.g. an old asset) get a 404, not the app shell.
    if (req.path.startsWith('/trpc') || req.path.startsWith('/api/') || /\.[A-Za-z0-9]+$/.test(req.path))
      return next();
    if (existsSync(indexHtml)) {
      res.set('Cache-Control', 'no-cache').sendFile(indexHtml);
      return;
    }
    res.status(200).type('html').send(notBuiltPage);
  });

  app.use((_req, res) => {
    res.status(404).json({ error: { message: 'Not found' } });
  });

  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const status =
      typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) logger.error({ err, path: req.path }, 'Unhandled error in the HTTP app');
    const message =
      status === 500 ? 'Internal error; see the server log' : String(err?.message ?? 'Bad request');
    if (res.headersSent) return;
    res.status(status).json({ error: { message: message.slice(0, 200), httpStatus: status } });
  };
  app.use(onError);
  return app;
}
