// Reads the facts of a failure from the engine's tables: the failing call, the negotiation trace, the target's name.
import { type Db, failureFactsRepo, targetNamesRepo } from '@netplane/db';
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

type CallRow = failureFactsRepo.FailingCallRow;

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
  const controllerName = await failureFactsRepo.controllerName(db, row.controller_id);
  const response = parse(row.response_summary) as
    | { conflict?: FailedCall['conflict']; retryAfterMs?: unknown }
    | undefined;
  const retryAfterMs = response?.retryAfterMs;
  return {
    callId: row.id,
    phase: row.phase,
    element: row.adapter_id,
    controllerId: row.controller_id,
    ...(controllerName !== undefined ? { controllerName } : {}),
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

/** The target with its display name (the same words as the diagnosis list, targetNamesRepo). */
async function describeEntity(db: Db, type: DiagnosisTarget['type'], id: string): Promise<DiagnosisTarget> {
  if (type === 'job') return { type, id };
  const name = (await targetNamesRepo.targetNames(db, type, [id])).get(id);
  return name === undefined ? { type, id } : { type, id, name };
}

async function negotiationFacts(db: Db, event: EntityErrorEvent, target: DiagnosisTarget) {
  const trace = await failureFactsRepo.traceOf(db, { traceId: event.traceId, networkId: event.entityId });
  if (!trace) return undefined;
  const network = await failureFactsRepo.physicalNetworkOf(db, trace.network_id);
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
  if (event.code === 'CREDENTIALS_UNREADABLE' && event.controllerId) {
    const controller = await db
      .selectFrom('controllers')
      .select(['name'])
      .where('id', '=', event.controllerId)
      .executeTakeFirst();
    return {
      target,
      vpcId: event.vpcId,
      jobId: event.jobId,
      failure: {
        kind: 'credentials',
        controllerId: event.controllerId,
        ...(controller && { controllerName: controller.name }),
        message: event.message,
      },
    };
  }
  if (event.code === 'CAPACITY_EXHAUSTED' && event.capacity && !event.rootCallId) {
    return {
      target,
      vpcId: event.vpcId,
      jobId: event.jobId,
      failure: { kind: 'capacity', ...event.capacity, message: event.message },
    };
  }
  if (event.traceId || event.code === 'NO_ELEMENT_FOR_SERVICE') {
    const facts = await negotiationFacts(db, event, target);
    if (facts) return facts;
  }
  let row = event.rootCallId ? await failureFactsRepo.callById(db, event.rootCallId) : undefined;
  if (!row && event.jobId) row = (await failureFactsRepo.failingCallsOfJob(db, event.jobId))[0];
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
