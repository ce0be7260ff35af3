// Cluster-wide rate limit per controller: a GCRA reservation in the database (call_rates). Each call reserves the
// next send time one interval after the previous one and sleeps until then, so calls are evenly spaced across all
// nodes and no sliding second ever holds more than the controller's calls/s. Why not a fixed window: see docs/engine.md.
import { sleep } from '@netplane/adapter-sdk';
import type { Db, DialectName } from '@netplane/db';
import { nodesRepo } from '@netplane/db';

export async function waitForSendTime(
  db: Db,
  dialect: DialectName,
  controllerId: string,
  callsPerSecond: number,
  headroom: number,
  signal: AbortSignal,
): Promise<void> {
  if (callsPerSecond <= 0) return;
  const intervalUs = Math.ceil(1_000_000 / (callsPerSecond * headroom));
  const nowUs = Date.now() * 1000;
  const at = await nodesRepo.reserveCallTime(db, dialect, controllerId, intervalUs, nowUs);
  const waitMs = (at - Date.now() * 1000) / 1000;
  if (waitMs > 0) await sleep(Math.ceil(waitMs), signal);
}

/** A 429/503 with Retry-After: nobody in the cluster calls this controller before it has passed. */
export async function pushBack(db: Db, controllerId: string, retryAfterMs: number): Promise<void> {
  const now = Date.now();
  await nodesRepo.pushBackCalls(db, controllerId, (now + retryAfterMs) * 1000, now);
}
