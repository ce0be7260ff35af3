// Negotiation traces: the verdict of every provider for every service, stored per tier and job.
import type { Db } from '../connect';

export type TraceRow = {
  id: string;
  networkId: string;
  jobId: string | null;
  ok: boolean;
  trace: string;
  missing: string;
  createdAt: number;
};

export async function insertTrace(db: Db, t: TraceRow): Promise<void> {
  await db
    .insertInto('negotiation_traces')
    .values({
      id: t.id,
      network_id: t.networkId,
      job_id: t.jobId,
      ok: t.ok ? 1 : 0,
      trace: t.trace,
      missing: t.missing,
      created_at: t.createdAt,
    })
    .execute();
}

/** Newest first. */
export async function listTraces(
  db: Db,
  f: { networkId?: string; jobId?: string; limit?: number },
): Promise<TraceRow[]> {
  let q = db
    .selectFrom('negotiation_traces')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(f.limit ?? 20);
  if (f.networkId) q = q.where('network_id', '=', f.networkId);
  if (f.jobId) q = q.where('job_id', '=', f.jobId);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    networkId: r.network_id,
    jobId: r.job_id,
    ok: Number(r.ok) === 1,
    trace: r.trace,
    missing: r.missing,
    createdAt: Number(r.created_at),
  }));
}
