// Subscriptions over SSE: tRPC sends the event stream's 200 before the procedure's middlewares have run, so a
// client without a session got 200 and an UNAUTHORIZED event where every other procedure answers 401. This runs
// the subscription first, the same way (context, middlewares, input parsing; the generator's body does not start
// until it is iterated), and answers a client error with its own status before any stream begins.
import { createCallerFactory, DATABASE_RETRY_AFTER_SECONDS } from '@netplane/api';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { Request, RequestHandler, Response } from 'express';
import { appRouter } from './app-router';
import type { makeCreateContext } from './trpc-context';
import { edgeError, sendTrpcError } from './trpc-errors';

type CreateContext = ReturnType<typeof makeCreateContext>;

const procedures = appRouter._def.procedures as unknown as Record<
  string,
  { _def: { type: string } } | undefined
>;
const createCaller = createCallerFactory(appRouter);

/** The subscription's input as tRPC reads it: `?input=` JSON, with a Last-Event-ID merged into an object. */
function inputOf(req: Request): unknown {
  const params = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
  const raw = params.get('input');
  let input: unknown = raw ? JSON.parse(raw) : undefined;
  const lastEventId =
    req.get('last-event-id') ?? params.get('lastEventId') ?? params.get('Last-Event-Id') ?? undefined;
  if (lastEventId && input !== null && typeof input === 'object' && !Array.isArray(input)) {
    input = { ...input, lastEventId };
  }
  return input;
}

export function precheckSubscriptions(createContext: CreateContext): RequestHandler {
  return async (req: Request, res: Response, next) => {
    const path = req.path.replace(/^\//, '');
    if (req.method !== 'GET' || procedures[path]?._def.type !== 'subscription') return next();
    let input: unknown;
    try {
      input = inputOf(req);
    } catch {
      return sendTrpcError(res, edgeError('PARSE_ERROR', 'The input query parameter is not JSON'), path);
    }
    const abort = new AbortController();
    try {
      const caller = createCaller(await createContext({ req, res }), { signal: abort.signal });
      const fn = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller);
      const iterable = (await (fn as (i: unknown) => Promise<unknown>)(input)) as AsyncGenerator | undefined;
      await iterable?.return?.(undefined); // never started: this only closes it; tRPC runs its own
    } catch (e) {
      // Client errors (401, 403, 400, 404) are answered here; anything else goes to tRPC, which logs it.
      if (e instanceof TRPCError && getHTTPStatusCodeFromError(e) < 500) return sendTrpcError(res, e, path);
      // The database is away: a 503 with Retry-After, as for every other procedure, rather than a stream that errs.
      if (e instanceof TRPCError && e.code === 'SERVICE_UNAVAILABLE') {
        res.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
        return sendTrpcError(res, e, path);
      }
    } finally {
      abort.abort();
    }
    next();
  };
}
