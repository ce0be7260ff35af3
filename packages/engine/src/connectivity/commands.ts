// The connectivity commands behind connectivity.*: one check (trace), the VPC's recorded checks (traces, get), the
// reachability matrix (matrix.ts) and its history. Every check is recorded, the newest 1,000 per VPC kept.
import { randomUUID } from 'node:crypto';
import { connectivityRepo, type Page, vpcsRepo } from '@netplane/db';
import {
  AppError,
  type ConnectivityTraceInput,
  connectivityTraceInputSchema,
  type ReachabilityMatrix,
  type ReachabilityMatrixInput,
  type TraceRecord,
} from '@netplane/domain';
import type { EngineCore } from '../lifecycle/core';
import { computeMatrix, type MatrixOrigin } from './matrix';
import { matrixOf, traceRecordOf, traceRowOf } from './records';
import { resolveTrace, vpcScopeOf } from './resolve';
import { runTrace } from './run';

export type PageArgs = { cursor?: string; limit: number };

export class ConnectivityCommands {
  constructor(private readonly core: EngineCore) {}

  async trace(raw: ConnectivityTraceInput, actor: string): Promise<TraceRecord> {
    const core = this.core;
    // The API has parsed it already; an engine caller gets the same defaults (ICMP echo request).
    const input = connectivityTraceInputSchema.parse(raw);
    const scope = await vpcScopeOf(core, input.vpcId);
    const resolved = await resolveTrace(core, scope, input);
    const id = randomUUID();
    const run = await runTrace(core, scope, resolved, id);
    const record: TraceRecord = {
      id,
      vpcId: scope.vpc.id,
      matrixId: null,
      actor,
      input,
      result: run.result,
      controllerId: run.controllerId,
      durationMs: Math.round(run.durationMs),
      createdAt: core.deps.now(),
    };
    const db = core.deps.db.db;
    await connectivityRepo.insertTraces(db, [traceRowOf(record)]);
    await connectivityRepo.pruneTraces(db, scope.vpc.id);
    return record;
  }

  async traces(vpcId: string, page: PageArgs): Promise<Page<TraceRecord>> {
    const db = this.core.deps.db.db;
    await this.requireVpc(vpcId);
    const p = await connectivityRepo.pageTracesOfVpc(db, {
      vpcId,
      limit: page.limit,
      ...(page.cursor !== undefined && { cursor: page.cursor }),
    });
    return { ...p, items: p.items.map(traceRecordOf) };
  }

  async get(id: string): Promise<TraceRecord> {
    const row = await connectivityRepo.getTrace(this.core.deps.db.db, id);
    if (!row) throw new AppError('NOT_FOUND', `Trace ${id} does not exist`);
    return traceRecordOf(row);
  }

  /** `deadlineMs`: see MATRIX_DEADLINE_MS (the benchmark lifts it to time a whole OVN matrix). */
  matrix(
    input: ReachabilityMatrixInput,
    actor: string,
    opts: { origin?: MatrixOrigin; deadlineMs?: number } = {},
  ): Promise<ReachabilityMatrix> {
    return computeMatrix(this.core, input, actor, opts.origin ?? { kind: 'manual' }, opts.deadlineMs);
  }

  async matrixHistory(vpcId: string, page: PageArgs): Promise<Page<ReachabilityMatrix>> {
    await this.requireVpc(vpcId);
    const p = await connectivityRepo.pageMatricesOfVpc(this.core.deps.db.db, {
      vpcId,
      limit: page.limit,
      ...(page.cursor !== undefined && { cursor: page.cursor }),
    });
    return { ...p, items: p.items.map(matrixOf) };
  }

  async getMatrix(id: string): Promise<ReachabilityMatrix> {
    const row = await connectivityRepo.getMatrix(this.core.deps.db.db, id);
    if (!row) throw new AppError('NOT_FOUND', `Matrix ${id} does not exist`);
    return matrixOf(row);
  }

  private async requireVpc(vpcId: string): Promise<void> {
    if (!(await vpcsRepo.getVpc(this.core.deps.db.db, vpcId)))
      throw new AppError('NOT_FOUND', `VPC ${vpcId} does not exist`);
  }
}
