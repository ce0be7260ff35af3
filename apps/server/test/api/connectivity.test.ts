// connectivity.* through createCaller on both dialects, with the real engine and the simulator: roles (an operator
// runs checks and matrices, a viewer reads them, a viewer cannot run one), bad input as 400 on the field, unknown ids
// as 404, the recorded check paged and read back, the matrix and its history, and both in the support bundle.
import { randomUUID } from 'node:crypto';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type EdgeApi, failure, startEdgeApi, stopEdgeApi, tierWithNics } from './edge-fixture';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

describe.each(testDialects())('connectivity API on %s', (dialect) => {
  let e: EdgeApi;
  let vpcId = '';
  let nicIds: string[] = [];
  beforeAll(async () => {
    e = await startEdgeApi(dialect, `api-connectivity-${dialect}`);
    const made = await tierWithNics(e, '10.71', e.natLbOfferingId, 2);
    vpcId = made.vpc.id;
    nicIds = made.nics.map((n) => n.id);
  });
  afterAll(() => stopEdgeApi(e));

  const input = () => ({
    vpcId,
    source: { kind: 'nic' as const, nicId: nicIds[0] ?? '' },
    destination: { kind: 'nic' as const, nicId: nicIds[1] ?? '' },
    flow: { protocol: 'tcp' as const, port: 22 },
  });

  it('lets an operator run a check and a viewer read it (paged, by id), but not run one', async () => {
    const op = e.t.callerAs('operator');
    const viewer = e.t.callerAs('viewer');
    const t = await op.connectivity.trace(input());
    expect(t).toMatchObject({
      vpcId,
      actor: 'test-operator',
      matrixId: null,
      result: { outcome: 'delivered' },
    });
    const page = await viewer.connectivity.traces({ vpcId, limit: 5 });
    expect(page.items[0]?.id).toBe(t.id);
    expect(page).toMatchObject({ nextCursor: null, total: 1 });
    expect(await viewer.connectivity.get({ id: t.id })).toEqual(t);
    expect(await failure(viewer.connectivity.trace(input()))).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await failure(viewer.connectivity.matrix({ vpcId, protocols: [{ protocol: 'icmp' }] })),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('answers bad input with 400 and unknown ids with 404', async () => {
    const op = e.t.callerAs('operator');
    const bad = [
      { ...input(), flow: { protocol: 'tcp', port: 0 } },
      { ...input(), flow: { protocol: 'sctp', port: 1 } },
      { ...input(), source: { kind: 'outside', ip: 'not-an-ip' } },
      { ...input(), destination: { kind: 'somewhere' } },
    ];
    for (const b of bad)
      expect(await failure(op.connectivity.trace(b as never)), JSON.stringify(b)).toMatchObject({
        code: 'BAD_REQUEST',
      });
    expect(await failure(op.connectivity.trace({ ...input(), vpcId: randomUUID() }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      await failure(op.connectivity.trace({ ...input(), destination: { kind: 'nic', nicId: randomUUID() } })),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(e.t.callerAs('viewer').connectivity.get({ id: randomUUID() }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await failure(op.connectivity.matrix({ vpcId, protocols: [] }))).toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('computes a matrix, lists it in the history and puts checks and matrices in the support bundle', async () => {
    const op = e.t.callerAs('operator');
    const m = await op.connectivity.matrix({
      vpcId,
      protocols: [{ protocol: 'tcp', port: 22 }, { protocol: 'icmp' }],
    });
    expect(m.tiers).toHaveLength(1);
    // web → web per flow (delivered within the tier) and outside → web (no inbound rule).
    expect(
      m.cells.map((c) => [c.source === null ? 'outside' : 'web', c.flow, c.allowed, c.reason]).sort(),
    ).toEqual(
      [
        ['outside', 0, false, 'NoInboundRule'],
        ['outside', 1, false, 'NoInboundRule'],
        ['web', 0, true, 'Delivered'],
        ['web', 1, true, 'Delivered'],
      ].sort(),
    );
    const history = await e.t.callerAs('viewer').connectivity.matrixHistory({ vpcId, limit: 5 });
    expect(history.items.map((x) => [x.id, x.kind])).toEqual([[m.id, 'manual']]);
    const cellTrace = m.cells.find((c) => c.traceId)?.traceId ?? '';
    expect((await e.t.callerAs('viewer').connectivity.get({ id: cellTrace })).matrixId).toBe(m.id);
    const bundle = await e.t.callerAs('support').support.bundle({ vpcId });
    expect(bundle.connectivityTraces.length).toBeGreaterThan(0);
    expect(bundle.connectivityMatrices).toEqual([expect.objectContaining({ id: m.id })]);
  });
});
