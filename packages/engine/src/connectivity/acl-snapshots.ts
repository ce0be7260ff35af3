// The reachability matrix around an ACL change: the networkAcl.apply job computes it before its first apply call and
// again after its last (success or not), with the flows of the VPC's latest matrix, both marked with the job's id
// (changeId) so connectivity.matrixHistory shows the pair. Computed inside the job rather than at the request: the
// controller still holds the old rules until the job applies them, so "before" is what was really in effect, and a
// request answers at once. A VPC nobody ever asked a matrix of gets none. Each snapshot is a job step: a job resumed
// on another node does not compute "before" again over half-applied rules. A snapshot that fails is logged and
// skipped; the ACL change itself never fails because of it.
import { connectivityRepo } from '@netplane/db';
import type { TraceFlow } from '@netplane/domain';
import { isControl } from '../errors';
import type { JobContext } from '../jobs/context';
import type { EngineCore } from '../lifecycle/core';
import { computeMatrix } from './matrix';

/** The caller runs "after" only when "before" answered an id (its step result survives a resume). */
export async function aclMatrixSnapshot(
  core: EngineCore,
  ctx: JobContext,
  vpcId: string | null,
  kind: 'before' | 'after',
  changeLabel: string,
): Promise<string | null> {
  if (!vpcId) return null;
  const db = core.deps.db.db;
  try {
    return await ctx.step(`matrix:${kind}`, async () => {
      const last = await connectivityRepo.latestMatrixOfVpc(db, vpcId);
      if (!last) return null;
      const protocols = JSON.parse(last.protocols) as TraceFlow[];
      const m = await computeMatrix(core, { vpcId, protocols }, ctx.job.createdBy, {
        kind,
        changeId: ctx.job.id,
        changeLabel,
      });
      return m.id;
    });
  } catch (e) {
    if (isControl(e)) throw e;
    core.deps.logger.warn(
      { jobId: ctx.job.id, vpcId, kind, error: (e as Error).message },
      `The reachability matrix ${kind} the ACL change could not be computed`,
    );
    return null;
  }
}
