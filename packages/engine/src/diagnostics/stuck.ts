// Stuck work: jobs past their deadline and entities left in a transitional state, flagged for cleanup.
import type { Db } from '@netplane/db';

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
  const jobs = await db
    .selectFrom('jobs')
    .select(['id', 'vpc_id', 'state', 'created_at', 'started_at', 'deadline_at', 'stuck'])
    .where('finished_at', 'is', null)
    .where((eb) => eb.or([eb('deadline_at', '<', q.now), eb('stuck', '=', 1)]))
    .orderBy('deadline_at')
    .limit(limit)
    .execute();
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
  const vpcs = await db
    .selectFrom('vpcs')
    .select(['id', 'state', 'updated_at'])
    .where('state', 'in', [...TRANSITIONAL.vpcs])
    .where('updated_at', '<', cutoff)
    .limit(limit)
    .execute();
  for (const v of vpcs) items.push(entity('vpc', v.id, v.id, v.state, Number(v.updated_at), threshold));
  const networks = await db
    .selectFrom('networks')
    .select(['id', 'vpc_id', 'state', 'updated_at'])
    .where('state', 'in', [...TRANSITIONAL.networks])
    .where('updated_at', '<', cutoff)
    .limit(limit)
    .execute();
  for (const n of networks)
    items.push(entity('network', n.id, n.vpc_id, n.state, Number(n.updated_at), threshold));
  const nics = await db
    .selectFrom('nics')
    .select(['id', 'vpc_id', 'state', 'updated_at'])
    .where('state', 'in', [...TRANSITIONAL.nics])
    .where('updated_at', '<', cutoff)
    .limit(limit)
    .execute();
  for (const n of nics) items.push(entity('nic', n.id, n.vpc_id, n.state, Number(n.updated_at), threshold));
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
