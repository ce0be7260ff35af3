// One table from our AppError codes to tRPC codes (and so HTTP statuses).
import { type AppErrorCode, assertNever } from '@netplane/domain';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';

export function trpcCodeOf(code: AppErrorCode): TRPC_ERROR_CODE_KEY {
  switch (code) {
    case 'BAD_INPUT':
    case 'OFFERING_INVALID':
    case 'RANGE_OVERLAP':
      return 'BAD_REQUEST';
    case 'NOT_FOUND':
      return 'NOT_FOUND';
    case 'CONFLICT':
    case 'IN_USE':
    case 'INVALID_STATE':
      return 'CONFLICT';
    case 'UNAUTHENTICATED':
      return 'UNAUTHORIZED';
    case 'FORBIDDEN':
      return 'FORBIDDEN';
    case 'RATE_LIMITED':
      return 'TOO_MANY_REQUESTS';
    case 'PRECONDITION_FAILED':
      return 'PRECONDITION_FAILED';
    case 'DATABASE_UNAVAILABLE':
      return 'SERVICE_UNAVAILABLE';
    case 'SECRET_UNREADABLE':
    case 'INTERNAL':
      return 'INTERNAL_SERVER_ERROR';
    default:
      return assertNever(code, 'AppErrorCode');
  }
}
