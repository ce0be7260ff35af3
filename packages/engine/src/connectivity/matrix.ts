// The reachability matrix of a VPC: tiers × tiers and outside → tiers for each flow asked, every cell decided by a
// trace (matrix-plan.ts says which), run a few at a time; the matrix and its traces are recorded together (the
// newest 20 matrices per VPC kept; a matrix trace keeps 2 KiB of the tool output). `origin` says why it was computed: asked for, or before/after an ACL change.
import { randomUUID } from 'node:crypto';
import { connectivityRepo, nicsRepo } from '@netplane/db';
import {
  AppError,
  MAX_MATRIX_CELLS,
  type ReachabilityCell,
  type ReachabilityMatrix,
  type ReachabilityMatrixInput,
  reachabilityMatrixInputSchema,
  type TraceHopRef,
  type TraceResult,
} from '@netplane/domain';
import type { EngineCore } from '../lifecycle/core';
import { planMatrix } from './matrix-plan';
import { traceRowOf } from './records';
import { resolveTrace, vpcScopeOf } from './resolve';
import { type PickCache, runTrace } from './run';

export type MatrixOrigin =
  | { kind: 'manual' }
  | { kind: 'before' | 'after'; changeId: string; changeLabel: string };

/**
 * A matrix records hundreds of traces: each keeps at most this much of the tool's output (ovn-trace's runs to tens of
 * KiB per trace; a check asked alone keeps what the adapter gave).
 */
export const MATRIX_TOOL_OUTPUT_KEPT = 2_048;

const trimmed = (r: TraceResult): TraceResult =>
  r.tool.output !== undefined && r.tool.output.length > MATRIX_TOOL_OUTPUT_KEPT
    ? {
        ...r,
        tool: { ...r.tool, output: `${r.tool.output.slice(0, MATRIX_TOOL_OUTPUT_KEPT)}\n… (truncated)` },
      }
    : r;

/**
 * How long a matrix may take: past it no further trace starts, and the cells left say NotTraced. An answer after
 * minutes helps nobody (OVN's ovn-trace loads the Southbound database per trace, docs/benchmarks.md), and the API
 * call and the ACL job wait for it.
 */
export const MATRIX_DEADLINE_MS = 120_000;

/** Traces in flight at once per matrix: enough to hide a controller's latency, few enough to leave it room. */
export const MATRIX_CONCURRENCY = 4;

/** What decides a cell: the dropping hop's ref, else the last ACL decision on the way, else the last ref seen. */
function decidingRefOf(r: TraceResult): TraceHopRef | null {
  if (r.outcome === 'dropped') return r.hops.at(-1)?.ref ?? null;
  const acl = r.hops.filter((h) => h.kind === 'acl' && h.ref).at(-1);
  return (
    acl?.ref ??
    r.hops.filter((h) => h.ref && h.kind !== 'deliver' && h.kind !== 'portSecurity').at(-1)?.ref ??
    null
  );
}

async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

export async function computeMatrix(
  core: EngineCore,
  raw: ReachabilityMatrixInput,
  actor: string,
  origin: MatrixOrigin,
  deadlineMs = MATRIX_DEADLINE_MS,
): Promise<ReachabilityMatrix> {
  const input = reachabilityMatrixInputSchema.parse(raw);
  const t0 = performance.now();
  const db = core.deps.db.db;
  const scope = await vpcScopeOf(core, input.vpcId);
  const size = (scope.tiers.length + 1) * scope.tiers.length * input.protocols.length;
  if (size > MAX_MATRIX_CELLS)
    throw new AppError(
      'BAD_INPUT',
      `A matrix of ${scope.tiers.length} tiers and ${input.protocols.length} flows is ${size} traces; at most ${MAX_MATRIX_CELLS}: ask for fewer flows`,
      { field: 'protocols', reason: 'MATRIX_TOO_LARGE' },
    );
  const nics = await nicsRepo.listNicsOfVpc(db, scope.vpc.id);
  const { reps, cells: planned } = await planMatrix(core, scope, nics, input.protocols);
  const byId = new Map([...reps.values()].flat().map((n) => [n.id, n]));
  const id = randomUUID();
  const cells: ReachabilityCell[] = new Array(planned.length);
  const rows: connectivityRepo.TraceRecordRow[] = [];
  const picks: PickCache = new Map();
  await pool(
    planned.map((p, i) => ({ p, i })),
    MATRIX_CONCURRENCY,
    async ({ p, i }) => {
      if (!('input' in p)) {
        cells[i] = p.cell;
        return;
      }
      if (performance.now() - t0 > deadlineMs) {
        cells[i] = {
          ...p.cell,
          allowed: false,
          reason: 'NotTraced',
          message: `The matrix used up its ${Math.round(deadlineMs / 1000)} s before this cell was traced`,
          decidingRef: null,
          traceId: null,
        };
        return;
      }
      const traceId = randomUUID();
      const resolved = await resolveTrace(core, scope, p.input, byId);
      const run = await runTrace(core, scope, resolved, traceId, picks);
      rows.push(
        traceRowOf({
          id: traceId,
          vpcId: scope.vpc.id,
          matrixId: id,
          actor,
          input: p.input,
          result: trimmed(run.result),
          controllerId: run.controllerId,
          durationMs: Math.round(run.durationMs),
          createdAt: core.deps.now(),
        }),
      );
      cells[i] = {
        ...p.cell,
        allowed: run.result.outcome === 'delivered',
        reason: run.result.reason,
        message: run.result.message,
        decidingRef: decidingRefOf(run.result),
        traceId,
      };
    },
  );
  const matrix: ReachabilityMatrix = {
    id,
    vpcId: scope.vpc.id,
    kind: origin.kind,
    changeId: origin.kind === 'manual' ? null : origin.changeId,
    changeLabel: origin.kind === 'manual' ? null : origin.changeLabel,
    actor,
    protocols: input.protocols,
    tiers: scope.tiers.map((t) => ({
      networkId: t.id,
      name: t.name,
      cidr: t.cidr,
      nicId: reps.get(t.id)?.[0]?.id ?? null,
    })),
    cells,
    durationMs: Math.round(performance.now() - t0),
    createdAt: core.deps.now(),
  };
  await connectivityRepo.insertTraces(db, rows);
  await connectivityRepo.insertMatrix(db, {
    id,
    vpcId: matrix.vpcId,
    kind: matrix.kind,
    changeId: matrix.changeId,
    changeLabel: matrix.changeLabel,
    actor,
    protocols: JSON.stringify(matrix.protocols),
    matrix: JSON.stringify({ tiers: matrix.tiers, cells: matrix.cells }),
    durationMs: matrix.durationMs,
    createdAt: matrix.createdAt,
  });
  await connectivityRepo.pruneMatrices(db, matrix.vpcId);
  return matrix;
}
