// Recorded traces and matrices as the API shows them (rows hold JSON; these parse it back).
import type { connectivityRepo } from '@netplane/db';
import type {
  ConnectivityTraceInput,
  MatrixKind,
  ReachabilityMatrix,
  TraceFlow,
  TraceRecord,
  TraceResult,
} from '@netplane/domain';

export const traceRecordOf = (r: connectivityRepo.TraceRecordRow): TraceRecord => ({
  id: r.id,
  vpcId: r.vpcId,
  matrixId: r.matrixId,
  actor: r.actor,
  input: JSON.parse(r.input) as ConnectivityTraceInput,
  result: JSON.parse(r.result) as TraceResult,
  controllerId: r.controllerId,
  durationMs: r.durationMs,
  createdAt: r.createdAt,
});

export type MatrixBody = Pick<ReachabilityMatrix, 'tiers' | 'cells'>;

export const matrixOf = (r: connectivityRepo.MatrixRow): ReachabilityMatrix => {
  const body = JSON.parse(r.matrix) as MatrixBody;
  return {
    id: r.id,
    vpcId: r.vpcId,
    kind: r.kind as MatrixKind,
    changeId: r.changeId,
    changeLabel: r.changeLabel,
    actor: r.actor,
    protocols: JSON.parse(r.protocols) as TraceFlow[],
    tiers: body.tiers,
    cells: body.cells,
    durationMs: r.durationMs,
    createdAt: r.createdAt,
  };
};

export const traceRowOf = (
  t: Omit<TraceRecord, 'input' | 'result'> & { input: ConnectivityTraceInput; result: TraceResult },
): connectivityRepo.TraceRecordRow => ({
  id: t.id,
  vpcId: t.vpcId,
  matrixId: t.matrixId,
  actor: t.actor,
  outcome: t.result.outcome,
  reason: t.result.reason,
  input: JSON.stringify(t.input),
  result: JSON.stringify(t.result),
  controllerId: t.controllerId,
  durationMs: t.durationMs,
  createdAt: t.createdAt,
});
