// Input and output schemas of the simulator router; the fault and profile shapes are the simulator's own.
import {
  FAULT_KINDS,
  faultSpecSchema,
  SIM_OPERATIONS,
  SIM_RESOURCES,
  simulatorProfilePatchSchema,
  simulatorProfileSchema,
} from '@netplane/adapter-simulator/control';
import { z } from 'zod';

export const controllerIdSchema = z.string().trim().min(1).max(64);
export const controllerInput = z.object({ controllerId: controllerIdSchema });
export const setProfileInput = z.object({
  controllerId: controllerIdSchema,
  profile: simulatorProfilePatchSchema,
});
export const injectFaultInput = z.object({ controllerId: controllerIdSchema, fault: faultSpecSchema });

const faultKindSchema = z.enum(FAULT_KINDS);

export const faultCatalogOutput = z.array(
  z.object({ kind: faultKindSchema, label: z.string(), diagnosis: z.string(), description: z.string() }),
);

export const activeFaultOutput = z.object({
  id: z.string(),
  kind: faultKindSchema,
  operation: z.enum(SIM_OPERATIONS).optional(),
  resource: z.enum(SIM_RESOURCES).optional(),
  count: z.number().optional(),
  /** Calls it may still hit; null while persistent. */
  remaining: z.number().nullable(),
  fired: z.number(),
  code: z.string().optional(),
  message: z.string().optional(),
  owner: z.string().optional(),
  delayMs: z.number().optional(),
  retryAfterMs: z.number().optional(),
  afterCommit: z.boolean().optional(),
});

const count = z.number().int().min(0);

export const simulatorStateOutput = z.object({
  controllerId: z.string(),
  /** 'hub' for a sim:// controller in this server, 'remote' for a standalone simulator process. */
  mode: z.enum(['hub', 'remote']),
  profile: simulatorProfileSchema,
  faults: z.array(activeFaultOutput),
  counts: z.object({ vpcs: count, networks: count, ports: count, segments: count, foreign: count }),
  stats: z.object({
    since: z.number(),
    calls: z.record(z.enum(SIM_OPERATIONS), count),
    totalCalls: count,
    inFlight: count,
    maxConcurrentSeen: count,
    maxCallsInAnySecond: count,
    overLimitCalls: count,
    rateLimitedCalls: count,
    concurrencyRejectedCalls: count,
    faultsFired: count,
    errors: z.record(z.string(), count),
    /** NICs for which a port was really created, and those created more than once (which should never happen). */
    nicsCreated: count,
    nicsCreatedMoreThanOnce: count,
  }),
});
export type SimulatorStateOutput = z.infer<typeof simulatorStateOutput>;
