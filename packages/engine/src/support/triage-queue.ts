// The support triage queue: VPCs that failed (open diagnoses) or are stuck, oldest first, with who is on them.
import { type Db, diagnosesRepo, triageRepo } from '@netplane/db';
import { listDiagnosisViews } from '../diagnostics/queries';
import { listStuckWork } from '../diagnostics/stuck';

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

export async function listTriageQueue(
  db: Db,
  q: { now: number; limit: number; entityThresholdMs?: number },
): Promise<TriageQueueItem[]> {
  const failed = await diagnosesRepo.listVpcsWithOpenDiagnoses(db, q.limit);
  const stuck = await listStuckWork(db, {
    now: q.now,
    limit: q.limit,
    ...(q.entityThresholdMs !== undefined ? { entityThresholdMs: q.entityThresholdMs } : {}),
  });
  const byVpc = new Map<string, { since: number; stuck: number }>();
  for (const f of failed) byVpc.set(f.vpcId, { since: f.since, stuck: 0 });
  for (const s of stuck) {
    if (!s.vpcId) continue;
    const cur = byVpc.get(s.vpcId) ?? { since: s.since, stuck: 0 };
    byVpc.set(s.vpcId, { since: Math.min(cur.since, s.since), stuck: cur.stuck + 1 });
  }
  const ordered = [...byVpc.entries()].sort((a, b) => a[1].since - b[1].since).slice(0, q.limit);
  const vpcIds = ordered.map(([id]) => id);
  const vpcs =
    vpcIds.length === 0
      ? []
      : await db.selectFrom('vpcs').select(['id', 'name', 'state']).where('id', 'in', vpcIds).execute();
  const vpcById = new Map(vpcs.map((v) => [v.id, v]));
  const triage = new Map((await triageRepo.listTriage(db, vpcIds)).map((t) => [t.vpcId, t]));
  const items: TriageQueueItem[] = [];
  for (const [vpcId, info] of ordered) {
    // Reading the views also resolves diagnoses whose targets have left Error since.
    const open = await listDiagnosisViews(db, { vpcId, openOnly: true, limit: 1000, now: q.now });
    if (open.length === 0 && info.stuck === 0) continue;
    const root = open[0];
    const t = triage.get(vpcId);
    const vpc = vpcById.get(vpcId);
    items.push({
      vpcId,
      vpcName: vpc?.name ?? null,
      vpcState: vpc?.state ?? null,
      since: info.since,
      openDiagnoses: open.reduce((n, d) => n + 1 + d.caused.length, 0),
      stuckItems: info.stuck,
      rootCause: root
        ? { id: root.id, category: root.category, title: root.title, sentence: root.sentence }
        : null,
      acknowledgedBy: t?.acknowledgedBy ?? null,
      acknowledgedAt: t?.acknowledgedAt ?? null,
      assignedTo: t?.assignedTo ?? null,
      note: t?.note ?? '',
    });
  }
  return items;
}
