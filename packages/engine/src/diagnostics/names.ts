// Names of the VPCs, tiers and NICs that diagnoses point at, so a card can say "tier web of VPC shop" instead of an id.
import { type Db, type diagnosesRepo, targetNamesRepo } from '@netplane/db';

/** `${type}:${id}` -> display name; a target that was deleted since has no entry. */
export type TargetNames = ReadonlyMap<string, string>;

export const NO_NAMES: TargetNames = new Map();

const keyOf = (type: string, id: string) => `${type}:${id}`;
/** One query per kind (and per 500 ids): a page of diagnoses costs five reads at most, whatever its length. */
export async function loadTargetNames(
  db: Db,
  records: readonly diagnosesRepo.DiagnosisRecord[],
): Promise<TargetNames> {
  const ids = {
    vpc: new Set<string>(),
    network: new Set<string>(),
    nic: new Set<string>(),
    staticNat: new Set<string>(),
    lbRule: new Set<string>(),
    portForward: new Set<string>(),
  };
  for (const r of records) {
    if (r.vpcId !== null) ids.vpc.add(r.vpcId);
    if (r.targetType in ids) ids[r.targetType as keyof typeof ids].add(r.targetId);
  }
  const names = new Map<string, string>();
  for (const type of Object.keys(ids) as (keyof typeof ids)[]) {
    for (const [id, name] of await targetNamesRepo.targetNames(db, type, ids[type]))
      names.set(keyOf(type, id), name);
  }
  return names;
}

/** The names a diagnosis record shows: its target's and its VPC's, null when unknown (a job, or deleted since). */
export function namesFor(
  names: TargetNames,
  r: Pick<diagnosesRepo.DiagnosisRecord, 'targetType' | 'targetId' | 'vpcId'>,
): { targetName: string | null; vpcName: string | null } {
  return {
    targetName: names.get(keyOf(r.targetType, r.targetId)) ?? null,
    vpcName: r.vpcId === null ? null : (names.get(keyOf('vpc', r.vpcId)) ?? null),
  };
}
