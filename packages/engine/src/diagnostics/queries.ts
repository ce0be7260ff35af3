// Read side of diagnostics: open diagnoses grouped by root cause, closing those whose target has left Error.
import { type Db, diagnosesRepo, type Page, targetNamesRepo } from '@netplane/db';
import {
  DIAGNOSIS_ACTIONS,
  type DiagnosisAction,
  type DiagnosisEvidence,
  evidenceSchema,
} from '@netplane/domain';
import { loadTargetNames, NO_NAMES, namesFor, type TargetNames } from './names';

/** A stored diagnosis with its evidence and actions typed again (they were built from the same schemas). */
export type DiagnosisRecordView = Omit<diagnosesRepo.DiagnosisRecord, 'evidence' | 'actions'> & {
  evidence: DiagnosisEvidence;
  actions: DiagnosisAction[];
  /** The target's name (tier, VPC, "vm (ip)" of a NIC) and its VPC's, read now; null for a job or a deleted one. */
  targetName: string | null;
  vpcName: string | null;
};
export type DiagnosisView = DiagnosisRecordView & { caused: DiagnosisRecordView[] };

function typed(r: diagnosesRepo.DiagnosisRecord, names: TargetNames): DiagnosisRecordView {
  const evidence = evidenceSchema.safeParse(r.evidence);
  const actions = r.actions.filter((a): a is DiagnosisAction =>
    (DIAGNOSIS_ACTIONS as readonly string[]).includes(a),
  );
  return { ...r, evidence: evidence.success ? evidence.data : {}, actions, ...namesFor(names, r) };
}

/**
 * Targets that left Error were fixed (retry, release...): their diagnoses are resolved now. A failure linked to a root
 * is resolved when its own target has left Error and its root is resolved too; until then it stays under the root.
 */
async function resolveRecovered(
  db: Db,
  records: diagnosesRepo.DiagnosisRecord[],
  now: number,
): Promise<number> {
  const stillInError = new Set<string>();
  for (const type of ['vpc', 'network', 'nic', 'staticNat', 'lbRule', 'portForward', 'aclList'] as const) {
    const ids = records.filter((r) => r.targetType === type).map((r) => r.targetId);
    for (const id of await targetNamesRepo.idsInError(db, type, ids)) stillInError.add(`${type}:${id}`);
  }
  // NOT_REALIZED is no Error: the Realized check (lifecycle/realized-write.ts) resolves it when the VPC is realized.
  const recovered = (r: diagnosesRepo.DiagnosisRecord) =>
    r.targetType !== 'job' &&
    r.category !== 'NOT_REALIZED' &&
    !stillInError.has(`${r.targetType}:${r.targetId}`);
  const done = new Set(records.filter((r) => r.rootCauseId === null && recovered(r)).map((r) => r.id));
  const listed = new Set(records.map((r) => r.id));
  const rootResolved = new Map<string, boolean>();
  for (const r of records) {
    if (r.rootCauseId === null || !recovered(r)) continue;
    let resolved = done.has(r.rootCauseId);
    if (!resolved && !listed.has(r.rootCauseId)) {
      // The root is not on this page: it was resolved earlier, or lies beyond the limit; ask.
      if (!rootResolved.has(r.rootCauseId)) {
        const root = await diagnosesRepo.getDiagnosis(db, r.rootCauseId);
        rootResolved.set(r.rootCauseId, root === undefined || root.resolvedAt !== null);
      }
      resolved = rootResolved.get(r.rootCauseId) === true;
    }
    if (resolved) done.add(r.id);
  }
  await diagnosesRepo.resolveById(db, [...done], now);
  return done.size;
}

/** Root causes with the failures they caused nested under them, oldest first. */
export function groupByRootCause(
  all: readonly diagnosesRepo.DiagnosisRecord[],
  names: TargetNames = NO_NAMES,
): DiagnosisView[] {
  const records = all.map((r) => typed(r, names));
  const roots = new Map<string, DiagnosisView>();
  for (const r of records) if (r.rootCauseId === null) roots.set(r.id, { ...r, caused: [] });
  const orphans: DiagnosisView[] = [];
  for (const r of records) {
    if (r.rootCauseId === null) continue;
    const root = roots.get(r.rootCauseId);
    // The root may be outside the page (resolved, or another filter): show the failure on its own then.
    if (root) root.caused.push(r);
    else orphans.push({ ...r, caused: [] });
  }
  return [...roots.values(), ...orphans].sort((a, b) => a.createdAt - b.createdAt);
}

