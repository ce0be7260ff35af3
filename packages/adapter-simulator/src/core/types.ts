// The simulator's vocabulary: profile, scripted faults, stats and state snapshots, with zod schemas for the wire.
// Exported alone as @netplane/adapter-simulator/control (zod only, no node imports) for the API and the console.
import { LB_PROTOCOLS, REALIZED_REASONS } from '@netplane/domain';
import { z } from 'zod';

/** The controller operations a fault can target; the same words as the engine's call phases. */
export const SIM_OPERATIONS = [
  'implement',
  'prepare',
  'release',
  'shutdown',
  'destroy',
  'observe',
  'health',
  /** applyStaticNat / applyLbRule / applyNetworkAcl */
  'apply',
  /** revokeStaticNat / revokeLbRule */
  'revoke',
] as const;
export type SimOperation = (typeof SIM_OPERATIONS)[number];
export const simOperationSchema = z.enum(SIM_OPERATIONS);

/** The Realized reasons an `unrealized` fault can model (domain's REALIZED_REASONS). */
export const SIM_UNREALIZED_REASONS = [
  REALIZED_REASONS.notCompiled,
  REALIZED_REASONS.northdNotRunning,
  REALIZED_REASONS.noGatewayChassis,
  REALIZED_REASONS.portNotBound,
] as const;

const limit = z.number().int().positive().nullable();

export const simulatorProfileSchema = z.object({
  /** Base latency of every call, in ms. */
  latencyMs: z.number().min(0).max(60_000),
  /** Uniform random extra latency in [0, jitterMs). */
  jitterMs: z.number().min(0).max(60_000),
  /** Token bucket refill rate; null means unlimited. Past it: RATE_LIMITED, like an HTTP 429 with Retry-After. */
  rateLimitPerSecond: z.number().positive().max(1_000_000).nullable(),
  /** Bucket size; null means one second's worth of tokens (rateLimitPerSecond). */
  burst: limit,
  /** Calls in flight at once; past it: RATE_LIMITED, like an HTTP 503 with Retry-After. */
  maxConcurrent: limit,
  /** Capacity: switches (networks) and ports (NICs) the controller can hold; past it CAPACITY_EXHAUSTED. */
  maxNetworks: limit,
  maxPorts: limit,
  /** When set, canHandle declines every request with this reason (negotiation verdict DECLINED). */
  declineReason: z.string().max(500).nullable(),
});
export type SimulatorProfile = z.infer<typeof simulatorProfileSchema>;
export const simulatorProfilePatchSchema = simulatorProfileSchema.partial();
export type SimulatorProfilePatch = z.infer<typeof simulatorProfilePatchSchema>;

export const DEFAULT_PROFILE: SimulatorProfile = {
  latencyMs: 0,
  jitterMs: 0,
  rateLimitPerSecond: null,
  burst: null,
  maxConcurrent: null,
  maxNetworks: null,
  maxPorts: null,
  declineReason: null,
};

/** Resource kinds, in observe()'s words: nat is a static NAT rule, lb a load-balancing rule, pf a port forward. */
export const SIM_RESOURCES = ['vpc', 'network', 'nic', 'nat', 'lb', 'pf', 'acl'] as const;
export type SimResourceKind = (typeof SIM_RESOURCES)[number];

const scope = {
  /** Only calls of this operation trigger the fault; absent means any operation. */
  operation: simOperationSchema.optional(),
  /**
   * Only calls on this kind of resource (implementVpc/destroyVpc: vpc; implementNetwork/shutdown/destroyNetwork:
   * network; prepare/release: nic; apply/revokeStaticNat: nat; apply/revokeLbRule: lb; applyNetworkAcl: acl); absent means any. E.g. the classic "VLAN already exists on a switch" is
   * { kind: 'foreignOwner', operation: 'implement', resource: 'network' }.
   */
  resource: z.enum(SIM_RESOURCES).optional(),
  /** The next N matching calls; absent means persistent until cleared. */
  count: z.number().int().positive().max(1_000_000).optional(),
};

/**
 * The controller does the work first and the answer is lost (hang, reset, error after the commit): the partial state
 * the engine must find with observe() and adopt on retry.
 */
const afterCommit = z.boolean().optional();

