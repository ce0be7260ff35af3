// Reads the facts of a failure from the engine's tables: the failing call, the negotiation trace, the target's name.
import type { Db } from '@netplane/db';
import {
  ADAPTER_ERROR_CATEGORIES,
  type AdapterErrorCategory,
  CALL_PHASES,
  type CallPhase,
  type DiagnosisTarget,
  type FailedCall,
  type FailureFacts,
  type TraceEntry,
} from '@netplane/domain';
import type { EntityErrorEvent } from './hook';

type CallRow = {
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

const isCategory = (c: string | null): c is AdapterErrorCategory =>
  c !== null && (ADAPTER_ERROR_CATEGORIES as readonly string[]).includes(c);
const isPhase = (p: string): p is CallPhase => (CALL_PHASES as readonly string[]).includes(p);

function parse(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function loadFailedCall(db: Db, row: CallRow): Promise<FailedCall | undefined> {
  if (!isCategory(row.error_category) || !isPhase(row.phase)) return undefined;
  const controller = await db
    .selectFrom('controllers')
    .select(['name'])
    .where('id', '=', row.controller_id)
    .executeTakeFirst();
  const response = parse(row.response_summary) as
    | { conflict?: FailedCall['conflict']; retryAfterMs?: unknown }
    | undefined;
  const retryAfterMs = response?.retryAfterMs;
  return {
    callId: row.id,
    phase: row.phase,
    element: row.adapter_id,
    controllerId: row.controller_id,
    ...(controller ? { controllerName: controller.name } : {}),
    category: row.error_category,
    message: row.error_message ?? row.error_category,
    ...(row.vendor_code !== null ? { vendorCode: row.vendor_code } : {}),
    ...(row.vendor_message !== null ? { vendorMessage: row.vendor_message } : {}),
    ...(row.retryable !== null ? { retryable: row.retryable === 1 } : {}),
    attempt: Number(row.attempt),
    purpose: row.purpose === 'rollback' ? 'rollback' : 'forward',
    ...(response?.conflict ? { conflict: response.conflict } : {}),
    ...(typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) ? { retryAfterMs } : {}),
  };
}

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

export async function callById(db: Db, id: string): Promise<CallRow | undefined> {
  return db.selectFrom('element_calls').select(CALL_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** The failing calls of a job in the order they started: the first one is the job's root cause. */
export async function failingCallsOfJob(db: Db, jobId: string): Promise<CallRow[]> {
  return db
    .selectFrom('element_calls')
    .select(CALL_COLUMNS)
    .where('job_id', '=', jobId)
    .where('error_category', 'is not', null)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
}

export async function describeEntity(
  db: Db,
  type: DiagnosisTarget['type'],
  id: string,
): Promise<DiagnosisTarget> {
  switch (type) {
    case 'vpc': {
      const r = await db.selectFrom('vpcs').select(['name']).where('id', '=', id).executeTakeFirst();
      return r ? { type, id, name: r.name } : { type, id };
    }
    case 'network': {
      const r = await db.selectFrom('networks').select(['name']).where('id', '=', id).executeTakeFirst();
      return r ? { type, id, name: r.name } : { type, id };
    }
    case 'nic': {
      const r = await db.selectFrom('nics').select(['vm_name', 'ip']).where('id', '=', id).executeTakeFirst();
      return r ? { type, id, name: `${r.vm_name} (${r.ip})` } : { type, id };
    }
    case 'staticNat': {
      const r = await db
        .selectFrom('static_nat_rules')
        .select(['public_ip', 'private_ip'])
        .where('id', '=', id)
        .executeTakeFirst();
      return r ? { type, id, name: `${r.public_ip} → ${r.private_ip}` } : { type, id };
    }
    case 'lbRule': {
      const r = await db
        .selectFrom('lb_rules')
        .select(['name', 'public_ip', 'public_port'])
        .where('id', '=', id)
        .executeTakeFirst();
      return r ? { type, id, name: `${r.name} (${r.public_ip}:${r.public_port})` } : { type, id };
    }
    default:
      return { type, id };
  }
}

async function negotiationFacts(db: Db, event: EntityErrorEvent, target: DiagnosisTarget) {
  let query = db.selectFrom('negotiation_traces').selectAll();
  query = event.traceId
    ? query.where('id', '=', event.traceId)
    : query.where('network_id', '=', event.entityId).orderBy('created_at', 'desc').limit(1);
  const trace = await query.executeTakeFirst();
  if (!trace) return undefined;
  const network = await db
    .selectFrom('networks')
    .innerJoin('physical_networks', 'physical_networks.id', 'networks.physical_network_id')
    .select(['physical_networks.id as id', 'physical_networks.name as name'])
    .where('networks.id', '=', trace.network_id)
    .executeTakeFirst();
  const entries = (parse(trace.trace) as TraceEntry[] | undefined) ?? [];
  const missing = (parse(trace.missing) as string[] | undefined) ?? [];
  const facts: FailureFacts = {
    target,
    vpcId: event.vpcId,
    jobId: event.jobId,
    failure: {
      kind: 'negotiation',
      service: missing[0] ?? 'an offered service',
      physicalNetwork: network ?? { id: 'unknown', name: 'unknown' },
      trace: entries,
    },
  };
  return facts;
}

/** The facts for an entity's Error: its own failing call, else the job's first failing call, else the trace. */
export async function factsOf(db: Db, event: EntityErrorEvent): Promise<FailureFacts> {
  const target = await describeEntity(db, event.entityType, event.entityId);
  if (event.traceId || event.code === 'NO_ELEMENT_FOR_SERVICE') {
    const facts = await negotiationFacts(db, event, target);
    if (facts) return facts;
  }
  let row = event.rootCallId ? await callById(db, event.rootCallId) : undefined;
  if (!row && event.jobId) row = (await failingCallsOfJob(db, event.jobId))[0];
  const call = row ? await loadFailedCall(db, row) : undefined;
  if (call)
    return {
      target,
      vpcId: event.vpcId,
      jobId: event.jobId,
      failure: { kind: 'call', call, ...(event.lost && { lost: event.lost }) },
    };
  return {
    target,
    vpcId: event.vpcId,
    jobId: event.jobId,
    failure: { kind: 'internal', message: `${event.code}: ${event.message}` },
  };
}
