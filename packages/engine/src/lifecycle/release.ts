// Release NICs, single or in bulk: their static NATs and LB memberships go first (rules.ts), then the ports on every
// element of the tier; each NIC is its own step, so a resumed job skips the NICs already done.
import { networksRepo, nicsRepo } from '@netplane/db';
import { reasonFromCode } from '@netplane/domain';

import { CallFailed, isControl, JobFailure } from '../errors';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from './core';
import { tierHandlesForNics } from './credentials-failure';
import { fenceOf } from './implement';
import { pool } from './pool';
import { detachPublicServices } from './rules';
import type { Failure } from './teardown';

/** Releases NICs on every element of their tier, continuing past failures; used by the release job and teardown. */
export async function releaseNicsOf(
  core: EngineCore,
  ctx: JobContext,
  network: networksRepo.NetworkRow,
  nicIds: readonly string[],
  prefix = '',
): Promise<Failure[]> {
  const db = core.deps.db.db;
  const nics = await nicsRepo.getNics(db, nicIds);
  const handles = await tierHandlesForNics(core, ctx, network.id, nics, 'Allocated');
  // Public services first: a NIC's static NAT is revoked and its LB rules shrink before the port goes away.
  const { failures, blocked } = await detachPublicServices(
    core,
    ctx,
    network.id,
    nics.filter((n) => n.state !== 'Allocated' && !ctx.isDone(`${prefix}release:${n.id}`)).map((n) => n.id),
    prefix,
  );
  const base = { entity: 'nic' as const, actor: ctx.actor, jobId: ctx.job.id, fence: fenceOf(ctx) };
  await pool(nics, core.options.nicParallelism, async (n) => {
    const stepKey = `${prefix}release:${n.id}`;
    // Its static NAT could not be revoked: the NIC stays as it is (the rule is in Error, the job fails).
    if (ctx.isDone(stepKey) || n.state === 'Allocated' || blocked.has(n.id)) return;
    await ctx.checkpoint();
    if (n.state !== 'Releasing')
      await core.state.transition({ ...base, id: n.id, to: 'Releasing', reason: 'Release requested' });
    const mine: Failure[] = [];
    for (const h of handles) {
      try {
        await core.calls.call({
          handle: h,
          phase: 'release',
          target: { type: 'nic', id: n.id },
          vpcId: network.vpcId,
          networkId: network.id,
          request: { op: 'releaseNic', nicId: n.id },
          idempotencyKey: `${ctx.job.id}:release:${h.controllerId}:${n.id}`,
          job: ctx.callJob(stepKey),
          invoke: (e, c) => e.releaseNic({ nicId: n.id, networkId: network.id, vpcId: network.vpcId }, c),
        });
      } catch (e) {
        if (isControl(e) || !(e instanceof CallFailed)) throw e;
        mine.push({
          target: `nic ${n.ip}`,
          controllerId: h.controllerId,
          element: h.adapterId,
          category: e.error.category,
          message: e.message,
          callId: e.callId,
        });
      }
    }
    if (mine.length > 0) {
      const first = mine[0] as Failure;
      const message = `Release failed with ${first.category}: ${first.message}`;
      await core.state.transition({
        ...base,
        id: n.id,
        to: 'Error',
        reason: message,
        conditions: [{ type: 'Ready', status: 'False', reason: reasonFromCode(first.category), message }],
        error: { code: 'CALL_FAILED', category: first.category, message, rootCallId: first.callId },
      });
      failures.push(...mine);
    } else {
      await core.state.transition({
        ...base,
        id: n.id,
        to: 'Allocated',
        reason: 'Released on every element',
        conditions: [
          { type: 'Ready', status: 'False', reason: 'Released', message: 'The NIC is released' },
          {
            type: 'Synced',
            status: 'Unknown',
            reason: 'NotPrepared',
            message: 'Nothing to compare while released',
          },
        ],
      });
    }
    await ctx.record(stepKey, { failures: mine.length }, prefix ? 0 : 1);
  });
  return failures;
}

export async function releaseNicsJob(core: EngineCore, ctx: JobContext): Promise<unknown> {
  const nicIds = (ctx.payload.nicIds as string[]) ?? [];
  const network = await networksRepo.getNetwork(core.deps.db.db, ctx.job.targetId);
  if (!network) throw new JobFailure('NOT_FOUND', 'The tier does not exist');
  await ctx.setTotal(nicIds.length);
  const failures = await releaseNicsOf(core, ctx, network, nicIds);
  if (failures.length > 0)
    throw new JobFailure('RELEASE_FAILED', `${failures.length} release call(s) failed`, { failures });
  return { released: nicIds.length };
}
