// Waiting out a database outage: poll `select 1` with jittered exponential backoff until it answers or the node stops.
import type { Db } from '@netplane/db';
import type { OutageLog } from '../outage-log';

const FIRST_MS = 250;
const MAX_MS = 2_000;

/** Resolves true once the database answers, false if `isStopping()` turned true first (the node drains). */
export async function waitForDatabase(
  db: Db,
  isStopping: () => boolean,
  outage: OutageLog,
): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    if (isStopping()) return false;
    try {
      await db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
      return true;
    } catch (e) {
      outage.failed(e);
    }
    const exp = Math.min(MAX_MS, FIRST_MS * 2 ** attempt);
    // Jitter: nodes cut off together must not all come back at the same instant.
    await new Promise((r) => setTimeout(r, exp / 2 + Math.random() * (exp / 2)));
  }
}
