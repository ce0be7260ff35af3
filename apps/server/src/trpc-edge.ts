// The guard in front of /trpc. Before anything parses or recurses over a request it refuses, with a tRPC-shaped
// 4xx: a batch of more than REQUEST_LIMITS.maxBatchSize procedures, JSON input (query string or body) nested deeper
// than maxJsonDepth, a POST body that is not JSON, and a body over maxBodyBytes. The body is read as text, so tRPC
// parses it once instead of re-serialising a parsed object (a recursive JSON.stringify: a stack overflow, a 500).
import { REQUEST_LIMITS } from '@netplane/domain';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { isNestedDeeperThan } from './json-depth';
import { edgeError, sendTrpcError } from './trpc-errors';

const { maxBatchSize, maxJsonDepth, maxBodyBytes } = REQUEST_LIMITS;

const tooDeep = (where: string) =>
  edgeError('BAD_REQUEST', `The ${where} is nested more than ${maxJsonDepth} levels deep`, {
    code: 'BAD_INPUT',
    details: { limit: 'maxJsonDepth', max: maxJsonDepth },
  });

/** tRPC's path of the request: `/auth.login` or, batched, `/calls.recent,jobs.list` (commas may be encoded). */
function procedurePaths(path: string): string[] {
  const raw = path.replace(/^\//, '');
  try {
    return decodeURIComponent(raw).split(',');
  } catch {
    return raw.split(','); // a broken %-escape: tRPC answers that itself
  }
}

const checkRequestLine: RequestHandler = (req, res, next) => {
  const path = req.path.replace(/^\//, '');
  const params = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
  if (params.get('batch') === '1') {
    const count = procedurePaths(req.path).length;
    if (count > maxBatchSize) {
      return sendTrpcError(
        res,
        edgeError(
          'BAD_REQUEST',
          `A batch may hold at most ${maxBatchSize} procedures; this one has ${count}`,
          { code: 'BAD_INPUT', details: { limit: 'maxBatchSize', max: maxBatchSize, got: count } },
        ),
        path,
      );
    }
  }
  // tRPC JSON.parses these two; anything else in the query string it never reads.
  for (const name of ['input', 'connectionParams']) {
    for (const value of params.getAll(name)) {
      if (isNestedDeeperThan(value, maxJsonDepth))
        return sendTrpcError(res, tooDeep(`${name} query parameter`), path);
    }
  }
  // A body of another type (form data, octet-stream) would reach tRPC's own parsers; no procedure takes one.
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (req.method === 'POST' && hasBody && !req.is('application/json')) {
    return sendTrpcError(
      res,
      edgeError('UNSUPPORTED_MEDIA_TYPE', 'The request body must be application/json', { code: 'BAD_INPUT' }),
      path,
    );
  }
  next();
};

const checkBodyDepth: RequestHandler = (req, res, next) => {
  if (typeof req.body !== 'string') return next();
  // An empty JSON POST (a mutation without input) means {} as it did under express.json.
  if (req.body === '') req.body = '{}';
  if (isNestedDeeperThan(req.body, maxJsonDepth)) {
    return sendTrpcError(res, tooDeep('request body'), req.path.replace(/^\//, ''));
  }
  next();
};

/** Errors of the body reader (too large, a bad charset, a broken stream) as tRPC-shaped 4xx answers. */
const bodyErrors: ErrorRequestHandler = (err, req, res, next) => {
  const status = (err as { status?: unknown })?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return next(err);
  const path = req.path.replace(/^\//, '');
  if (status === 413) {
    return sendTrpcError(
      res,
      edgeError('PAYLOAD_TOO_LARGE', `The request body is over ${maxBodyBytes} bytes`, {
        code: 'BAD_INPUT',
        details: { limit: 'maxBodyBytes', max: maxBodyBytes },
      }),
      path,
    );
  }
  const code = status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
  const message = String((err as { message?: unknown }).message ?? 'Bad request').slice(0, 200);
  sendTrpcError(res, edgeError(code, message, { code: 'BAD_INPUT' }), path);
};

/** Mounted at /trpc in front of the tRPC adapter; `after` goes behind it to catch the body reader's errors. */
export function trpcEdge(): { before: RequestHandler[]; after: ErrorRequestHandler } {
  const readText = express.text({ type: 'application/json', limit: maxBodyBytes, inflate: false });
  return { before: [checkRequestLine, readText, checkBodyDepth], after: bodyErrors };
}
