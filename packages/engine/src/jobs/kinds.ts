import type { Db } from '@netplane/db';

// The job kinds the engine runs, and the shape of a job submission. A kind here without a handler in
// jobs/handlers.ts fails the typecheck.
export const JOB_KINDS = [
  'network.implement',
  'network.shutdown',
  'network.destroy',
  'vpc.destroy',
  'nic.prepare',
  'nic.release',
  'vpc.reconcile',
  'vpc.repair',
  'staticNat.apply',
  'staticNat.revoke',
  'lb.apply',
  'lb.revoke',
  'portForwarding.apply',
  'portForwarding.revoke',
  'networkAcl.apply',
] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export type SubmitJobInput = {
  /** Set when the target row already names the job (rules); a fresh UUID otherwise. */
  id?: string;
  kind: JobKind;
  targetType: 'vpc' | 'network' | 'nic' | 'staticNat' | 'lbRule' | 'portForward' | 'aclList';
  targetId: string;
  vpcId: string | null;
  payload?: Record<string, unknown>;
  total?: number;
  actor: string;
};

export type JobRef = { jobId: string };

/**
 * Writes that must commit with the job row or not at all: the row that names the job (a rule in Add or Revoke). They
 * run first, in the transaction that inserts the job; a throw rolls both back.
 */
export type WithJob = (trx: Db) => Promise<unknown>;

/** Inserts a job row (with `alongside` in one transaction), announces it and wakes this node's worker; resolves to the job's id. */
export type SubmitJob = (input: SubmitJobInput, alongside?: WithJob) => Promise<string>;
