// The one error type of Netplane's own: a string code that the API maps, in one table, to a tRPC code and HTTP status.
export const APP_ERROR_CODES = [
  'BAD_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'PRECONDITION_FAILED',
  'INVALID_STATE',
  'OFFERING_INVALID',
  'RANGE_OVERLAP',
  'IN_USE',
  'SECRET_UNREADABLE',
  /** The database cannot be reached right now (connection lost, refused, timed out): retry after Retry-After. */
  'DATABASE_UNAVAILABLE',
  'INTERNAL',
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    message: string,
    /** Machine-readable detail for the UI (e.g. which service is missing); never holds a secret. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
