// The connectivity tables (migration 018) on both dialects: down and up again, a matrix past MariaDB's 64 KiB TEXT
// stored whole, checks paged newest first without a matrix's own traces, and retention per VPC (checks and matrices
// beyond the kept count deleted, a matrix's traces with it).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as m018 from '../src/migrations/018-connectivity-traces';
import * as connectivityRepo from '../src/repositories/connectivity';
import { createTestDatabase, type TestDatabase, testDialects } from '../src/testing';

describe.each(testDialects())('connectivity records on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await t.drop();
  });

  const trace = (
    vpcId: string,
    at: number,
    matrixId: string | null = null,
  ): connectivityRepo.TraceRecordRow => ({
    id: randomUUID(),
    vpcId,
    matrixId,
    actor: 't',
    outcome: 'delivered',
    reason: 'Delivered',
    input: '{}',
    result: '{}',
    controllerId: null,
    durationMs: 3,
    createdAt: at,
  });
  const matrix = (vpcId: string, at: number, body = '{}'): connectivityRepo.MatrixRow => ({
    id: randomUUID(),
    vpcId,
    kind: 'manual',
    changeId: null,
    changeLabel: null,
    actor: 't',
    protocols: '[]',
    matrix: body,
    durationMs: 10,
    createdAt: at,
  });

  it('takes 018-connectivity-traces down and up again', async () => {
    await m018.down(t.db as never);
    await m018.up(t.db as never);
    expect(await t.db.selectFrom('connectivity_traces').select('id').execute()).toEqual([]);
  });

  it('stores a matrix larger than 64 KiB whole', async () => {
    const body = JSON.stringify({ cells: 'x'.repeat(200_000) });
    const m = matrix(randomUUID(), 1, body);
    await connectivityRepo.insertMatrix(t.db, m);
    expect((await connectivityRepo.getMatrix(t.db, m.id))?.matrix).toBe(body);
  });

  it('pages checks newest first, leaving out the traces of matrices, and keeps only the newest per VPC', async () => {
    const vpcId = randomUUID();
    const rows = Array.from({ length: 12 }, (_, i) => trace(vpcId, 1_000 + i));
    const m = matrix(vpcId, 5_000);
    await connectivityRepo.insertTraces(t.db, [...rows, trace(vpcId, 2_000, m.id)]);
    await connectivityRepo.insertMatrix(t.db, m);
    const first = await connectivityRepo.pageTracesOfVpc(t.db, { vpcId, limit: 5 });
    expect(first.total).toBe(12);
    expect(first.items.map((r) => r.createdAt)).toEqual([1011, 1010, 1009, 1008, 1007]);
    const second = await connectivityRepo.pageTracesOfVpc(t.db, {
      vpcId,
      limit: 5,
      cursor: first.nextCursor ?? '',
    });
    expect(second.items[0]?.createdAt).toBe(1006);
    await connectivityRepo.pruneTraces(t.db, vpcId, 4);
    const kept = await connectivityRepo.pageTracesOfVpc(t.db, { vpcId, limit: 50 });
    expect(kept.items.map((r) => r.createdAt)).toEqual([1011, 1010, 1009, 1008]);
    // The matrix's own trace is not a check: pruning checks leaves it; pruning matrices takes it.
    const newer = matrix(vpcId, 6_000);
    await connectivityRepo.insertMatrix(t.db, newer);
    await connectivityRepo.pruneMatrices(t.db, vpcId, 1);
    expect((await connectivityRepo.latestMatrixOfVpc(t.db, vpcId))?.id).toBe(newer.id);
    expect(await connectivityRepo.getMatrix(t.db, m.id)).toBeUndefined();
    const left = await t.db
      .selectFrom('connectivity_traces')
      .select('id')
      .where('matrix_id', '=', m.id)
      .execute();
    expect(left).toEqual([]);
  });
});
