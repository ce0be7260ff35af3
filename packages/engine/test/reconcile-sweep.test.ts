// The scheduled reconcile reaches every Implemented VPC: it walks them with the keyset cursor, several pages of them
// here (page size 5 for 23 VPCs), spreads the submissions over the interval, and stops mid-walk when the engine stops.
import { randomUUID } from 'node:crypto';
import { vpcsRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World, waitForJob } from './world';

const IMPLEMENTED = 23;

describe.each(testDialects())('scheduled reconcile on %s', (dialect) => {
  let w: World;
  const implemented: string[] = [];
  const others: string[] = [];
  beforeAll(async () => {
    w = await makeWorld(dialect);
    const now = Date.now();
    // Implemented VPCs without tiers (a reconcile of one is a quick in-sync job), with created_at ties, plus VPCs
    // in other states that the sweep must leave alone.
    for (let i = 0; i < IMPLEMENTED + 6; i++) {
      const id = randomUUID();
      const state = i < IMPLEMENTED ? 'Implemented' : i % 2 ? 'Allocated' : 'Error';
      await vpcsRepo.insertVpc(w.db.db, {
        id,
        name: `sweep-${i}`,
        zoneId: w.zoneId,
        offeringId: w.vpcOfferingId,
        cidr: '10.0.0.0/16',
        state,
        conditions: '[]',
        createdBy: 't',
        createdAt: now + Math.floor(i / 4),
      });
      (state === 'Implemented' ? implemented : others).push(id);
    }
  });
  afterAll(async () => {
    await w?.cleanup();
  });

  /** VPC ids that got a reconcile job from the engine, and how many such jobs in all. */
  const reconciled = async () => {
    const rows = await w.db.db
      .selectFrom('jobs')
      .select(['target_id'])
      .where('kind', '=', 'vpc.reconcile')
      .where('created_by', '=', 'engine')
      .execute();
    return { vpcs: new Set(rows.map((r) => r.target_id)), jobs: rows.length };
  };

  it('submits one reconcile for every Implemented VPC across several pages, and none for the others', async () => {
    const engine = w.engine({ reconcilePageSize: 5, reconcileConcurrency: 2 });
    const ids = await engine.reconcileAll();
    expect(new Set(ids).size).toBe(IMPLEMENTED);
    const { vpcs } = await reconciled();
    expect([...vpcs].sort()).toEqual([...implemented].sort());
    for (const id of others) expect(vpcs.has(id)).toBe(false);
    await engine.start();
    for (const id of ids) expect((await waitForJob(engine, id)).state).toBe('succeeded');
    await engine.stop();
    await w.db.db.deleteFrom('jobs').execute();
  });

  it('reaches every Implemented VPC from the schedule, more VPCs than one page', async () => {
    // One tick at 1.5 s; the sweep spreads 23 submissions over half of it. Poll with a generous deadline.
    const engine = w.engine({ reconcilePageSize: 5, reconcileConcurrency: 2, reconcileIntervalMs: 1_500 });
    await engine.start();
    const deadline = Date.now() + 60_000;
    let seen = await reconciled();
    while (seen.vpcs.size < IMPLEMENTED && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      seen = await reconciled();
    }
    await engine.stop();
    expect([...seen.vpcs].sort()).toEqual([...implemented].sort());
    await w.db.db.deleteFrom('jobs').execute();
  });

  it('ends a paced sweep when the engine stops, before it has walked every VPC', async () => {
    // A 10 min interval paces 23 submissions 13 s apart: stop() must not wait for the walk to finish.
    const engine = w.engine({ reconcilePageSize: 5, reconcileIntervalMs: 600_000 });
    const controller = new AbortController();
    const sweep = engine.reconcileAll(controller.signal);
    const deadline = Date.now() + 30_000;
    while ((await reconciled()).jobs === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const ids = await sweep;
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThan(IMPLEMENTED);
  });
});
