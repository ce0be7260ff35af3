// The shape of a diagnosis and of the failure facts it is built from; zod schemas double as API output schemas.
import { z } from 'zod';
import {
  ADAPTER_ERROR_CATEGORIES,
  CALL_PHASES,
  DIAGNOSIS_CATEGORIES,
  NEGOTIATION_VERDICTS,
} from '../vocabulary';

export const DIAGNOSIS_ACTIONS = [
  'retry',
  'adopt',
  'release',
  'rerun-negotiation',
  'open-controller',
] as const;
export type DiagnosisAction = (typeof DIAGNOSIS_ACTIONS)[number];

export const DIAGNOSIS_TARGET_TYPES = [
  'vpc',
  'network',
  'nic',
  'job',
  'staticNat',
  'lbRule',
  'portForward',
  'aclList',
] as const;

/** One verdict of the negotiation trace, as diagnostics needs it (the engine's trace rows map onto this). */
export const traceEntrySchema = z.object({
  service: z.string(),
  provider: z.string(),
  verdict: z.enum(NEGOTIATION_VERDICTS),
  /** The adapter's or engine's own words, e.g. canHandle's reason. */
  reason: z.string().optional(),
  /** For TAG_MISMATCH: the labels the provider handles and the ones the offering requires. */
  providerLabels: z.array(z.string()).optional(),
  requiredLabels: z.array(z.string()).optional(),
  /** For ISOLATION_UNSUPPORTED: what was asked and what the provider supports. */
  isolationMethod: z.string().optional(),
  supportedIsolation: z.array(z.string()).optional(),
});
export type TraceEntry = z.infer<typeof traceEntrySchema>;

/** The failing adapter call, as recorded in element_calls (request/response already redacted). */
export const failedCallSchema = z.object({
  callId: z.string().optional(),
  phase: z.enum(CALL_PHASES),
  element: z.string(),
  controllerId: z.string().optional(),
  controllerName: z.string().optional(),
  category: z.enum(ADAPTER_ERROR_CATEGORIES),
  message: z.string(),
  vendorCode: z.string().optional(),
  vendorMessage: z.string().optional(),
  retryable: z.boolean().optional(),
  attempt: z.number().optional(),
  conflict: z.object({ resource: z.string(), name: z.string(), owner: z.string().optional() }).optional(),
  /** For RATE_LIMITED: how long the controller asked to wait (its Retry-After), in ms. */
  retryAfterMs: z.number().optional(),
  /** 'rollback' when the call was undoing earlier steps of a failed implement. */
  purpose: z.enum(['forward', 'rollback']).optional(),
});
export type FailedCall = z.infer<typeof failedCallSchema>;

export const diagnosisTargetSchema = z.object({
  type: z.enum(DIAGNOSIS_TARGET_TYPES),
  id: z.string(),
  name: z.string().optional(),
});
export type DiagnosisTarget = z.infer<typeof diagnosisTargetSchema>;

/** What went wrong, in one of three shapes: negotiation found no element, an adapter call failed, or our own bug. */
export type FailureFacts = {
  target: DiagnosisTarget;
  vpcId: string | null;
  jobId: string | null;
  failure:
    | {
        kind: 'negotiation';
        service: string;
        physicalNetwork: { id: string; name: string };
        trace: readonly TraceEntry[];
      }
    /** A controller's sealed credentials cannot be decrypted here (key not held, or tampered). */
    | { kind: 'credentials'; controllerId: string; controllerName?: string; message: string }
    | { kind: 'call'; call: FailedCall; trace?: readonly TraceEntry[]; lost?: LostResource }
    /** Netplane's own pool ran out before any call (public IP ranges of a zone): the zone and ranges are named. */
    | {
        kind: 'capacity';
        resource: 'publicIp';
        zone: { id: string; name?: string };
        ranges: readonly { id: string; cidr: string; used: number; size: number }[];
        message: string;
      }
    /** Implemented and Synced, but the controller reported parts of it not realized (the Realized check). */
    | {
        kind: 'notRealized';
        controllerId?: string;
        controllerName?: string;
        parts: readonly NotRealizedPart[];
      }
    | { kind: 'internal'; message: string };
};

/** One part of a VPC the controller has not put into effect, with its reason and what the controller showed. */
export const notRealizedPartSchema = z.object({
  /** vpc, network, nic, staticNat, lbRule, portForward: the entity whose Realized condition is False. */
  entity: z.enum(DIAGNOSIS_TARGET_TYPES),
  id: z.string(),
  name: z.string().optional(),
  /** CamelCase: NotCompiled, NorthdNotRunning, NoGatewayChassis, PortNotBound, or the adapter's own. */
  reason: z.string(),
  message: z.string(),
  evidence: z.array(z.string()),
});
export type NotRealizedPart = z.infer<typeof notRealizedPartSchema>;

/** What the engine found missing on the controller (observe) while Netplane holds it as implemented. */
export const lostResourceSchema = z.object({
  resource: z.enum(['vpc', 'network']),
  id: z.string(),
  name: z.string().optional(),
});
export type LostResource = z.infer<typeof lostResourceSchema>;

export const evidenceSchema = z.object({
  trace: z.array(traceEntrySchema).optional(),
  call: failedCallSchema.optional(),
  vendorCode: z.string().optional(),
  vendorMessage: z.string().optional(),
  message: z.string().optional(),
  /** The controller whose credentials are unreadable (CREDENTIALS_UNREADABLE). */
  controller: z.object({ id: z.string(), name: z.string().optional() }).optional(),
  lost: lostResourceSchema.optional(),
  /** NOT_REALIZED: the parts the controller has not put into effect (at most a few dozen are kept). */
  notRealized: z.array(notRealizedPartSchema).optional(),
  /** The pool that ran out (CAPACITY_EXHAUSTED without a call): the zone and each range with its usage. */
  capacity: z
    .object({
      resource: z.literal('publicIp'),
      zone: z.object({ id: z.string(), name: z.string().optional() }),
      ranges: z.array(z.object({ id: z.string(), cidr: z.string(), used: z.number(), size: z.number() })),
    })
    .optional(),
});
export type DiagnosisEvidence = z.infer<typeof evidenceSchema>;

export const diagnosisSchema = z.object({
  category: z.enum(DIAGNOSIS_CATEGORIES),
  /** The short label shown in lists, e.g. "Resource Unavailable" for CONTROLLER_TIMEOUT. */
  title: z.string(),
  sentence: z.string(),
  evidence: evidenceSchema,
  remediation: z.string(),
  actions: z.array(z.enum(DIAGNOSIS_ACTIONS)),
});
export type Diagnosis = z.infer<typeof diagnosisSchema>;
