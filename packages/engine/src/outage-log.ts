// Logs a database outage once, not once per poll: the first failure of a loop at warn, repeats at most every
// REPEAT_MS with how many were suppressed, and one line when the loop works again.
import { describeDatabaseError } from '@netplane/db';
import type { EngineLogger } from './types';

const REPEAT_MS = 5_000;

export class OutageLog {
  private since: number | undefined;
  private lastLoggedAt: number | undefined;
  private suppressed = 0;

  constructor(
    private readonly logger: EngineLogger,
    /** What failed, e.g. "Heartbeat" or "Job claim". */
    private readonly what: string,
    private readonly now: () => number = Date.now,
  ) {}

  get isFailing(): boolean {
    return this.since !== undefined;
  }

  failed(err: unknown, extra: Record<string, unknown> = {}): void {
    const now = this.now();
    this.since ??= now;
    if (this.lastLoggedAt !== undefined && now - this.lastLoggedAt < REPEAT_MS) {
      this.suppressed += 1;
      return;
    }
    this.logger.warn(
      {
        ...extra,
        err: describeDatabaseError(err),
        failingForMs: now - this.since,
        suppressed: this.suppressed,
      },
      `${this.what} failed; retrying`,
    );
    this.lastLoggedAt = now;
    this.suppressed = 0;
  }

  succeeded(): void {
    if (this.since === undefined) return;
    this.logger.info({ failedForMs: this.now() - this.since }, `${this.what} works again`);
    this.since = undefined;
    this.lastLoggedAt = undefined;
    this.suppressed = 0;
  }
}