export const faultSpecSchema = z.discriminatedUnion('kind', [
  /** The call hangs until the caller's AbortSignal fires (the engine reports CONTROLLER_TIMEOUT). */
  z.object({ kind: z.literal('timeout'), afterCommit, ...scope }),
  /** The connection drops (UNREACHABLE); in remote mode the server really destroys the socket. */
  z.object({ kind: z.literal('connectionReset'), afterCommit, ...scope }),
  z.object({ kind: z.literal('authFailure'), ...scope }),
  /** Plants a resource owned by someone else where the call needs ours (e.g. the VLAN on a foreign switch). */
  z.object({ kind: z.literal('foreignOwner'), owner: z.string().min(1).max(100).optional(), ...scope }),
  z.object({ kind: z.literal('capacityExhausted'), ...scope }),
  z.object({
    kind: z.literal('vendorError'),
    code: z.string().min(1).max(100),
    message: z.string().min(1).max(1000),
    afterCommit,
    ...scope,
  }),
  /** Adds delayMs of latency to matching calls. */
  z.object({ kind: z.literal('slowness'), delayMs: z.number().int().min(1).max(600_000), ...scope }),
  /**
   * Answers 429 Too Many Requests with Retry-After (retryAfterMs, default 1 s), whatever the token bucket says: the
   * throttling that outlasts every retry of the engine, so RATE_LIMITED reaches a diagnosis.
   */
  z.object({
    kind: z.literal('rateLimited'),
    retryAfterMs: z.number().int().min(1).max(600_000).optional(),
    ...scope,
  }),
  /**
   * Keeps the changes made while it is active unrealized: the writes succeed, and checkRealized reports what they
   * touched not realized with `reason` (NorthdNotRunning: the controller as a whole) until the faults are cleared.
   * Scoped like the others (operation, resource, count); never an error.
   */
  z.object({
    kind: z.literal('unrealized'),
    reason: z.enum(SIM_UNREALIZED_REASONS),
    message: z.string().min(1).max(500).optional(),
    ...scope,
  }),
]);
/** Every fault kind, in the order of the catalog; the API's output schemas use it. */
export const FAULT_KINDS = [
  'timeout',
  'connectionReset',
  'authFailure',
  'foreignOwner',
  'capacityExhausted',
  'vendorError',
  'slowness',
  'rateLimited',
  'unrealized',
] as const satisfies readonly FaultSpec['kind'][];
/** The Retry-After a rateLimited fault answers with when the spec names none. */
export const DEFAULT_RETRY_AFTER_MS = 1_000;
export type FaultSpec = z.infer<typeof faultSpecSchema>;
export type FaultKind = FaultSpec['kind'];
/** A fault as held by a controller: its spec, id and how many calls it may still hit (null: persistent). */
export type ActiveFault = FaultSpec & { id: string; remaining: number | null; fired: number };

export type SimulatorStats = {
  since: number;
  calls: Record<SimOperation, number>;
  totalCalls: number;
  inFlight: number;
  maxConcurrentSeen: number;
  /** Most calls received within any sliding one-second window. */
  maxCallsInAnySecond: number;
  /** Calls rejected by the rate limit or the concurrency limit. */
  overLimitCalls: number;
  rateLimitedCalls: number;
  concurrencyRejectedCalls: number;
  faultsFired: number;
  /** Failed calls by error category. */
  errors: Record<string, number>;
  /** NICs for which a port was really created, and those created more than once (which should never happen). */
  nicsCreated: number;
  nicsCreatedMoreThanOnce: number;
  /** nicId -> how many times a port was actually created for it (adoptions do not count). */
  portCreations: Record<string, number>;
};

/** The stats without the per-NIC table: what a summary carries, O(1) in the number of NICs. */
export type SimulatorStatsSummary = Omit<SimulatorStats, 'portCreations'>;

export type ResourceCounts = {
  vpcs: number;
  networks: number;
  ports: number;
  segments: number;
  /** Static NAT, load-balancing and port forwarding rules of ours. */
  staticNats: number;
  lbRules: number;
  portForwards: number;
  /** Tiers holding a Network ACL list (applyNetworkAcl). */
  acls: number;
  /** Foreign resources: switches/ports/routers with our names, segments and public IPs held by someone else. */
  foreign: number;
};

export type SimulatorState = {
  controllerId: string;
  profile: SimulatorProfile;
  faults: ActiveFault[];
  counts: ResourceCounts;
  stats: SimulatorStats;
};

