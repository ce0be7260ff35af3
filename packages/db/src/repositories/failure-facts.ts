// What the diagnosis engine reads about a failure (packages/engine/src/diagnostics/facts.ts): the failing call rows,
// the controller's name, the negotiation trace and the physical network of the tier it was negotiated for.
import type { Db } from '../connect';

export type FailingCallRow = {
  id: string;
  phase: string;
  adapter_id: string;
  controller_id: string;
  target_type: string;
  target_id: string;
  attempt: number;
  purpose: string;
  error_category: string | null;
  error_message: string | null;
  vendor_code: string | null;
  vendor_message: string | null;
  retryable: number | null;
  response_summary: string | null;
};

const CALL_COLUMNS = [
  'id',
  'phase',
  'adapter_id',
  'controller_id',
  'target_type',
  'target_id',
  'attempt',
  'purpose',
  'error_category',
  'error_message',
  'vendor_code',
  'vendor_message',
  'retryable',
  'response_summary',
] as const;

export async function callById(db: Db, id: string): Promise<FailingCallRow | undefined> {
  return db.selectFrom('element_calls').select(CALL_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** The failing calls of a job in the order they started: the first one is the job's root cause. */
export async function failingCallsOfJob(db: Db, jobId: string): Promise<FailingCallRow[]> {
  return db
    .selectFrom('element_calls')
    .select(CALL_COLUMNS)
    .where('job_id', '=', jobId)
    .where('error_category', 'is not', null)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
}

export async function controllerName(db: Db, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('controllers').select(['name']).where('id', '=', id).executeTakeFirst();
  return row?.name;
}

/** The trace with this id, or else the newest trace of the tier. */
export async function traceOf(db: Db, ref: { traceId?: string | undefined; networkId: string }) {
  const query = db.selectFrom('negotiation_traces').selectAll();
  return (
    ref.traceId
      ? query.where('id', '=', ref.traceId)
      : query.where('network_id', '=', ref.networkId).orderBy('created_at', 'desc').limit(1)
  ).executeTakeFirst();
}

/** The physical network a tier is placed on. */
export async function physicalNetworkOf(db: Db, networkId: string) {
  return db
    .selectFrom('networks')
    .innerJoin('physical_networks', 'physical_networks.id', 'networks.physical_network_id')
    .select(['physical_networks.id as id', 'physical_networks.name as name'])
    .where('networks.id', '=', networkId)
    .executeTakeFirst();
}
