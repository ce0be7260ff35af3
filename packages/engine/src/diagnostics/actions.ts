// The actions a diagnosis offers, each one engine call: retry, adopt, release, rerun-negotiation. open-controller is
// a link in the console, not a server action.
import { type Db, diagnosesRepo } from '@netplane/db';
import { AppError, type DiagnosisAction } from '@netplane/domain';
import type { Engine, JobRef } from '../engine';

export type ServerAction = Exclude<DiagnosisAction, 'open-controller'>;

export async function runDiagnosisAction(
  engine: Engine,
  db: Db,
  input: { diagnosisId: string; action: ServerAction; actor: string },
): Promise<JobRef & { targetType: string; targetId: string }> {
  const d = await diagnosesRepo.getDiagnosis(db, input.diagnosisId);
  if (!d) throw new AppError('NOT_FOUND', `Diagnosis ${input.diagnosisId} does not exist`);
  if (!d.actions.includes(input.action)) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `${input.action} does not apply to a ${d.title} diagnosis of a ${d.targetType}; it offers ${d.actions.join(', ') || 'nothing'}`,
    );
  }
  if (d.resolvedAt !== null) throw new AppError('INVALID_STATE', 'This diagnosis is already resolved');
  const target = { targetType: d.targetType, targetId: d.targetId };
  switch (input.action) {
    // A retry repeats the failed operation; calls are idempotent, and what the controller already holds for our ids
    // (a create that timed out but happened) is found by observe() and adopted. "adopt" is that retry, named for
    // the case where the controller did the work and only the answer was lost.
    case 'retry':
    case 'adopt':
      if (d.targetType === 'staticNat')
        return { ...target, ...(await engine.retryStaticNat(d.targetId, input.actor)) };
      if (d.targetType === 'lbRule')
        return { ...target, ...(await engine.retryLbRule(d.targetId, input.actor)) };
      if (d.targetType === 'portForward')
        return { ...target, ...(await engine.portForwarding.retry(d.targetId, input.actor)) };
      if (d.targetType === 'aclList')
        return { ...target, ...(await engine.networkAcls.retry(d.targetId, input.actor)) };
      return {
        ...target,
        ...(await engine.retry(
          d.targetType === 'job' ? { jobId: d.targetId } : { targetId: d.targetId },
          input.actor,
        )),
      };
    case 'release':
      if (d.targetType !== 'nic') throw new AppError('PRECONDITION_FAILED', 'Only a NIC can be released');
      return { ...target, ...(await engine.releaseNics([d.targetId], input.actor)) };
    // Implementing a tier negotiates again, with the providers, tags and states as they are now.
    case 'rerun-negotiation':
      if (d.targetType !== 'network') {
        throw new AppError('PRECONDITION_FAILED', 'Negotiation runs for a tier; open the tier of this VPC');
      }
      return { ...target, ...(await engine.implementTier(d.targetId, input.actor)) };
    default:
      return input.action satisfies never;
  }
}