/** The state without anything that grows with the resources held: what the console polls. */
export type SimulatorSummary = Omit<SimulatorState, 'stats'> & { stats: SimulatorStatsSummary };

/** The resource tables a listing can page: routers (vpc), switches (network) and ports (nic). */
export const SIM_LISTABLE = ['vpc', 'network', 'nic'] as const;
export type SimListable = (typeof SIM_LISTABLE)[number];

export const simResourceQuerySchema = z.object({
  kind: z.enum(SIM_LISTABLE),
  /** Ports of this switch only (our network id); for kind nic. */
  networkId: z.string().min(1).max(200).optional(),
  /** The previous page's nextCursor. */
  cursor: z.string().min(1).max(1024).optional(),
  limit: z.number().int().min(1).max(1000),
});
export type SimResourceQuery = z.infer<typeof simResourceQuerySchema>;

/** One row of a resource table, ours or foreign. */
export type SimResourceRow = {
  /** The table's key, e.g. np-nic-<nicId>; pages are ordered by it. */
  name: string;
  /** Our id read back from the controller (external_ids netplane:id); null for a foreign resource. */
  id: string | null;
  owner: string;
  vpcId: string | null;
  networkId: string | null;
  attributes: Record<string, string>;
  issues: string[];
};

export type SimResourcePage = { items: SimResourceRow[]; nextCursor: string | null; total: number };

const tamperKind = z.enum(SIM_RESOURCES);
/** Changes made behind the engine's back, for drift tests; nat and lb are rules named by their rule id. */
export const tamperSpecSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('delete'), kind: tamperKind, id: z.string().min(1) }),
  /** Overwrites observed attributes, e.g. { members: '10.0.1.5:80' } on an lb or { logicalIp } on a nat. */
  z.object({
    action: z.literal('alter'),
    kind: tamperKind,
    id: z.string().min(1),
    attributes: z.record(z.string(), z.string()),
  }),
  /**
   * Breaks something the adapter itself can see (observe reports `issue` in the resource's issues) until the
   * resource is implemented, prepared or applied again, as an ACL deleted from a tier would be.
   */
  z.object({
    action: z.literal('issue'),
    kind: tamperKind,
    id: z.string().min(1),
    issue: z.string().min(1).max(500),
  }),
]);
export type TamperSpec = z.infer<typeof tamperSpecSchema>;

/**
 * A foreign resource planted directly (not by a fault): a switch holding a segment, a resource with our name, or a
 * public IP someone else uses: the whole address (their static NAT) or one VIP of it (their load balancer), on one
 * VPC's router (vpcId) or anywhere on the controller (no vpcId).
 */
export const foreignPlantSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('segment'),
    method: z.string().min(1),
    segmentId: z.number().int().min(0),
    owner: z.string().min(1).default('foreign'),
  }),
  z.object({
    kind: z.enum(['vpc', 'network', 'nic']),
    id: z.string().min(1),
    owner: z.string().min(1).default('foreign'),
  }),
  z.object({
    kind: z.literal('publicIp'),
    ip: z.ipv4(),
    vip: z.object({ port: z.number().int().min(1).max(65_535), protocol: z.enum(LB_PROTOCOLS) }).optional(),
    vpcId: z.string().min(1).optional(),
    owner: z.string().min(1).default('foreign'),
  }),
]);
export type ForeignPlant = z.input<typeof foreignPlantSchema>;

/** The asynchronous control surface, the same for an in-process hub and a remote simulator server. */
export type SimulatorControl = {
  /** null when the simulator has never seen this controller. */
  getState(controllerId: string): Promise<SimulatorState | null>;
  setProfile(controllerId: string, patch: SimulatorProfilePatch): Promise<SimulatorProfile>;
  injectFault(controllerId: string, fault: FaultSpec): Promise<ActiveFault>;
  clearFaults(controllerId: string): Promise<void>;
  resetStats(controllerId: string): Promise<void>;
  /** Profile, faults, counts and stats without the per-NIC table; null when never seen. Cheap at any size. */
  getSummary(controllerId: string): Promise<SimulatorSummary | null>;
  /** One page of a resource table ordered by name; an empty page when never seen. */
  listResources(controllerId: string, query: SimResourceQuery): Promise<SimResourcePage>;
};

export { FAULT_CATALOG } from './fault-catalog';
