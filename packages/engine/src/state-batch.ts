// The batched write of StateStore.transitionMany, in the caller's transaction: the fence check (with the chunk's
// progress), one compare-and-set per row (or one statement when every row makes the same move), then one multi-row
// insert of the transition rows and of the job steps. A lost compare-and-set throws BatchConflict: the caller rolls
// the chunk back and falls back to one transition per item.
import type { Db } from '@netplane/db';
import { transitionsRepo } from '@netplane/db';
import { FencedError } from './errors';
import type { Fence, TransitionInput } from './state';

/** The table of each entity type. */
export const TABLE = { vpc: 'vpcs', network: 'networks', nic: 'nics' } as const;

/** A row changed under the batch. */
export class BatchConflict extends Error {}

export type PlannedTransition = {
  t: TransitionInput;
  row: NonNullable<TransitionInput['known']>;
  conditions: string | undefined;
};

export async function writeBatch(
  trx: Db,
  b: {
    first: TransitionInput;
    fence: Fence | undefined;
    planned: readonly PlannedTransition[];
    progress: number;
    now: number;
  },
): Promise<void> {
  const { first, fence, planned, progress, now } = b;
  if (fence) {
    const held = await trx
      .updateTable('jobs')
      .set((eb) => ({ updated_at: now, progress_done: eb('progress_done', '+', progress) }))
      .where('id', '=', fence.jobId)
      .where('lease_owner', '=', fence.node)
      .where('fencing_token', '=', fence.token)
      .where('state', '=', 'running')
      .executeTakeFirst();
    if (Number(held.numUpdatedRows) !== 1) throw new FencedError(`Job ${fence.jobId} was taken over`);
  }
  const to = first.to;
  const conds = planned[0]?.conditions;
  const uniform = planned.every(
    (p) => p.t.to === to && p.conditions === conds && p.row.state === first.known?.state,
  );
  if (uniform) {
    // The same move and the same resulting conditions for every row: one statement, still compare-and-set on
    // the state and on every row's own version, so no concurrent write is lost.
    const table = TABLE[first.entity];
    const res = await trx
      .updateTable(table)
      .set((eb) => ({
        state: to,
        updated_at: now,
        version: eb('version', '+', 1),
        ...(conds !== undefined && { conditions: conds }),
      }))
      .where(
        'id',
        'in',
        planned.map((p) => p.t.id),
      )
      .where('state', '=', first.known?.state ?? '')
      .where((eb) =>
        eb.or(planned.map((p) => eb.and([eb('id', '=', p.t.id), eb('version', '=', p.row.version)]))),
      )
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== planned.length) throw new BatchConflict();
  }
  for (const p of uniform ? [] : planned) {
    const ok = await transitionsRepo.casState(trx, {
      table: TABLE[p.t.entity],
      id: p.t.id,
      version: p.row.version,
      to: p.t.to,
      now,
      ...(p.conditions !== undefined && { conditions: p.conditions }),
    });
    if (!ok) throw new BatchConflict();
  }
  const moved = planned.filter((p) => p.row.state !== p.t.to);
  if (moved.length > 0) {
    await trx
      .insertInto('state_transitions')
      .values(
        moved.map((p) => ({
          entity_type: p.t.entity,
          entity_id: p.t.id,
          from_state: p.row.state,
          to_state: p.t.to,
          at: now,
          actor: p.t.actor,
          reason: p.t.reason,
          job_id: p.t.jobId ?? null,
        })),
      )
      .execute();
  }
  const steps = planned.filter((p) => p.t.step);
  if (fence && steps.length > 0) {
    await trx
      .insertInto('job_steps')
      .values(
        steps.map((p) => ({
          job_id: fence.jobId,
          step_key: p.t.step?.key ?? '',
          seq: p.t.step?.seq ?? 0,
          state: 'done',
          result: p.t.step?.result ?? null,
          at: now,
          node_id: fence.node,
          fencing_token: fence.token,
        })),
      )
      .execute();
  }
}
