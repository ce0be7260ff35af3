// Stuck work: jobs past their deadline and entities left in a transitional state, flagged for cleanup.
import { type Db, stuckWorkRepo } from '@netplane/db';

export type StuckItem = {
  kind: 'job' | 'vpc' | 'network' | 'nic';
  id: string;
  vpcId: string | null;
  /** The job's state, or the entity's transitional state. */
  state: string;
  /** Since when it has been in that state (entity updated_at, or job start). */
  since: number;
  /** The deadline it passed (jobs), or since + threshold (entities). */
  deadline: number;
  reason: string;
};

/** Transitional states an entity must not stay in for longer than a job may run. */
export const TRANSITIONAL = {
  vpcs: ['Implementing', 'Shutdown-ing', 'Destroying'],
  networks: ['Implementing'],
  nics: ['Reserving', 'Releasing', 'Deallocating'],
} as const;

export const DEFAULT_ENTITY_THRESHOLD_MS = 15 * 60_000;

export type StuckQuery = {
  now: number;
  /** How long an entity may sit in a transitional state; defaults to 15 minutes. */
  entityThresholdMs?: number;
  limit?: number;
};

export async function listStuckWork(db: Db, q: StuckQuery): Promise<StuckItem[]> {
  const threshold = q.entityThresholdMs ?? DEFAULT_ENTITY_THRESHOLD_MS;
  const limit = q.limit ?? 500;
  const cutoff = q.now - threshold;
  const jobs = await stuckWorkRepo.overdueJobs(db, q.now, limit);
  const items: StuckItem[] = jobs.map((j) => ({
    kind: 'job',
    id: j.id,
    vpcId: j.vpc_id,
    state: j.state,
    since: Number(j.started_at ?? j.created_at),
    deadline: Number(j.deadline_at),
    reason:
      Number(j.deadline_at) < q.now
        ? `Job has not finished ${Math.round((q.now - Number(j.deadline_at)) / 1000)} s after its deadline`
        : 'Job was flagged stuck by the engine',
  }));
  for (const [kind, table] of [
    ['vpc', 'vpcs'],
    ['network', 'networks'],
    ['nic', 'nics'],
  ] as const) {
    for (const e of await stuckWorkRepo.entitiesStuckIn(db, table, TRANSITIONAL[table], cutoff, limit))
      items.push(entity(kind, e.id, e.vpcId, e.state, e.updatedAt, threshold));
  }
  return items.sort((a, b) => a.since - b.since);
}

function entity(
  kind: StuckItem['kind'],
  id: string,
  vpcId: string,
  state: string,
  since: number,
  threshold: number,
) {
  return {
    kind,
    id,
    vpcId,
    state,
    since,
    deadline: since + threshold,
    reason: `In ${state} for longer than ${Math.round(threshold / 60_000)} min`,
  } satisfies StuckItem;
}
