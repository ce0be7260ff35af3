// The REST API for scripts: /api/v1/... (trpc-to-openapi over the same procedures, createContext and error
// formatter as /trpc) and its OpenAPI 3.1 document at /api/openapi.json. In front of it the same request limits as
// /trpc (body size, JSON depth, JSON only); behind it every error is `{ code, message, details }` with the status
// tRPC would answer, so a script reads one shape whatever refused it.
import { type Context, REST_BASE_PATH, restOpenApiDocument } from '@netplane/api';
import { REQUEST_LIMITS } from '@netplane/domain';
import express, { type ErrorRequestHandler, type RequestHandler, type Response, type Router } from 'express';
import { createOpenApiExpressMiddleware, type OpenApiRouter } from 'trpc-to-openapi';
import { appRouter } from './app-router';
import { isNestedDeeperThan } from './json-depth';
import type { Logger } from './logger';
import { retryAfterMeta } from './retry-after';

const { maxJsonDepth, maxBodyBytes } = REQUEST_LIMITS;
const router = appRouter as unknown as OpenApiRouter;

type RestError = { code: string; message: string; details?: unknown };

function sendRestError(res: Response, status: number, body: RestError): void {
  if (res.headersSent) return;
  res.status(status).json(body);
}

/** The tRPC error shape (errorFormatter) as { code, message, details }: our AppError code when there is one. */
export function restErrorOf(shape: unknown): RestError {
  const s = (shape ?? {}) as {
    message?: unknown;
    code?: unknown;
    data?: { code?: unknown; appCode?: unknown; details?: unknown; zodIssues?: unknown };
  };
  const code = s.data?.appCode ?? s.data?.code ?? s.code;
  const details = s.data?.details ?? (s.data?.zodIssues ? { issues: s.data.zodIssues } : undefined);
  return {
    code: typeof code === 'string' ? code : 'INTERNAL',
    message: typeof s.message === 'string' ? s.message : 'Request failed',
    ...(details === undefined ? {} : { details }),
  };
}

/** Rewrites the adapter's error bodies (status >= 400) into the REST shape before they leave. */
const restErrorShape: RequestHandler = (_req, res, next) => {
  const end = res.end.bind(res) as (chunk?: unknown) => Response;
  res.end = ((chunk?: unknown) => {
    if (res.statusCode < 400 || typeof chunk !== 'string') return end(chunk);
    let parsed: unknown;
    try {
      parsed = JSON.parse(chunk);
    } catch {
      return end(chunk);
    }
    const body = JSON.stringify(restErrorOf(parsed));
    res.setHeader('content-length', Buffer.byteLength(body));
    return end(body);
  }) as Response['end'];
  next();
};

/** JSON only, at most maxBodyBytes and maxJsonDepth, parsed once here; a bodiless POST or DELETE means {}. */
const readBody: RequestHandler[] = [
  (req, res, next) => {
    const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (!hasBody) {
      // The adapter wants a JSON content type on every POST/PUT/PATCH/DELETE, even one a script sends empty.
      if (req.method !== 'GET' && req.method !== 'HEAD') req.headers['content-type'] = 'application/json';
      req.body = {};
      return next();
    }
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    if (!req.is('application/json')) {
      return sendRestError(res, 415, {
        code: 'BAD_INPUT',
        message: 'The request body must be application/json',
      });
    }
    next();
  },
  express.text({ type: 'application/json', limit: maxBodyBytes, inflate: false }),
  (req, res, next) => {
    if (typeof req.body !== 'string') return next();
    const text = req.body === '' ? '{}' : req.body;
    if (isNestedDeeperThan(text, maxJsonDepth)) {
      return sendRestError(res, 400, {
        code: 'BAD_INPUT',
        message: `The request body is nested more than ${maxJsonDepth} levels deep`,
        details: { limit: 'maxJsonDepth', max: maxJsonDepth },
      });
    }
    try {
      req.body = JSON.parse(text);
    } catch {
      return sendRestError(res, 400, { code: 'BAD_INPUT', message: 'The request body is not valid JSON' });
    }
    next();
  },
];

/** The body reader's refusals (too large, a bad charset) as REST 4xx answers. */
const bodyErrors: ErrorRequestHandler = (err, _req, res, next) => {
  const status = (err as { status?: unknown })?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return next(err);
  if (status === 413) {
    return sendRestError(res, 413, {
      code: 'BAD_INPUT',
      message: `The request body is over ${maxBodyBytes} bytes`,
      details: { limit: 'maxBodyBytes', max: maxBodyBytes },
    });
  }
  const message = String((err as { message?: unknown }).message ?? 'Bad request').slice(0, 200);
  sendRestError(res, status, { code: 'BAD_INPUT', message });
};

export function restApi(opts: {
  createContext: (o: { req: express.Request; res: express.Response }) => Promise<Context>;
  logger: Logger;
  version: string;
}): Router {
  const api = express.Router();
  let doc: string | undefined;
  api.get('/openapi.json', (_req, res) => {
    doc ??= JSON.stringify(restOpenApiDocument(router, opts.version));
    res.type('application/json').set('Cache-Control', 'no-cache').send(doc);
  });
  api.use(
    REST_BASE_PATH.replace(/^\/api/, ''),
    restErrorShape,
    ...readBody,
    createOpenApiExpressMiddleware({
      router,
      createContext: ({ req, res }) => opts.createContext({ req, res }),
      // RATE_LIMITED and a lost database carry Retry-After, as on /trpc.
      responseMeta: ({ errors }) => retryAfterMeta(errors),
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          opts.logger.error({ path, err: error.cause ?? error }, 'Internal error in a REST call');
        }
      },
    }),
    bodyErrors,
  );
  return api;
}
