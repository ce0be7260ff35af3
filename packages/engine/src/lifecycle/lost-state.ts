// Lost controller state: a controller restarted empty (or restored from an older backup) no longer holds what Netplane
// made there. A refused call is checked against observe(), so the diagnosis names that cause instead of the vendor's
// code; and a retried job first re-creates what is missing (repair of the missing drift), so one retry converges.
import { vpcsRepo } from '@netplane/db';
import type { LostResource } from '@netplane/domain';
import type { ElementHandle } from '../elements';
import { isControl } from '../errors';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from './core';
import { describe } from './drift';
import { check } from './reconcile';
import { applyRepairs } from './repair';

/** Categories with which a controller refuses a call whose parent (router, switch) it does not hold. */
const REFUSED = new Set(['INVALID_REQUEST', 'VENDOR_ERROR']);
export const isRefusal = (category: string) => REFUSED.has(category);

/**
 * Asks the controller (observe) whether it still holds the VPC and the tier Netplane implemented there. Undefined
 * when both are there, or when the controller cannot even be observed (then the call's own error stands).
 */
export async function lostTierOf(
  core: EngineCore,
  ctx: JobContext,
  handle: ElementHandle,
  tier: { id: string; vpcId: string; name: string },
): Promise<LostResource | undefined> {
  try {
    const observed = await core.calls.call({
      handle,
      phase: 'observe',
      target: { type: 'network', id: tier.id },
      vpcId: tier.vpcId,
      networkId: tier.id,
      request: { op: 'observe', vpcId: tier.vpcId, reason: 'is the tier still on the controller' },
      idempotencyKey: `${ctx.job.id}:observe-lost:${handle.controllerId}:${tier.id}`,
      job: ctx.callJob(null),
      invoke: (e, c) => e.observe({ vpcId: tier.vpcId }, c),
      summarize: (o) => ({ resources: o.resources.length }),
    });
    const has = (kind: string, id: string) => observed.resources.some((r) => r.kind === kind && r.id === id);
    if (!has('vpc', tier.vpcId)) {
      const vpc = await vpcsRepo.getVpc(core.deps.db.db, tier.vpcId);
      return { resource: 'vpc', id: tier.vpcId, ...(vpc && { name: vpc.name }) };
    }
    if (!has('network', tier.id)) return { resource: 'network', id: tier.id, name: tier.name };
    return undefined;
  } catch (e) {
    if (isControl(e)) throw e;
    return undefined;
  }
}

export type Restored = { restored: string[]; skipped?: string };

/**
 * Before a retried job runs: compare the VPC with its controllers and re-create what they lost (VPC, tiers, the
 * Reserved NICs and Active rules on them). Extra and different resources are left to reconcile/repair. Runs once per
 * job (a step); when the controller cannot be observed the job runs as it would have, and fails with the real cause.
 */
export async function restoreLost(core: EngineCore, ctx: JobContext): Promise<Restored> {
  const vpcId = ctx.job.vpcId;
  if (!vpcId) return { restored: [] };
  return ctx.step('restore-lost', async () => {
    try {
      const { seen, drift } = await check(core, ctx, vpcId);
      const missing = drift.filter((d) => d.kind === 'missing');
      if (missing.length > 0) await applyRepairs(core, ctx, vpcId, seen, missing);
      return { restored: missing.map(describe) };
    } catch (e) {
      if (isControl(e)) throw e;
      return { restored: [], skipped: e instanceof Error ? e.message : String(e) };
    }
  });
}

/** After a retried job: check again, so the VPC's Synced says what the controller holds now. */
async function recheck(core: EngineCore, ctx: JobContext): Promise<void> {
  if (!ctx.job.vpcId) return;
  await check(core, ctx, ctx.job.vpcId).catch((e) => {
    if (isControl(e)) throw e;
  });
}

/** Wraps a handler: a retried job restores lost resources first and re-checks the VPC after (success or not). */
export function restoringOnRetry(
  core: EngineCore,
  run: (ctx: JobContext, restored: Restored | undefined) => Promise<unknown>,
): (ctx: JobContext) => Promise<unknown> {
  return async (ctx) => {
    if (ctx.payload.retryOf === undefined) return run(ctx, undefined);
    const restored = await restoreLost(core, ctx);
    try {
      const result = await run(ctx, restored);
      await recheck(core, ctx);
      return result;
    } catch (e) {
      // A cancel, drain or take-over stops here: no more calls from this node.
      if (!isControl(e)) await recheck(core, ctx);
      throw e;
    }
  };
}
