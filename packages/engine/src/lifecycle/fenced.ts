// A write that happens only while this node still holds the job's lease (fencing token), in one transaction.
import { type Db, inTransaction, jobsRepo } from '@netplane/db';
import { FencedError } from '../errors';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from './core';

/** Writes in one transaction with the check that this node still holds the job (else FencedError, nothing written). */
export async function fenced(
  core: EngineCore,
  ctx: JobContext,
  write: (db: Db) => Promise<void>,
): Promise<void> {
  const now = core.deps.now();
  const fence = { jobId: ctx.job.id, node: ctx.nodeId, token: ctx.token };
  await inTransaction(core.deps.db.db, async (trx) => {
    if (!(await jobsRepo.touchIfHeld(trx, fence, now)))
      throw new FencedError(`Job ${ctx.job.id} was taken over`);
    await write(trx);
  });
}
