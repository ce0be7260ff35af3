// The one answer to "the database is away": a typed SERVICE_UNAVAILABLE (503) whose details carry retryAfterSeconds,
// which the server turns into a Retry-After header. Used by the procedure middleware and by the HTTP context builder.
import { isDatabaseUnavailable } from '@netplane/db';
import { AppError } from '@netplane/domain';
import { TRPCError } from '@trpc/server';

/** What clients are told to wait: a blip (failover, restart) usually lasts seconds. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The 503 TRPCError for a database connection error, or undefined for any other error (a bug, bad input...). */
export function databaseUnavailableError(e: unknown): TRPCError | undefined {
  if (!isDatabaseUnavailable(e)) return undefined;
  const message = 'The database is unreachable right now; retry shortly';
  return new TRPCError({
    code: 'SERVICE_UNAVAILABLE',
    message,
    cause: new AppError('DATABASE_UNAVAILABLE', message, { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS }),
  });
}
