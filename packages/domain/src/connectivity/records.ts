// What the API returns about connectivity checks: a recorded trace (connectivity.trace / traces / get) and the
// reachability matrix of a VPC (connectivity.matrix / matrixHistory), whose cells are computed from traces.
import { z } from 'zod';
import { idSchema } from '../inventory/common';
import { connectivityTraceInputSchema, traceFlowSchema, traceHopRefSchema, traceResultSchema } from './trace';

export const traceRecordSchema = z.object({
  id: z.string(),
  vpcId: z.string(),
  /** The matrix this trace is a cell of; null for a check someone asked for. */
  matrixId: z.string().nullable(),
  actor: z.string(),
  input: connectivityTraceInputSchema,
  result: traceResultSchema,
  /** The controller that traced it; null when no element could (outcome unavailable). */
  controllerId: z.string().nullable(),
  durationMs: z.number(),
  createdAt: z.number(),
});
export type TraceRecord = z.infer<typeof traceRecordSchema>;

/** At most this many flows per matrix (each is a full tiers × tiers + outside → tiers grid of traces). */
export const MAX_MATRIX_PROTOCOLS = 6;
/** At most this many traces per matrix: (tiers + 1) × tiers × flows. */
export const MAX_MATRIX_CELLS = 2_000;

export const reachabilityMatrixInputSchema = z.object({
  vpcId: idSchema,
  /** e.g. [{ protocol: 'tcp', port: 22 }, { protocol: 'icmp' }] */
  protocols: z.array(traceFlowSchema).min(1).max(MAX_MATRIX_PROTOCOLS),
});
export type ReachabilityMatrixInput = z.input<typeof reachabilityMatrixInputSchema>;

export const MATRIX_KINDS = ['manual', 'before', 'after'] as const;
export type MatrixKind = (typeof MATRIX_KINDS)[number];

export const reachabilityCellSchema = z.object({
  /** The source tier's id; null: outside (an address upstream of the VPC's gateway). */
  source: z.string().nullable(),
  /** The destination tier's id. */
  destination: z.string(),
  /** Index into the matrix's protocols. */
  flow: z.number().int().min(0),
  allowed: z.boolean(),
  /** Delivered, AclDenied, ... as the trace said; NoNic / NoInboundRule when nothing could be traced. */
  reason: z.string(),
  message: z.string(),
  /** What decided it: the ACL rule (or implicit default) that allowed or dropped it, the NAT rule used inbound... */
  decidingRef: traceHopRefSchema.nullable(),
  /** The trace behind the cell (connectivity.get); null when there was nothing to trace from or to. */
  traceId: z.string().nullable(),
});
export type ReachabilityCell = z.infer<typeof reachabilityCellSchema>;

export const reachabilityMatrixSchema = z.object({
  id: z.string(),
  vpcId: z.string(),
  /** manual: someone asked; before / after: around an ACL change (changeId pairs them). */
  kind: z.enum(MATRIX_KINDS),
  changeId: z.string().nullable(),
  changeLabel: z.string().nullable(),
  actor: z.string(),
  protocols: z.array(traceFlowSchema),
  /** The tiers in row/column order, with the NIC traced from/to (null: the tier has none). */
  tiers: z.array(
    z.object({ networkId: z.string(), name: z.string(), cidr: z.string(), nicId: z.string().nullable() }),
  ),
  cells: z.array(reachabilityCellSchema),
  durationMs: z.number(),
  createdAt: z.number(),
});
export type ReachabilityMatrix = z.infer<typeof reachabilityMatrixSchema>;
