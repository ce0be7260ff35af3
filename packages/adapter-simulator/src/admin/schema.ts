// The simulator's admin procedures as the API mounts them (`simulator.*`): zod only (no node imports), so the
// server can mount them and the console infer their types without loading the simulator itself.
import { defineAdminSchema } from '@netplane/adapter-sdk';
import { pageOutput, pageRequestFields } from '@netplane/domain';
import { z } from 'zod';
import {
  FAULT_KINDS,
  faultSpecSchema,
  SIM_OPERATIONS,
  SIM_RESOURCES,
  SIM_UNREALIZED_REASONS,
  simulatorProfilePatchSchema,
  simulatorProfileSchema,
} from '../core/types';

export const controllerIdSchema = z.string().trim().min(1).max(64);
const controllerInput = z.object({ controllerId: controllerIdSchema });
const faultKindSchema = z.enum(FAULT_KINDS);
const count = z.number().int().min(0);

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
  /** An unrealized fault's Realized reason. */
  reason: z.enum(SIM_UNREALIZED_REASONS).optional(),
});

/** Everything but the resources themselves: its size does not grow with the NICs held (the console polls it). */
export const simulatorSummaryOutput = z.object({
  controllerId: z.string(),
  /** 'hub' for a sim:// controller in this server, 'remote' for a standalone simulator process. */
  mode: z.enum(['hub', 'remote']),
  profile: simulatorProfileSchema,
  faults: z.array(activeFaultOutput),
  counts: z.object({
    vpcs: count,
    networks: count,
    ports: count,
    segments: count,
    staticNats: count,
    lbRules: count,
    portForwards: count,
    acls: count,
    foreign: count,
  }),
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
export type SimulatorSummaryOutput = z.infer<typeof simulatorSummaryOutput>;

/** A switch or port as the controller holds it; `id` is our id read back (null for a foreign resource). */
export const simResourceRowOutput = z.object({
  name: z.string(),
  id: z.string().nullable(),
  owner: z.string(),
  vpcId: z.string().nullable(),
  networkId: z.string().nullable(),
  attributes: z.record(z.string(), z.string()),
  issues: z.array(z.string()),
});

export const simulatorAdminSchema = defineAdminSchema({
  /** The fault kinds with the diagnosis each provokes, for the console's fault picker. */
  faultCatalog: {
    type: 'query',
    access: 'read',
    output: z.array(
      z.object({ kind: faultKindSchema, label: z.string(), diagnosis: z.string(), description: z.string() }),
    ),
  },
  /** Profile, faults, counts and stats of one controller; cheap at any size (no per-resource data). */
  getSummary: { type: 'query', access: 'read', input: controllerInput, output: simulatorSummaryOutput },
  /** The controller's switches (networks), ours and foreign, a page at a time in name order. */
  listSwitches: {
    type: 'query',
    access: 'read',
    input: z.object({ controllerId: controllerIdSchema, ...pageRequestFields }),
    output: pageOutput(simResourceRowOutput),
  },
  /** The controller's ports (NICs), optionally of one switch (our network id), a page at a time in name order. */
  listPorts: {
    type: 'query',
    access: 'read',
    input: z.object({
      controllerId: controllerIdSchema,
      networkId: z.string().trim().min(1).max(64).optional(),
      ...pageRequestFields,
    }),
    output: pageOutput(simResourceRowOutput),
  },
  setProfile: {
    type: 'mutation',
    access: 'control',
    input: z.object({ controllerId: controllerIdSchema, profile: simulatorProfilePatchSchema }),
    output: simulatorProfileSchema,
  },
  injectFault: {
    type: 'mutation',
    access: 'control',
    input: z.object({ controllerId: controllerIdSchema, fault: faultSpecSchema }),
    output: activeFaultOutput,
  },
  clearFaults: {
    type: 'mutation',
    access: 'control',
    input: controllerInput,
    output: z.object({ cleared: count }),
  },
  resetStats: {
    type: 'mutation',
    access: 'control',
    input: controllerInput,
    output: z.object({ ok: z.literal(true) }),
  },
});
export type SimulatorAdminSchema = typeof simulatorAdminSchema;
