// One handler per job kind. The mapped type makes a kind added to JOB_KINDS without a handler a type error.

import { networkAclJob } from '../lifecycle/acl-job';
import type { EngineCore } from '../lifecycle/core';
import { implementTierJob } from '../lifecycle/implement';
import { restoringOnRetry } from '../lifecycle/lost-state';
import { prepareNicsJob } from '../lifecycle/nics';
import { realizeVpc } from '../lifecycle/realized-write';
import { reconcileVpcJob } from '../lifecycle/reconcile';
import { releaseNicsJob } from '../lifecycle/release';
import { repairVpcJob } from '../lifecycle/repair';
import { lbRuleJob, portForwardJob, staticNatJob } from '../lifecycle/rules';
import { destroyTierJob, destroyVpcJob, shutdownTierJob } from '../lifecycle/teardown';
import type { JobKind } from './kinds';
import type { JobHandler } from './run-job';

export type JobHandlers = { readonly [K in JobKind]: JobHandler };

/**
 * Once a job that changed a VPC has done its calls, the VPC's Realized conditions are checked (lifecycle/realized.ts):
 * the check never fails the job, and a failed job is not checked (its Ready already says what went wrong).
 */
const realizing =
  (c: EngineCore, run: JobHandler): JobHandler =>
  async (ctx) => {
    const result = await run(ctx);
    if (ctx.job.vpcId) {
      ctx.finishing();
      await realizeVpc(c, ctx, ctx.job.vpcId);
    }
    return result;
  };

export const jobHandlers = (c: EngineCore): JobHandlers => ({
  // A retry first re-creates what the controller lost (lifecycle/lost-state.ts); undoing jobs need nothing back.
  'network.implement': realizing(
    c,
    restoringOnRetry(c, (ctx) => implementTierJob(c, ctx)),
  ),
  'network.shutdown': realizing(c, (ctx) => shutdownTierJob(c, ctx)),
  'network.destroy': (ctx) => destroyTierJob(c, ctx),
  'vpc.destroy': (ctx) => destroyVpcJob(c, ctx),
  'nic.prepare': realizing(
    c,
    restoringOnRetry(c, (ctx, restored) => prepareNicsJob(c, ctx, restored)),
  ),
  'nic.release': realizing(c, (ctx) => releaseNicsJob(c, ctx)),
  'vpc.reconcile': realizing(c, (ctx) => reconcileVpcJob(c, ctx)),
  'vpc.repair': realizing(c, (ctx) => repairVpcJob(c, ctx)),
  'staticNat.apply': realizing(
    c,
    restoringOnRetry(c, (ctx) => staticNatJob(c, ctx, 'apply')),
  ),
  'staticNat.revoke': realizing(c, (ctx) => staticNatJob(c, ctx, 'revoke')),
  'lb.apply': realizing(
    c,
    restoringOnRetry(c, (ctx) => lbRuleJob(c, ctx, 'apply')),
  ),
  'lb.revoke': realizing(c, (ctx) => lbRuleJob(c, ctx, 'revoke')),
  'portForwarding.apply': realizing(
    c,
    restoringOnRetry(c, (ctx) => portForwardJob(c, ctx, 'apply')),
  ),
  'portForwarding.revoke': realizing(c, (ctx) => portForwardJob(c, ctx, 'revoke')),
  // Idempotent (the tier's whole ACL is replaced): a retry runs it again as it is.
  'networkAcl.apply': realizing(c, (ctx) => networkAclJob(c, ctx)),
});
