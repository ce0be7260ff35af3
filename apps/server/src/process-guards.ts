// The last line of defence against a database blip: an unhandled rejection or uncaught exception that is a database
// connection error is logged (as the bug it is: every database call should handle it) and the node keeps running.
// Anything else still ends the process, as Node would: its state may be broken, and a restart is the safe answer.
import { describeDatabaseError, isDatabaseUnavailable } from '@netplane/db';
import type { Logger } from './logger';

/** The message a test or an operator can grep for: it must never appear in a healthy run. */
export const UNHANDLED_DATABASE_ERROR = 'Unhandled database connection error (a bug); the node keeps running';

export function installProcessGuards(logger: Logger): void {
  const handle = (kind: 'unhandledRejection' | 'uncaughtException') => (err: unknown) => {
    if (isDatabaseUnavailable(err)) {
      logger.error(
        { kind, err: describeDatabaseError(err), stack: err instanceof Error ? err.stack : undefined },
        UNHANDLED_DATABASE_ERROR,
      );
      return;
    }
    logger.fatal({ kind, err }, 'Unhandled error; exiting');
    process.exit(1);
  };
  process.on('unhandledRejection', handle('unhandledRejection'));
  process.on('uncaughtException', handle('uncaughtException'));
}
