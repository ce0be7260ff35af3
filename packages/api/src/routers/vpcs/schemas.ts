// Output schemas of the engine's read models (VPCs, tiers, NICs, jobs, calls, traces): nothing else leaves the API.
import { CALL_OUTCOMES, conditionSchema, NEGOTIATION_VERDICTS } from '@netplane/domain';
import { z } from 'zod';

const ms = z.number();
const nullableMs = z.number().nullable();

export const vpcSchema = z.object({
  id: z.string(),
  name: z.string(),
  zoneId: z.string(),
  offeringId: z.string(),
  cidr: z.string(),
  state: z.string(),
  conditions: z.array(conditionSchema),
  createdBy: z.string(),
  createdAt: ms,
  updatedAt: ms,
  version: z.number(),
});

export const tierSchema = z.object({
  id: z.string(),
  vpcId: z.string(),
  zoneId: z.string(),
  name: z.string(),
  offeringId: z.string(),
  physicalNetworkId: z.string(),
  cidr: z.string(),
  gateway: z.string(),
  isolationMethod: z.string(),
  segmentKind: z.string(),
  segmentId: z.number().nullable(),
  broadcastUri: z.string().nullable(),
  state: z.string(),
  conditions: z.array(conditionSchema),
  elements: z.array(
    z.object({
      service: z.string(),
      providerId: z.string(),
      controllerId: z.string(),
      adapterId: z.string(),
    }),
  ),
  nicCounts: z.record(z.string(), z.number()),
  createdAt: ms,
  updatedAt: ms,
  version: z.number(),
});

export const nicSchema = z.object({
  id: z.string(),
  networkId: z.string(),
  vpcId: z.string(),
  vmName: z.string(),
  mac: z.string(),
  ip: z.string(),
  state: z.string(),
  conditions: z.array(conditionSchema),
  adopted: z.boolean(),
  createdAt: ms,
  updatedAt: ms,
  version: z.number(),
});

export const jobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  vpcId: z.string().nullable(),
  state: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  payload: z.unknown(),
  result: z.unknown(),
  progressDone: z.number(),
  progressTotal: z.number(),
  leaseOwner: z.string().nullable(),
  leaseExpiresAt: nullableMs,
  fencingToken: z.number(),
  attempts: z.number(),
  deadlineAt: ms,
  stuck: z.boolean(),
  cancelRequested: z.boolean(),
  createdBy: z.string(),
  createdAt: ms,
  startedAt: nullableMs,
  finishedAt: nullableMs,
  updatedAt: ms,
  error: z.object({ code: z.string(), message: z.string() }).catchall(z.unknown()).nullable(),
});

export const jobDetailSchema = jobSchema.extend({
  steps: z.array(
    z.object({ key: z.string(), seq: z.number(), state: z.string(), at: ms, nodeId: z.string() }),
  ),
});

export const transitionSchema = z.object({
  id: z.number(),
  entityType: z.string(),
  entityId: z.string(),
  from: z.string(),
  to: z.string(),
  at: ms,
  actor: z.string(),
  reason: z.string(),
  jobId: z.string().nullable(),
});

export const vpcDetailSchema = vpcSchema.extend({
  tiers: z.array(tierSchema),
  recentJobs: z.array(jobSchema),
  transitions: z.array(transitionSchema),
});

export const callSchema = z.object({
  id: z.string(),
  phase: z.string(),
  adapterId: z.string(),
  providerId: z.string(),
  controllerId: z.string(),
  jobId: z.string().nullable(),
  stepKey: z.string().nullable(),
  vpcId: z.string().nullable(),
  networkId: z.string().nullable(),
  targetType: z.string(),
  targetId: z.string(),
  attempt: z.number(),
  purpose: z.string(),
  batchSize: z.number(),
  startedAt: ms,
  durationMs: z.number(),
  /** inFlight: recorded before the send and not ended yet; abandoned: its node died or stopped it on its way. */
  outcome: z.enum(CALL_OUTCOMES),
  errorCategory: z.string().nullable(),
  errorMessage: z.string().nullable(),
  vendorCode: z.string().nullable(),
  vendorMessage: z.string().nullable(),
  retryable: z.boolean().nullable(),
  nodeId: z.string(),
  fencingToken: z.number().nullable(),
  /** Redacted summaries recorded by the engine. */
  request: z.unknown(),
  response: z.unknown(),
});

export const traceEntryOutputSchema = z.object({
  service: z.string(),
  provider: z.string(),
  providerId: z.string(),
  adapterId: z.string(),
  verdict: z.enum(NEGOTIATION_VERDICTS),
  reason: z.string(),
  controllerId: z.string().optional(),
  providerLabels: z.array(z.string()).optional(),
  requiredLabels: z.array(z.string()).optional(),
  isolationMethod: z.string().optional(),
  supportedIsolation: z.array(z.string()).optional(),
  missingCapabilities: z.array(z.string()).optional(),
});

export const traceSchema = z.object({
  id: z.string(),
  networkId: z.string(),
  jobId: z.string().nullable(),
  ok: z.boolean(),
  trace: z.array(traceEntryOutputSchema),
  missing: z.array(z.string()),
  createdAt: ms,
});

export const jobRefSchema = z.object({ jobId: z.string() });
export const idInput = z.object({ id: z.uuid() });
