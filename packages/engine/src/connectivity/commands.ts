// The connectivity commands behind connectivity.*: one check (trace), the VPC's recorded checks (traces, get), the
// reachability matrix (matrix.ts) and its history. Every check is recorded, the newest 1,000 per VPC kept.
import { randomUUID } from 'node:crypto';
import { connectivityRepo, type Db, type Page, vpcsRepo } from '@netplane/db';
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

  traces(vpcId: string, page: PageArgs): Promise<Page<TraceRecord>> {
    return this.pageOfVpc(vpcId, page, connectivityRepo.pageTracesOfVpc, traceRecordOf);
  }

  get(id: string): Promise<TraceRecord> {
    return this.one(id, 'Trace', connectivityRepo.getTrace, traceRecordOf);
  }

  /** `deadlineMs`: see MATRIX_DEADLINE_MS (the benchmark lifts it to time a whole OVN matrix). */
  matrix(
    input: ReachabilityMatrixInput,
    actor: string,
    opts: { origin?: MatrixOrigin; deadlineMs?: number } = {},
  ): Promise<ReachabilityMatrix> {
    return computeMatrix(this.core, input, actor, opts.origin ?? { kind: 'manual' }, opts.deadlineMs);
  }

  matrixHistory(vpcId: string, page: PageArgs): Promise<Page<ReachabilityMatrix>> {
    return this.pageOfVpc(vpcId, page, connectivityRepo.pageMatricesOfVpc, matrixOf);
  }

  getMatrix(id: string): Promise<ReachabilityMatrix> {
    return this.one(id, 'Matrix', connectivityRepo.getMatrix, matrixOf);
  }

  /** One trace or matrix by id, as its view; NOT_FOUND ("<what> <id> does not exist") when there is none. */
  private async one<R, V>(
    id: string,
    what: string,
    read: (db: Db, id: string) => Promise<R | undefined>,
    view: (row: R) => V,
  ): Promise<V> {
    const row = await read(this.core.deps.db.db, id);
    if (!row) throw new AppError('NOT_FOUND', `${what} ${id} does not exist`);
    return view(row);
  }

  /** A page of the VPC's traces or matrices (newest first), as their views; NOT_FOUND for an unknown VPC. */
  private async pageOfVpc<R, V>(
    vpcId: string,
    page: PageArgs,
    read: (db: Db, q: { vpcId: string; limit: number; cursor?: string }) => Promise<Page<R>>,
    view: (row: R) => V,
  ): Promise<Page<V>> {
    await this.requireVpc(vpcId);
    const p = await read(this.core.deps.db.db, {
      vpcId,
      limit: page.limit,
      ...(page.cursor !== undefined && { cursor: page.cursor }),
    });
    return { ...p, items: p.items.map(view) };
  }

  private async requireVpc(vpcId: string): Promise<void> {
    if (!(await vpcsRepo.getVpc(this.core.deps.db.db, vpcId)))
      throw new AppError('NOT_FOUND', `VPC ${vpcId} does not exist`);
  }
}
