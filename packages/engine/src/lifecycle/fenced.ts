// A write that happens only while this node still holds the job's lease (fencing token), in one transaction.
import type { Db } from '@netplane/db';
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
  await core.deps.db.db.transaction().execute(async (trx) => {
    const held = await trx
      .updateTable('jobs')
      .set({ updated_at: now })
      .where('id', '=', ctx.job.id)
      .where('lease_owner', '=', ctx.nodeId)
      .where('fencing_token', '=', ctx.token)
      .where('state', '=', 'running')
      .executeTakeFirst();
    if (Number(held.numUpdatedRows) !== 1) throw new FencedError(`Job ${ctx.job.id} was taken over`);
    await write(trx);
  });
}
