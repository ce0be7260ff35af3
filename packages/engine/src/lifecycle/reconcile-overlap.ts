// A reconcile compares two reads that are not one snapshot: the database rows first, then the controller (observe).
// A job of the same VPC writing in between (a prepare whose port exists before its NIC row says Reserved, a release
// whose port is gone while the row still says Reserved, an implement, a repair, a rule or ACL job) makes the two halves
// disagree, and that is not drift: reported, it would leave Synced=False after our own writes, with nothing to check
// it again once the monitor update of those writes was consumed. So drift found while another job of the VPC was
// active is not trusted: observed again at once when those jobs have ended, else left unwritten and the VPC checked
// again after them (JobEvents.recheck → the drift watch). Documented in docs/engine.md (Drift watch).
import { jobsRepo } from '@netplane/db';
import type { EngineCore } from './core';

/** Rounds of one reconcile: a VPC whose jobs keep starting and ending during each round is deferred, not chased. */
export const RECONCILE_ROUNDS = 3;

export type Overlap = { jobId: string; kind: string; state: string };

/**
 * The jobs of the VPC other than `selfId` that may have written to it from `since` on (another reconcile only
 * writes Synced conditions: not one of them).
 */
export async function overlappingJobs(
  core: EngineCore,
  vpcId: string,
  selfId: string,
  since: number,
): Promise<Overlap[]> {
  const jobs = await jobsRepo.jobsOfVpcActiveSince(core.deps.db.db, vpcId, since);
  return jobs
    .filter((j) => j.id !== selfId && j.kind !== 'vpc.reconcile')
    .map((j) => ({ jobId: j.id, kind: j.kind, state: j.state }));
}

/** Still going (running, or handed back and queued again): observing again now would see the same half-state. */
export const stillActive = (o: readonly Overlap[]) =>
  o.some((j) => j.state === 'running' || j.state === 'queued');
