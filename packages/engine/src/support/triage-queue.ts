// The support triage queue: VPCs that failed (open diagnoses) or are stuck, oldest first, with who is on them, paged.
import { type Db, type Page, triageQueueRepo, triageRepo, vpcsRepo } from '@netplane/db';
import { listOpenDiagnosisViewsByVpc } from '../diagnostics/queries';
import { DEFAULT_ENTITY_THRESHOLD_MS, TRANSITIONAL } from '../diagnostics/stuck';

export type TriageQueueItem = {
  vpcId: string;
  vpcName: string | null;
  vpcState: string | null;
  /** When the oldest open failure or stuck item of this VPC began. */
  since: number;
  openDiagnoses: number;
  stuckItems: number;
  /** The first open root cause, to show in the queue without opening the VPC. */
  rootCause: { id: string; category: string; title: string; sentence: string } | null;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  assignedTo: string | null;
  note: string;
};

/**
 * One keyset page of the queue, oldest trouble first: which VPCs, when their trouble began, and the total, all from
 * one SQL union (triageQueueRepo). Each listed VPC's open diagnoses are then read (which resolves those whose target
 * has left Error): a VPC left with nothing open or stuck drops out of the page (and of the queue from then on).
 */
export async function listTriageQueue(
  db: Db,
  q: { now: number; limit: number; cursor?: string; entityThresholdMs?: number },
): Promise<Page<TriageQueueItem>> {
  const page = await triageQueueRepo.pageQueue(db, {
    now: q.now,
    limit: q.limit,
    ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
    entityThresholdMs: q.entityThresholdMs ?? DEFAULT_ENTITY_THRESHOLD_MS,
    transitional: TRANSITIONAL,
  });
  const vpcIds = page.items.map((r) => r.vpcId);
  const vpcs = await vpcsRepo.getVpcs(db, vpcIds);
  const vpcById = new Map(vpcs.map((v) => [v.id, v]));
  const triage = new Map((await triageRepo.listTriage(db, vpcIds)).map((t) => [t.vpcId, t]));
  // The open diagnoses of every VPC on the page in one read (not one listDiagnosisViews per VPC: docs/benchmarks.md).
  const opensByVpc = await listOpenDiagnosisViewsByVpc(db, vpcIds, { now: q.now, limitPerVpc: 1000 });
  const items: TriageQueueItem[] = [];
  for (const row of page.items) {
    const open = opensByVpc.get(row.vpcId) ?? [];
    if (open.length === 0 && row.stuckItems === 0) continue;
    const root = open[0];
    const t = triage.get(row.vpcId);
    const vpc = vpcById.get(row.vpcId);
    items.push({
      vpcId: row.vpcId,
      vpcName: vpc?.name ?? null,
      vpcState: vpc?.state ?? null,
      since: row.since,
      openDiagnoses: open.reduce((n, d) => n + 1 + d.caused.length, 0),
      stuckItems: row.stuckItems,
      rootCause: root
        ? { id: root.id, category: root.category, title: root.title, sentence: root.sentence }
        : null,
      acknowledgedBy: t?.acknowledgedBy ?? null,
      acknowledgedAt: t?.acknowledgedAt ?? null,
      assignedTo: t?.assignedTo ?? null,
      note: t?.note ?? '',
    });
  }
  return { ...page, items };
}
