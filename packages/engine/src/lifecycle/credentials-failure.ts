// The NICs of a prepare or release whose controller's credentials cannot be decrypted here: Error, with a diagnosis.
import { networksRepo, type nicsRepo } from '@netplane/db';
import type { NicState } from '@netplane/domain';
import { type ElementHandle, unreadableCredentialsOf } from '../elements';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from './core';
import { fenceOf } from './implement';
import { groupElements } from './specs';

/**
 * No NIC is left as it was without a word: each of `nics` (the ones the job would have changed) goes to Error with
 * its own CREDENTIALS_UNREADABLE diagnosis. The caller rethrows the SECRET_UNREADABLE error, so that a teardown
 * around it can put its tier in Error too.
 */
export async function failNicsOnUnreadableCredentials(
  core: EngineCore,
  ctx: JobContext,
  nics: readonly nicsRepo.NicRow[],
  secret: { controllerId: string; controllerName: string; reason: string },
): Promise<void> {
  const message = `Controller ${secret.controllerName}'s stored credentials cannot be decrypted: ${secret.reason}`;
  const base = { entity: 'nic' as const, actor: ctx.actor, jobId: ctx.job.id, fence: fenceOf(ctx) };
  await core.state.transitionMany(
    nics.map((n) => ({
      ...base,
      id: n.id,
      to: 'Error',
      reason: message,
      conditions: [{ type: 'Ready', status: 'False', reason: 'CredentialsUnreadable', message }],
      error: { code: 'CREDENTIALS_UNREADABLE', message: secret.reason, controllerId: secret.controllerId },
    })),
  );
}

/**
 * The handles of every element of a tier, for a job that brings `nics` to state `goal` (prepare: Reserved, release:
 * Allocated). Where a controller's credentials cannot be read, the NICs the job would have changed (neither in `goal`
 * already nor in Error) go to Error first, then the error is rethrown.
 */
export async function tierHandlesForNics(
  core: EngineCore,
  ctx: JobContext,
  networkId: string,
  nics: readonly nicsRepo.NicRow[],
  goal: NicState,
): Promise<ElementHandle[]> {
  const db = core.deps.db.db;
  try {
    return await Promise.all(
      groupElements(await networksRepo.listElements(db, [networkId])).map((g) =>
        core.elements.get(g.controllerId),
      ),
    );
  } catch (e) {
    const secret = unreadableCredentialsOf(e);
    if (!secret) throw e;
    const changed = nics.filter((n) => n.state !== goal && n.state !== 'Error');
    await failNicsOnUnreadableCredentials(core, ctx, changed, secret);
    throw e;
  }
}
