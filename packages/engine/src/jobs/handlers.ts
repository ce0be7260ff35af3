// One handler per job kind. The mapped type makes a kind added to JOB_KINDS without a handler a type error.

import { networkAclJob } from '../lifecycle/acl-job';
import type { EngineCore } from '../lifecycle/core';
import { implementTierJob } from '../lifecycle/implement';
import { restoringOnRetry } from '../lifecycle/lost-state';
import { prepareNicsJob } from '../lifecycle/nics';
import { reconcileVpcJob } from '../lifecycle/reconcile';
import { releaseNicsJob } from '../lifecycle/release';
import { repairVpcJob } from '../lifecycle/repair';
import { lbRuleJob, portForwardJob, staticNatJob } from '../lifecycle/rules';
import { destroyTierJob, destroyVpcJob, shutdownTierJob } from '../lifecycle/teardown';
import type { JobKind } from './kinds';
import type { JobHandler } from './run-job';

export type JobHandlers = { readonly [K in JobKind]: JobHandler };

export const jobHandlers = (c: EngineCore): JobHandlers => ({
  // A retry first re-creates what the controller lost (lifecycle/lost-state.ts); undoing jobs need nothing back.
  'network.implement': restoringOnRetry(c, (ctx) => implementTierJob(c, ctx)),
  'network.shutdown': (ctx) => shutdownTierJob(c, ctx),
  'network.destroy': (ctx) => destroyTierJob(c, ctx),
  'vpc.destroy': (ctx) => destroyVpcJob(c, ctx),
  'nic.prepare': restoringOnRetry(c, (ctx, restored) => prepareNicsJob(c, ctx, restored)),
  'nic.release': (ctx) => releaseNicsJob(c, ctx),
  'vpc.reconcile': (ctx) => reconcileVpcJob(c, ctx),
  'vpc.repair': (ctx) => repairVpcJob(c, ctx),
  'staticNat.apply': restoringOnRetry(c, (ctx) => staticNatJob(c, ctx, 'apply')),
  'staticNat.revoke': (ctx) => staticNatJob(c, ctx, 'revoke'),
  'lb.apply': restoringOnRetry(c, (ctx) => lbRuleJob(c, ctx, 'apply')),
  'lb.revoke': (ctx) => lbRuleJob(c, ctx, 'revoke'),
  'portForwarding.apply': restoringOnRetry(c, (ctx) => portForwardJob(c, ctx, 'apply')),
  'portForwarding.revoke': (ctx) => portForwardJob(c, ctx, 'revoke'),
  // Idempotent (the tier's whole ACL is replaced): a retry runs it again as it is.
  'networkAcl.apply': (ctx) => networkAclJob(c, ctx),
});
