// A reconcile reads the database, then observes the controller: a job of the same VPC writing in between makes the
// two disagree (here a prepare: its new port is on the controller, its NIC row was not in the reconcile's read). That
// is not drift. The reconcile observes again once that job has ended, or, while it still runs, writes no Synced and
// the drift watch checks the VPC after the job; it never leaves Synced=False after our own writes. The controller
// holds the calls (hold-calls.ts), so each interleaving is one the test makes, not one it hopes for. And the drift
// watch lists a VPC as pending while its check is submitting the reconcile (a held submit), so "nothing pending and no
// job active" (the OVN test's quiet()) no longer passes in that gap.
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriftWatch } from '../src/drift-watch';
import { createCore } from '../src/lifecycle/core';
import { DEFAULT_OPTIONS } from '../src/types';
import { describeDriftWorld } from './describe-world';
import { implementWithNics, syncedVpc } from './edge';
import { holdCalls, latch } from './hold-calls';
import { makeWorld, until, vpcWithTier, type World, waitForJob } from './world';

describeDriftWorld('reconcile overlapping a job of its VPC', (world) => {
  let n = 0;

  /** An implemented VPC with one tier and one Reserved NIC, Synced=True by a first reconcile. */
  const implemented = () => syncedVpc(world.w, world.engine, 140 + ++n, 1);
  /** A prepare of two NICs whose first is on the controller and whose second is held (`prep`): the job runs on. */
  async function prepareHalfway(tierId: string, vmNames: [string, string]) {
    const prep = holdCalls(world.w, world.controllerId, ['prepareNic', 'prepareNics'], 1);
    const busy = await world.engine.prepareNics(
      tierId,
      vmNames.map((vmName) => ({ vmName })),
      't',
      { batchSize: 1 },
    );
    await prep.firstHeld;
    await until(
      async () =>
        (await world.engine.listCalls({ jobId: busy.jobId })).filter((c) => c.outcome === 'ok').length,
      (k) => k >= 1,
    );
    return { prep, busy };
  }
  /**
   * Starts the VPC's `check` (a reconcile or repair) and holds it in its observe, after its database read, while a prepare of
   * the tier gets half-way (prepareHalfway); then lets the observe run, the prepare still held in `prep`.
   */
  async function overlappingPrepare(
    check: 'reconcile' | 'repair',
    vpcId: string,
    tierId: string,
    vmNames: [string, string],
  ) {
    const observe = holdCalls(world.w, world.controllerId, ['observe']);
    const job = await world.engine[check](vpcId, 't');
    await observe.firstHeld;
    const { prep, busy } = await prepareHalfway(tierId, vmNames);
    observe.open();
    return { job, prep, busy };
  }
  const synced = async (tierId: string) =>
    (await world.engine.getTier(tierId))?.conditions.find((c) => c.type === 'Synced');
  const resultOf = async (jobId: string) =>
    (await waitForJob(world.engine, jobId)).result as {
      inSync: boolean;
      rounds?: number;
      deferred?: { jobId: string }[];
    };

  it('observes again when a prepare ran between its database read and its observe, and stays Synced', async () => {
    const { vpc, tier } = await implemented();
    const observe = holdCalls(world.w, world.controllerId, ['observe']);
    const reconcile = await world.engine.reconcile(vpc.id, 't');
    // The reconcile has read the rows (one NIC) and waits in its observe.
    await observe.firstHeld;
    const prepare = await world.engine.prepareNics(tier.id, [{ vmName: 'between' }], 't');
    expect((await waitForJob(world.engine, prepare.jobId)).state).toBe('succeeded');
    observe.open();
    const result = await resultOf(reconcile.jobId);
    expect((await synced(tier.id))?.status).toBe('True');
    expect(result.inSync).toBe(true);
    expect(result.rounds).toBe(2);
    expect((await world.engine.getVpc(vpc.id))?.conditions.find((c) => c.type === 'Synced')?.status).toBe(
      'True',
    );
  });

  it('writes no Synced while the prepare still runs, and the drift watch checks the VPC after it', async () => {
    const { vpc, tier } = await implemented();
    const { job: reconcile, prep, busy } = await overlappingPrepare('reconcile', vpc.id, tier.id, ['a', 'b']);
    const result = await resultOf(reconcile.jobId);
    // The port the reconcile saw without its row is the prepare's own write, not drift.
    expect((await synced(tier.id))?.status).toBe('True');
    expect(result.inSync).toBe(false);
    expect(result.deferred?.map((d) => d.jobId)).toContain(busy.jobId);
    expect((await world.engine.getJob(busy.jobId))?.state).toBe('running');

    prep.open();
    const ended = await waitForJob(world.engine, busy.jobId);
    expect(ended.state).toBe('succeeded');
    const after = await until(
      async () =>
        (await world.engine.listJobs({ vpcId: vpc.id, kind: 'vpc.reconcile' })).filter(
          (j) => j.createdBy === 'engine' && j.createdAt >= (ended.finishedAt ?? 0),
        ),
      (js) => js.length >= 1,
    );
    const again = await resultOf(after[0]?.id ?? '');
    expect(again.inSync).toBe(true);
    await until(
      async () => world.engine.driftPending,
      (p) => !p.includes(vpc.id),
    );
    expect((await synced(tier.id))?.status).toBe('True');
  });
  it('a repair whose check overlaps a running prepare touches nothing and fails naming the prepare', async () => {
    const { vpc, tier } = await implemented();
    const { job: repair, prep, busy } = await overlappingPrepare('repair', vpc.id, tier.id, ['c', 'd']);
    // The prepare's first port, seen without its Reserved row, is not "extra": the repair releases nothing.
    const failed = await waitForJob(world.engine, repair.jobId);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'INVALID_STATE' });
    expect(failed.error?.message).toContain(busy.jobId);
    const calls = await world.engine.listCalls({ jobId: repair.jobId });
    expect(calls.filter((c) => (c.request as { repair?: boolean }).repair)).toEqual([]);

    prep.open();
    expect((await waitForJob(world.engine, busy.jobId)).state).toBe('succeeded');
    const nics = await world.engine.listNics(tier.id);
    expect(nics.map((x) => x.state).sort()).toEqual(['Reserved', 'Reserved', 'Reserved']);
    const after = await resultOf((await world.engine.reconcile(vpc.id, 't')).jobId);
    expect(after.inSync).toBe(true);
  });
});

