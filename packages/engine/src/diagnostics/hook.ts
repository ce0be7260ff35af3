// The one place the engine reports that a VPC, tier or NIC entered Error: classify it, store the diagnosis, and link
// it to the job's root cause. The engine awaits it but never fails because of it (it logs what this throws).
import { randomUUID } from 'node:crypto';
import { type Db, diagnosesRepo, failureFactsRepo } from '@netplane/db';
import { type Diagnosis, diagnose, type FailureFacts, type LostResource, redactDeep } from '@netplane/domain';
import { factsOf, loadFailedCall } from './facts';

export type EntityErrorEvent = {
  entityType: 'vpc' | 'network' | 'nic' | 'staticNat' | 'lbRule' | 'portForward' | 'aclList';
  entityId: string;
  vpcId: string | null;
  jobId: string | null;
  /** The state the entity left to enter Error. */
  fromState: string;
  /** Engine code (e.g. NO_ELEMENT_FOR_SERVICE, CALL_FAILED, UNDO_FAILED) and the adapter category if a call failed. */
  code: string;
  category?: string;
  message: string;
  /** element_calls.id of the first failing call (the root cause), when a call failed. */
  rootCallId?: string;
  /** negotiation_traces.id when negotiation failed. */
  traceId?: string;
  /** The controller whose credentials could not be decrypted (code CREDENTIALS_UNREADABLE). */
  controllerId?: string;
  /** What observe found missing on the controller after the call failed (code CONTROLLER_LOST_STATE). */
  lost?: LostResource;
  /** Netplane's own pool that ran out (code CAPACITY_EXHAUSTED without a call): the zone and its ranges. */
  capacity?: {
    resource: 'publicIp';
    zone: { id: string; name?: string };
    ranges: readonly { id: string; cidr: string; used: number; size: number }[];
  };
  at: number;
};

function callIdOf(evidence: unknown): string | undefined {
  return (evidence as { call?: { callId?: string } } | null)?.call?.callId;
}

/** Where a diagnosis is filed: its target, VPC, job, root cause and time (everything but what diagnose() says). */
export type DiagnosisPlace = Omit<diagnosesRepo.NewDiagnosis, 'id' | keyof Diagnosis>;

/** Stores what diagnose() said (its evidence redacted) at a place; returns the new diagnosis id. */
export async function insertDiagnosed(db: Db, d: Diagnosis, at: DiagnosisPlace): Promise<string> {
  const id = randomUUID();
  await diagnosesRepo.insertDiagnosis(db, {
    id,
    ...at,
    category: d.category,
    title: d.title,
    sentence: d.sentence,
    evidence: redactDeep(d.evidence),
    remediation: d.remediation,
    actions: d.actions,
  });
  return id;
}

function store(db: Db, facts: FailureFacts, at: number, rootCauseId: string | null): Promise<string> {
  return insertDiagnosed(db, diagnose(facts), {
    targetType: facts.target.type,
    targetId: facts.target.id,
    vpcId: facts.vpcId,
    jobId: facts.jobId,
    rootCauseId,
    createdAt: at,
  });
}

/** Every node agrees that the earliest root of a job is the root; later ones are linked to it. */
async function settleRoot(db: Db, jobId: string): Promise<string | undefined> {
  const [first, ...later] = await diagnosesRepo.listJobRoots(db, jobId);
  for (const d of later) await diagnosesRepo.linkToRoot(db, d.id, first?.id ?? d.id);
  return first?.id;
}

export async function diagnoseEntityError(db: Db, event: EntityErrorEvent): Promise<string> {
  // A replay of the same step after a take-over must not add a second diagnosis for the same failure.
  const open = await diagnosesRepo.listOpenForTarget(db, event.entityType, event.entityId);
  const same = open.find((d) => d.jobId === event.jobId);
  if (same) return same.id;

  const facts = await factsOf(db, event);
  const roots = event.jobId ? await diagnosesRepo.listJobRoots(db, event.jobId) : [];
  const id = await store(db, facts, event.at, roots[0]?.id ?? null);
  if (!event.jobId) return id;
  const rootId = (await settleRoot(db, event.jobId)) ?? id;
  // Undo runs for tiers and VPCs only; skipping the scan keeps a 1000-NIC failure linear, not quadratic.
  if (event.entityType !== 'vpc' && event.entityType !== 'network') return id;

  // Rollback failures caused by the root are kept as linked diagnoses, never shown as separate errors.
  const known = new Set(
    (await diagnosesRepo.listDiagnoses(db, { jobId: event.jobId, limit: 10_000 })).map((d) =>
      callIdOf(d.evidence),
    ),
  );
  for (const row of await failureFactsRepo.failingCallsOfJob(db, event.jobId)) {
    if (row.purpose !== 'rollback' || known.has(row.id)) continue;
    const call = await loadFailedCall(db, row);
    if (!call) continue;
    const type = row.target_type === 'vpc' || row.target_type === 'nic' ? row.target_type : 'network';
    await store(
      db,
      {
        target: { type, id: row.target_id },
        vpcId: event.vpcId,
        jobId: event.jobId,
        failure: { kind: 'call', call },
      },
      event.at,
      rootId,
    );
  }
  return id;
}

/** Called by the engine (StateStore) on every entry into Error; it catches and logs what this throws. */
export async function onEntityError(db: Db, event: EntityErrorEvent): Promise<void> {
  await diagnoseEntityError(db, event);
}
