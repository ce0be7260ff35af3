// Names of the VPCs, tiers and NICs that diagnoses point at, so a card can say "tier web of VPC shop" instead of an id.
import type { Db, diagnosesRepo } from '@netplane/db';

/** `${type}:${id}` -> display name; a target that was deleted since has no entry. */
export type TargetNames = ReadonlyMap<string, string>;

export const NO_NAMES: TargetNames = new Map();

const keyOf = (type: string, id: string) => `${type}:${id}`;
const CHUNK = 500;

function chunks(ids: Set<string>): string[][] {
  const all = [...ids];
  const out: string[][] = [];
  for (let i = 0; i < all.length; i += CHUNK) out.push(all.slice(i, i + CHUNK));
  return out;
}

/** One query per kind (and per 500 ids): a page of diagnoses costs three reads at most, whatever its length. */
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
  };
  for (const r of records) {
    if (r.vpcId !== null) ids.vpc.add(r.vpcId);
    if (r.targetType in ids) ids[r.targetType as keyof typeof ids].add(r.targetId);
  }
  const names = new Map<string, string>();
  for (const part of chunks(ids.vpc)) {
    const rows = await db.selectFrom('vpcs').select(['id', 'name']).where('id', 'in', part).execute();
    for (const r of rows) names.set(keyOf('vpc', r.id), r.name);
  }
  for (const part of chunks(ids.network)) {
    const rows = await db.selectFrom('networks').select(['id', 'name']).where('id', 'in', part).execute();
    for (const r of rows) names.set(keyOf('network', r.id), r.name);
  }
  for (const part of chunks(ids.nic)) {
    const rows = await db
      .selectFrom('nics')
      .select(['id', 'vm_name', 'ip'])
      .where('id', 'in', part)
      .execute();
    // The same words as the diagnosis sentence (describeEntity in facts.ts).
    for (const r of rows) names.set(keyOf('nic', r.id), `${r.vm_name} (${r.ip})`);
  }
  for (const part of chunks(ids.staticNat)) {
    const rows = await db
      .selectFrom('static_nat_rules')
      .select(['id', 'public_ip', 'private_ip'])
      .where('id', 'in', part)
      .execute();
    for (const r of rows) names.set(keyOf('staticNat', r.id), `${r.public_ip} → ${r.private_ip}`);
  }
  for (const part of chunks(ids.lbRule)) {
    const rows = await db
      .selectFrom('lb_rules')
      .select(['id', 'name', 'public_ip', 'public_port'])
      .where('id', 'in', part)
      .execute();
    for (const r of rows) names.set(keyOf('lbRule', r.id), `${r.name} (${r.public_ip}:${r.public_port})`);
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
