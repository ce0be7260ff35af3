// One error type for every reason the server cannot start: the setting to look at and the fix, printed as two lines.
export class StartupError extends Error {
  override readonly name = 'StartupError';
  constructor(
    /** The environment variable (or file) the operator has to look at, e.g. DATABASE_URL. */
    readonly setting: string,
    /** What is wrong, in one sentence; never a secret (no password, no key). */
    readonly problem: string,
    /** What to do about it, in one sentence. */
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(`${setting}: ${problem}`, options);
  }
}

/**
 * The text main prints on stderr: two lines for a StartupError, the error's first line otherwise; the stack (and the
 * cause's) only when `debug` (LOG_LEVEL=debug or trace), because a stack explains nothing to an operator.
 */
export function formatStartupFailure(err: unknown, debug: boolean): string {
  const lines: string[] = [];
  if (err instanceof StartupError) {
    lines.push(`Netplane cannot start: ${err.setting}: ${err.problem}`, `  Fix: ${err.fix}`);
  } else {
    const first = err instanceof Error ? (err.message.split('\n')[0] ?? err.name) : String(err);
    lines.push(`Netplane failed to start: ${first}`);
    if (!debug) lines.push('  Set LOG_LEVEL=debug for the stack trace.');
  }
  if (debug) {
    for (let e: unknown = err; e instanceof Error; e = e.cause) lines.push(e.stack ?? e.message);
  }
  return `${lines.join('\n')}\n`;
}
