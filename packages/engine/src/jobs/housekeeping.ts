// Cluster housekeeping every node does on its own timer, apart from lease renewals: a slow sweep (a big call log,
// a loaded database) must never delay a renewal and cost a busy node its jobs (a false take-over).
import type { DbHandle } from '@netplane/db';
import { elementCallsRepo, jobsRepo, nodesRepo } from '@netplane/db';
import type { EngineLogger, EngineOptions } from '../types';

/** The summary an abandoned call carries when its node stopped heartbeating. */
export const deadNodeSummary = (nodeId: string): string =>
  `Node ${nodeId} died while this call was in flight (no heartbeat for a whole lease); whether the controller ` +
  'applied it is unknown, and a resumed job repeats it idempotently';

/**
 * Frees the call slots of nodes silent for a whole lease, marks their calls still in flight abandoned, and flags jobs
 * past their deadline. Each part is independent: one failing does not skip the others.
 */
export async function sweepCluster(
  db: DbHandle,
  logger: EngineLogger,
  options: EngineOptions,
  now: number,
): Promise<void> {
  const silentSince = now - options.leaseMs;
  const reclaimed = await nodesRepo.reclaimSlotsOfDeadNodes(db.db, silentSince).catch(() => 0);
  if (reclaimed > 0) logger.warn({ slots: reclaimed }, 'Freed the call slots of nodes without a heartbeat');
  const abandoned = await elementCallsRepo
    .abandonCallsOfSilentNodes(db.db, silentSince, now, deadNodeSummary)
    .catch((e) => {
      logger.warn({ err: String(e) }, 'Marking the calls of dead nodes abandoned failed');
      return 0;
    });
  if (abandoned > 0) logger.warn({ calls: abandoned }, 'Calls of dead nodes marked abandoned');
  const stuck = await jobsRepo.flagStuck(db.db, now).catch(() => [] as string[]);
  if (stuck.length > 0) logger.warn({ jobIds: stuck }, 'Jobs past their deadline flagged stuck');
}
