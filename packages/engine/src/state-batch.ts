// The batched write of StateStore.transitionMany, in the caller's transaction: the fence check (with the chunk's
// progress), one compare-and-set per row (or one statement when every row makes the same move), then one multi-row
// insert of the transition rows and of the job steps. A lost compare-and-set throws BatchConflict: the caller rolls
// the chunk back and falls back to one transition per item.
import { type Db, jobsRepo, transitionsRepo } from '@netplane/db';
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
  if (fence && !(await jobsRepo.touchIfHeld(trx, fence, now, progress))) {
    throw new FencedError(`Job ${fence.jobId} was taken over`);
  }
  const to = first.to;
  const conds = planned[0]?.conditions;
  const uniform = planned.every(
    (p) => p.t.to === to && p.conditions === conds && p.row.state === first.known?.state,
  );
  if (uniform) {
    // The same move and the same resulting conditions for every row: one statement, still compare-and-set on
    // the state and on every row's own version, so no concurrent write is lost.
    const moved = await transitionsRepo.casStateMany(trx, {
      table: TABLE[first.entity],
      from: first.known?.state ?? '',
      to,
      now,
      rows: planned.map((p) => ({ id: p.t.id, version: p.row.version })),
      ...(conds !== undefined && { conditions: conds }),
    });
    if (moved !== planned.length) throw new BatchConflict();
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
  await transitionsRepo.insertTransitions(
    trx,
    planned
      .filter((p) => p.row.state !== p.t.to)
      .map((p) => ({
        entityType: p.t.entity,
        entityId: p.t.id,
        from: p.row.state,
        to: p.t.to,
        at: now,
        actor: p.t.actor,
        reason: p.t.reason,
        jobId: p.t.jobId ?? null,
      })),
  );
  if (fence) {
    const steps = planned.flatMap((p) =>
      p.t.step ? [{ key: p.t.step.key, seq: p.t.step.seq, state: 'done', result: p.t.step.result }] : [],
    );
    await jobsRepo.insertSteps(trx, fence, steps, now);
  }
}
