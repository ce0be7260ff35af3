// An element call made as a job step: run once (a resumed job reuses the step's result), idempotent under the step's
// key, fenced by the job's lease. The one way lifecycle jobs call an element for a step.
import type { CallSpec } from '../guards/call-runner';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from './core';

export function stepCall<T>(
  core: EngineCore,
  ctx: JobContext,
  key: string,
  spec: Omit<CallSpec<T>, 'idempotencyKey' | 'job'>,
  progress = 0,
): Promise<T> {
  return ctx.step(
    key,
    () => core.calls.call({ ...spec, idempotencyKey: `${ctx.job.id}:${key}`, job: ctx.callJob(key) }),
    progress,
  );
}

/**
 * What a call on a VPC as a whole (observe, destroyVpc, a repair's implementVpc) records: the VPC as its target and
 * no tier, so that the call log files it under the VPC and under none of its tiers.
 */
export const onWholeVpc = (vpcId: string): Pick<CallSpec<unknown>, 'target' | 'vpcId' | 'networkId'> => ({
  target: { type: 'vpc', id: vpcId },
  vpcId,
  networkId: null,
});
