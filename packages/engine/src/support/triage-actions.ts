// Support's hands on the triage queue: acknowledge a failed VPC, assign it, both with an optional note.
import { type Db, triageRepo, vpcsRepo } from '@netplane/db';
import { AppError } from '@netplane/domain';

async function requireVpc(db: Db, vpcId: string): Promise<void> {
  if (!(await vpcsRepo.getVpc(db, vpcId))) throw new AppError('NOT_FOUND', `VPC ${vpcId} does not exist`);
}

export async function acknowledgeVpc(
  db: Db,
  input: { vpcId: string; by: string; note?: string | undefined; at: number },
): Promise<triageRepo.TriageRecord> {
  await requireVpc(db, input.vpcId);
  return triageRepo.acknowledge(db, input.vpcId, input.by, input.at, input.note);
}

export async function assignVpc(
  db: Db,
  input: { vpcId: string; assignee: string | null; note?: string | undefined; at: number },
): Promise<triageRepo.TriageRecord> {
  await requireVpc(db, input.vpcId);
  return triageRepo.assign(db, input.vpcId, input.assignee, input.at, input.note);
}
