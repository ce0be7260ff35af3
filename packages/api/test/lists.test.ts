// The one shape of every growing list through the API on both dialects: { items, nextCursor, total }, a bounded
// limit, filters before the limit (a condition filter finds the oldest VPC of many), and a malformed cursor as 400.
import { randomUUID } from 'node:crypto';
import { vpcsRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from './fixtures/deps';
import { insertOffering, insertZone } from './fixtures/inventory';

const isBadRequest = (e: unknown) => e instanceof TRPCError && e.code === 'BAD_REQUEST';

describe.each(testDialects())('paged lists on %s', (dialect) => {
  let t: TestDeps;
  let oldest = '';
  /** Synced but not Realized (the dashboard's "Implemented and Synced but not Realized"). */
  let unrealized = '';
  const VPCS = 130;
  beforeAll(async () => {
    t = await makeTestDeps(dialect);
    const db = t.db.db;
    const now = Date.now();
    const zoneId = await insertZone(db, { name: 'z', now });
    const offeringId = await insertOffering(db, { name: 'o', kind: 'vpc', serviceProviders: {}, now });
    for (let i = 0; i < VPCS; i++) {
      const id = randomUUID();
      if (i === 0) oldest = id;
      if (i === 1) unrealized = id;
      const synced = i === 0 ? 'False' : 'True';
      await vpcsRepo.insertVpc(db, {
        id,
        name: `vpc-${i}`,
        zoneId,
        offeringId,
        cidr: '10.0.0.0/16',
        state: 'Implemented',
        conditions: JSON.stringify([
          { type: 'Synced', status: synced, reason: 'X', message: '', lastTransitionTime: now },
          ...(i === 1
            ? [
                {
                  type: 'Realized',
                  status: 'False',
                  reason: 'NotCompiled',
                  message: 'm',
                  lastTransitionTime: now,
                },
              ]
            : []),
        ]),
        createdBy: 't',
        createdAt: now + i,
      });
    }
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('pages VPCs with a total, reaches the oldest, and filters by condition before the limit', async () => {
    const viewer = t.callerAs('viewer');
    const first = await viewer.vpcs.list();
    expect(first.items).toHaveLength(50);
    expect(first.total).toBe(VPCS);
    expect(first.nextCursor).toEqual(expect.any(String));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await viewer.vpcs.list({ limit: 200, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((v) => v.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(VPCS);
    expect(seen.at(-1)).toBe(oldest);
    const drifted = await viewer.vpcs.list({ condition: { type: 'Synced', status: 'False' }, limit: 1 });
    expect(drifted).toEqual({ items: [expect.objectContaining({ id: oldest })], nextCursor: null, total: 1 });
    const byName = await viewer.vpcs.list({ name: 'VPC-12', sort: 'name', dir: 'asc' });
    expect(byName.items.map((v) => v.name)).toEqual([
      'vpc-12',
      'vpc-120',
      'vpc-121',
      'vpc-122',
      'vpc-123',
      'vpc-124',
      'vpc-125',
      'vpc-126',
      'vpc-127',
      'vpc-128',
      'vpc-129',
    ]);
  });

  it('filters on several conditions at once (Synced and not Realized) and gives the Realized condition out', async () => {
    const viewer = t.callerAs('viewer');
    const page = await viewer.vpcs.list({
      conditions: [
        { type: 'Synced', status: 'True' },
        { type: 'Realized', status: 'False' },
      ],
    });
    expect(page.items.map((v) => v.id)).toEqual([unrealized]);
    expect(page.total).toBe(1);
    expect(page.items[0]?.conditions).toContainEqual(
      expect.objectContaining({ type: 'Realized', status: 'False', reason: 'NotCompiled' }),
    );
    expect(
      (await viewer.vpcs.list({ condition: { type: 'Realized', status: 'False' }, limit: 1 })).total,
    ).toBe(1);
    await expect(
      viewer.vpcs.list({
        conditions: [
          { type: 'Realized', status: 'False' },
          { type: 'Realized', status: 'True' },
        ],
      }),
    ).rejects.toSatisfy(isBadRequest);
  });

  it('answers a malformed cursor, an unknown sort and a limit past 200 with BAD_REQUEST', async () => {
    const viewer = t.callerAs('viewer');
    await expect(viewer.vpcs.list({ cursor: 'garbage!' })).rejects.toSatisfy(isBadRequest);
    await expect(viewer.vpcs.list({ cursor: 'eyJ4IjoxfQ' })).rejects.toSatisfy(isBadRequest);
    await expect(viewer.jobs.list({ cursor: 'AAAA' })).rejects.toSatisfy(isBadRequest);
    await expect(viewer.audit.list({ cursor: 'x'.repeat(2000) })).rejects.toSatisfy(isBadRequest);
    await expect(viewer.vpcs.list({ limit: 201 })).rejects.toSatisfy(isBadRequest);
    await expect(viewer.vpcs.list({ sort: 'cidr' as never })).rejects.toSatisfy(isBadRequest);
    const page = await viewer.vpcs.list({ limit: 1 });
    // A cursor made for one sort is refused by another.
    await expect(
      viewer.vpcs.list({ limit: 1, sort: 'name', cursor: page.nextCursor ?? '' }),
    ).rejects.toSatisfy(isBadRequest);
  });

  it('gives every growing list the same shape', async () => {
    const viewer = t.callerAs('viewer');
    const shape = { items: expect.any(Array), nextCursor: null, total: expect.any(Number) };
    const vpcId = oldest;
    for (const page of [
      await viewer.jobs.list({ vpcId }),
      await viewer.nics.list({ tierId: randomUUID() }),
      await viewer.calls.recent(),
      await viewer.calls.byVpc({ vpcId }),
      await viewer.calls.byJob({ jobId: randomUUID() }),
      await viewer.calls.byTarget({ targetId: vpcId, sort: 'durationMs' }),
      await viewer.diagnostics.list(),
      await viewer.audit.list({ targetId: vpcId }),
      await t.callerAs('support').support.queue(),
    ]) {
      expect(page).toEqual(shape);
    }
  });
});