describe.each(testDialects())('drift watch pending while its check submits on %s', (dialect) => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld(dialect);
  });
  afterAll(async () => {
    await w.cleanup();
  });

  it('lists the VPC until the reconcile its check submits exists: no pending and no job means settled', async () => {
    // An engine without a watch of its own: the only watch is the one under test, whose submit the test holds.
    const engine = w.engine({ driftDebounceMs: 0 });
    await engine.start();
    const controllerId = w.controllerIds[0] as string;
    const { vpc, tier } = await vpcWithTier(w, engine, '10.150.0.0/16', '10.150.1.0/24');
    const [nic] = await implementWithNics(engine, tier.id, 1);
    const core = createCore(w.deps, { ...DEFAULT_OPTIONS, nodeId: 'watch-under-test' });
    const held = latch();
    const submitting = latch();
    const watch = new DriftWatch(core, 50, async () => {
      submitting.release();
      await held.done;
    });
    watch.start();
    try {
      await core.elements.get(controllerId);
      w.hub.tamper(controllerId, { kind: 'nic', id: nic?.id ?? '', action: 'issue', issue: 'poked' });
      await submitting.done;
      // No job of the VPC is queued or running yet: only pending says a reconcile is on its way.
      expect((await engine.listJobs({ vpcId: vpc.id })).filter((j) => j.state === 'queued')).toHaveLength(0);
      expect(watch.pending).toContain(vpc.id);
      held.release();
      await until(
        async () => watch.pending,
        (p) => !p.includes(vpc.id),
      );
    } finally {
      held.release();
      await watch.stop();
      await core.elements.closeAll();
    }
  });
});