export async function listDiagnosisViews(
  db: Db,
  q: { vpcId?: string; openOnly: boolean; limit: number; now: number },
): Promise<DiagnosisView[]> {
  const query = { openOnly: q.openOnly, limit: q.limit, ...(q.vpcId ? { vpcId: q.vpcId } : {}) };
  let records = await diagnosesRepo.listDiagnoses(db, query);
  if (q.openOnly) {
    if ((await resolveRecovered(db, records, q.now)) > 0)
      records = await diagnosesRepo.listDiagnoses(db, query);
  }
  return groupByRootCause(records, await loadTargetNames(db, records));
}

/**
 * The open diagnoses of several VPCs, grouped per VPC as listDiagnosisViews groups one VPC's: one read of all of
 * them, one recovery check and one name lookup, instead of those reads per VPC (the support queue's page of 50 VPCs
 * ran 134 statements that way; docs/benchmarks.md). A diagnosis is listed under its own VPC only, so one whose root
 * cause belongs to another VPC shows on its own there, as before. At most `limitPerVpc` × VPCs rows, oldest first.
 */
export async function listOpenDiagnosisViewsByVpc(
  db: Db,
  vpcIds: readonly string[],
  q: { now: number; limitPerVpc: number },
): Promise<Map<string, DiagnosisView[]>> {
  const ids = [...new Set(vpcIds)];
  const query = { openOnly: true, vpcIds: ids, limit: q.limitPerVpc * Math.max(1, ids.length) };
  let records = await diagnosesRepo.listDiagnoses(db, query);
  if ((await resolveRecovered(db, records, q.now)) > 0)
    records = await diagnosesRepo.listDiagnoses(db, query);
  const names = await loadTargetNames(db, records);
  const byVpc = new Map<string, diagnosesRepo.DiagnosisRecord[]>(ids.map((id) => [id, []]));
  for (const r of records) if (r.vpcId !== null) byVpc.get(r.vpcId)?.push(r);
  return new Map([...byVpc].map(([id, rs]) => [id, groupByRootCause(rs, names)]));
}

export type DiagnosisPageQuery = {
  vpcId?: string;
  category?: string;
  openOnly: boolean;
  limit: number;
  cursor?: string;
  now: number;
};

/**
 * One keyset page of top-level diagnoses (root causes, and failures whose root is filtered out), each with what it
 * caused nested; paging, filters and the total are in SQL. Reading it also resolves what has left Error since.
 */
export async function pageDiagnosisViews(db: Db, q: DiagnosisPageQuery): Promise<Page<DiagnosisView>> {
  const filter = {
    openOnly: q.openOnly,
    ...(q.vpcId !== undefined ? { vpcId: q.vpcId } : {}),
    ...(q.category !== undefined ? { category: q.category } : {}),
  };
  const read = async () => {
    const page = await diagnosesRepo.pageTopLevel(db, {
      ...filter,
      limit: q.limit,
      ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
    });
    return {
      page,
      caused: await diagnosesRepo.listCaused(
        db,
        page.items.map((r) => r.id),
        filter,
      ),
    };
  };
  let { page, caused } = await read();
  if (q.openOnly && (await resolveRecovered(db, [...page.items, ...caused], q.now)) > 0)
    ({ page, caused } = await read());
  const names = await loadTargetNames(db, [...page.items, ...caused]);
  return {
    ...page,
    items: page.items.map((r) => ({
      ...typed(r, names),
      caused: caused.filter((c) => c.rootCauseId === r.id).map((c) => typed(c, names)),
    })),
  };
}

export async function getDiagnosisView(db: Db, id: string): Promise<DiagnosisView | undefined> {
  const d = await diagnosesRepo.getDiagnosis(db, id);
  if (!d) return undefined;
  const rootId = d.rootCauseId ?? d.id;
  const family = d.jobId ? await diagnosesRepo.listDiagnoses(db, { jobId: d.jobId, limit: 10_000 }) : [d];
  const root = family.find((r) => r.id === rootId) ?? d;
  const caused = d.rootCauseId === null ? family.filter((r) => r.rootCauseId === root.id) : [];
  const names = await loadTargetNames(db, [d, ...caused]);
  return { ...typed(d, names), caused: caused.map((r) => typed(r, names)) };
}
