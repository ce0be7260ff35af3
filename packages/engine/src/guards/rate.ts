// Cluster-wide rate limit per controller: a GCRA reservation in the database (call_rates). Each call reserves the
// next send time one interval after the previous one and sleeps until then, so calls are evenly spaced across all
// nodes and no sliding second ever holds more than the controller's calls/s. Why not a fixed window: see docs/engine.md.
// Calls of this node that ask at the same time share one reservation of k consecutive send times (one statement).
import { sleep } from '@netplane/adapter-sdk';
import type { Db, DialectName } from '@netplane/db';
import { nodesRepo } from '@netplane/db';

type Waiter = { intervalUs: number; resolve: (atUs: number) => void; reject: (e: unknown) => void };

/** Per database handle and controller: the callers waiting for a reservation while one is in flight. */
class Reserver {
  private queue: Waiter[] = [];
  private busy = false;

  constructor(
    private readonly db: Db,
    private readonly dialect: DialectName,
    private readonly controllerId: string,
  ) {}

  reserve(intervalUs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ intervalUs, resolve, reject });
      if (!this.busy) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.busy = true;
    while (this.queue.length > 0) {
      // One group per interval (limits rarely change mid-storm); the others wait for the next round.
      const intervalUs = (this.queue[0] as Waiter).intervalUs;
      const group = this.queue.filter((w) => w.intervalUs === intervalUs);
      this.queue = this.queue.filter((w) => w.intervalUs !== intervalUs);
      try {
        const startUs = await nodesRepo.reserveCallTime(
          this.db,
          this.dialect,
          this.controllerId,
          intervalUs * group.length,
          Date.now() * 1000,
        );
        group.forEach((w, i) => {
          w.resolve(startUs + i * intervalUs);
        });
      } catch (e) {
        for (const w of group) w.reject(e);
      }
    }
    this.busy = false;
  }
}

const reservers = new WeakMap<Db, Map<string, Reserver>>();

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
  let byController = reservers.get(db);
  if (!byController) {
    byController = new Map();
    reservers.set(db, byController);
  }
  let reserver = byController.get(controllerId);
  if (!reserver) {
    reserver = new Reserver(db, dialect, controllerId);
    byController.set(controllerId, reserver);
  }
  const at = await reserver.reserve(intervalUs);
  const waitMs = (at - Date.now() * 1000) / 1000;
  if (waitMs > 0) await sleep(Math.ceil(waitMs), signal);
}

/** A 429/503 with Retry-After: nobody in the cluster calls this controller before it has passed. */
export async function pushBack(db: Db, controllerId: string, retryAfterMs: number): Promise<void> {
  const now = Date.now();
  await nodesRepo.pushBackCalls(db, controllerId, (now + retryAfterMs) * 1000, now);
}
