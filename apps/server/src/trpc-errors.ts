// tRPC-shaped error answers for refusals made outside a procedure (the request guard, the body reader), so a
// client sees the same `{ error: { message, code, data: { code, httpStatus, appCode, details } } }` as from any
// procedure: the shape comes from the app router's own error formatter.

import { AppError, type AppErrorCode } from '@netplane/domain';
import { type TRPC_ERROR_CODE_KEY, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
// getErrorShape runs the router's errorFormatter; @trpc/server is pinned to one exact version in package.json.
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';
import type { Response } from 'express';
import { appRouter } from './app-router';

/** A TRPCError whose cause is an AppError, so the formatter adds appCode and details as it does for procedures. */
export function edgeError(
  code: TRPC_ERROR_CODE_KEY,
  message: string,
  app?: { code: AppErrorCode; details?: Record<string, unknown> },
): TRPCError {
  return new TRPCError({
    code,
    message,
    cause: app ? new AppError(app.code, message, app.details) : undefined,
  });
}

export function sendTrpcError(res: Response, error: TRPCError, path = ''): void {
  if (res.headersSent) return;
  const shape = getErrorShape({
    config: appRouter._def._config,
    error,
    type: 'unknown',
    path,
    input: undefined,
    ctx: undefined,
  });
  res.status(getHTTPStatusCodeFromError(error)).json({ error: shape });
}
