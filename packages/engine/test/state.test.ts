// State changes: compare-and-set conflicts, refused transitions, NO_ELEMENT_FOR_SERVICE with its stored trace,
// stuck-job flagging and cancellation.
import { controllersRepo, offeringsRepo, physicalNetworksRepo, transitionsRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/index';
import { startWorld, vpcWithTier, type World, waitForJob } from './world';

describe.each(testDialects())('state and negotiation on %s', (dialect) => {
  let w: World;
  let engine: Engine;
  beforeAll(async () => ({ w, engine } = await startWorld(dialect)));
  afterAll(() => w.cleanup());

  it('lets only one of two writers with the same version win (compare-and-set)', async () => {
    const { tier } = await vpcWithTier(w, engine, '10.70.0.0/16', '10.70.1.0/24');
    const input = { table: 'networks' as const, id: tier.id, version: tier.version, now: Date.now() };
    const [x, y] = await Promise.all([
      transitionsRepo.casState(w.db.db, { ...input, to: 'Implementing' }),
      transitionsRepo.casState(w.db.db, { ...input, to: 'Destroy' }),
    ]);
    expect([x, y].filter(Boolean)).toHaveLength(1);
    expect(await transitionsRepo.casState(w.db.db, { ...input, to: 'Error' })).toBe(false);
  });

  it('fails the implement with NO_ELEMENT_FOR_SERVICE and the whole trace as evidence, tier in Error', async () => {
    const offering = await w.addOffering({
      kind: 'network',
      services: { Connectivity: 'simulator', Lb: 'simulator' },
      tags: ['platinum'],
    });
    const vpc = await engine.createVpc(
      { name: 'n', zoneId: w.zoneId, offeringId: w.vpcOfferingId, cidr: '10.71.0.0/16' },
      't',
    );
    const tier = await engine.createTier(
      { vpcId: vpc.id, name: 'x', offeringId: offering, cidr: '10.71.1.0/24' },
      't',
    );
    const job = await waitForJob(engine, (await engine.implementTier(tier.id, 't')).jobId);
    expect(job.error).toMatchObject({ code: 'NO_ELEMENT_FOR_SERVICE', missing: ['Connectivity', 'Lb'] });
    const [trace] = await engine.listTraces({ networkId: tier.id });
    expect(trace?.ok).toBe(false);
    expect(trace?.jobId).toBe(job.id);
    expect(trace?.trace).toEqual([
      expect.objectContaining({
        service: 'Connectivity',
        verdict: 'TAG_MISMATCH',
        providerLabels: ['Gold'],
        requiredLabels: ['platinum'],
      }),
      expect.objectContaining({ service: 'Lb', verdict: 'TAG_MISMATCH' }),
    ]);
    const t = await engine.getTier(tier.id);
    expect(t?.state).toBe('Error');
    expect(t?.conditions.find((c) => c.type === 'Ready')?.reason).toBe('NoElementForService');
    expect(await engine.listCalls({ jobId: job.id })).toHaveLength(0);
  });

  it('records DECLINED with the adapter reason when canHandle says no', async () => {
    const c = w.controllerIds[0] as string;
    await w.hub.setProfile(c, { declineReason: 'maintenance window' });
    const { tier } = await vpcWithTier(w, engine, '10.72.0.0/16', '10.72.1.0/24');
    const job = await waitForJob(engine, (await engine.implementTier(tier.id, 't')).jobId);
    await w.hub.setProfile(c, { declineReason: null });
    expect(job.error?.code).toBe('NO_ELEMENT_FOR_SERVICE');
    const [trace] = await engine.listTraces({ networkId: tier.id });
    expect(trace?.trace[0]).toMatchObject({
      verdict: 'DECLINED',
      reason: expect.stringContaining('maintenance window'),
    });
  });

  it('refuses a transition the state machine does not allow', async () => {
    const { tier } = await vpcWithTier(w, engine, '10.73.0.0/16', '10.73.1.0/24');
    await expect(
      engine.shutdownTier(tier.id, 't').then((r) => waitForJob(engine, r.jobId)),
    ).resolves.toMatchObject({ state: 'succeeded' });
    // an Allocated tier that never was implemented: nothing to shut down, and a NIC cannot be prepared on it
    await expect(engine.prepareNics(tier.id, [{ vmName: 'x' }], 't')).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
  });

  it('cancels a queued job at once and flags jobs past their deadline as stuck', async () => {
    const other = w.engine({ jobTimeoutMs: 1 });
    const { tier } = await vpcWithTier(w, other, '10.74.0.0/16', '10.74.1.0/24');
    await engine.stop();
    const { jobId } = await other.implementTier(tier.id, 't');
    expect(await other.cancel(jobId)).toBe('cancelled');
    expect((await other.getJob(jobId))?.state).toBe('cancelled');
    const { jobId: late } = await other.implementTier(tier.id, 't');
    const { jobsRepo } = await import('@netplane/db');
    // A clock a minute ahead is past the 1 ms deadline for sure (no sleep to let the real clock get there).
    expect(await jobsRepo.flagStuck(w.db.db, Date.now() + 60_000)).toContain(late);
    expect((await other.listJobs({ stuck: true })).map((j) => j.id)).toContain(late);
    await engine.start();
    await waitForJob(engine, late);
  });
  it('tells the inventory which segments, controllers and offerings tiers use', async () => {
    const { tier } = await vpcWithTier(w, engine, '10.75.0.0/16', '10.75.1.0/24');
    await waitForJob(engine, (await engine.implementTier(tier.id, 't')).jobId);
    const c = w.controllerIds[0] as string;
    expect(await controllersRepo.isControllerInUse(w.db.db, c)).toBe(true);
    expect(await physicalNetworksRepo.usedSegmentIds(w.db.db, w.physicalNetworkId)).toContainEqual({
      kind: 'vlan',
      id: tier.segmentId,
    });
    expect(await offeringsRepo.countOfferingUsers(w.db.db, w.networkOfferingId)).toBeGreaterThan(0);
  });
});
