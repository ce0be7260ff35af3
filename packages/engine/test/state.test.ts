// State changes: compare-and-set conflicts, refused transitions, NO_ELEMENT_FOR_SERVICE with its stored trace,
// stuck-job flagging and cancellation.
import { controllersRepo, offeringsRepo, physicalNetworksRepo, transitionsRepo } from '@netplane/db';
import { expect, it } from 'vitest';
import { describeWorld } from './describe-world';
import { vpcWithTier, waitForJob } from './world';

describeWorld('state and negotiation', {}, (world) => {
  it('lets only one of two writers with the same version win (compare-and-set)', async () => {
    const { tier } = await vpcWithTier(world.w, world.engine, '10.70.0.0/16', '10.70.1.0/24');
    const input = { table: 'networks' as const, id: tier.id, version: tier.version, now: Date.now() };
    const [x, y] = await Promise.all([
      transitionsRepo.casState(world.w.db.db, { ...input, to: 'Implementing' }),
      transitionsRepo.casState(world.w.db.db, { ...input, to: 'Destroy' }),
    ]);
    expect([x, y].filter(Boolean)).toHaveLength(1);
    expect(await transitionsRepo.casState(world.w.db.db, { ...input, to: 'Error' })).toBe(false);
  });

  it('fails the implement with NO_ELEMENT_FOR_SERVICE and the whole trace as evidence, tier in Error', async () => {
    const offering = await world.w.addOffering({
      kind: 'network',
      services: { Connectivity: 'simulator', Lb: 'simulator' },
      tags: ['platinum'],
    });
    const vpc = await world.engine.createVpc(
      { name: 'n', zoneId: world.w.zoneId, offeringId: world.w.vpcOfferingId, cidr: '10.71.0.0/16' },
      't',
    );
    const tier = await world.engine.createTier(
      { vpcId: vpc.id, name: 'x', offeringId: offering, cidr: '10.71.1.0/24' },
      't',
    );
    const job = await waitForJob(world.engine, (await world.engine.implementTier(tier.id, 't')).jobId);
    expect(job.error).toMatchObject({ code: 'NO_ELEMENT_FOR_SERVICE', missing: ['Connectivity', 'Lb'] });
    const [trace] = await world.engine.listTraces({ networkId: tier.id });
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
    const t = await world.engine.getTier(tier.id);
    expect(t?.state).toBe('Error');
    expect(t?.conditions.find((c) => c.type === 'Ready')?.reason).toBe('NoElementForService');
    expect(await world.engine.listCalls({ jobId: job.id })).toHaveLength(0);
  });

  it('records DECLINED with the adapter reason when canHandle says no', async () => {
    const c = world.w.controllerIds[0] as string;
    await world.w.hub.setProfile(c, { declineReason: 'maintenance window' });
    const { tier } = await vpcWithTier(world.w, world.engine, '10.72.0.0/16', '10.72.1.0/24');
    const job = await waitForJob(world.engine, (await world.engine.implementTier(tier.id, 't')).jobId);
    await world.w.hub.setProfile(c, { declineReason: null });
    expect(job.error?.code).toBe('NO_ELEMENT_FOR_SERVICE');
    const [trace] = await world.engine.listTraces({ networkId: tier.id });
    expect(trace?.trace[0]).toMatchObject({
      verdict: 'DECLINED',
      reason: expect.stringContaining('maintenance window'),
    });
  });

  it('refuses a transition the state machine does not allow', async () => {
    const { tier } = await vpcWithTier(world.w, world.engine, '10.73.0.0/16', '10.73.1.0/24');
    await expect(
      world.engine.shutdownTier(tier.id, 't').then((r) => waitForJob(world.engine, r.jobId)),
    ).resolves.toMatchObject({ state: 'succeeded' });
    // an Allocated tier that never was implemented: nothing to shut down, and a NIC cannot be prepared on it
    await expect(world.engine.prepareNics(tier.id, [{ vmName: 'x' }], 't')).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
  });

  it('cancels a queued job at once and flags jobs past their deadline as stuck', async () => {
    const other = world.w.engine({ jobTimeoutMs: 1 });
    const { tier } = await vpcWithTier(world.w, other, '10.74.0.0/16', '10.74.1.0/24');
    await world.engine.stop();
    const { jobId } = await other.implementTier(tier.id, 't');
    expect(await other.cancel(jobId)).toBe('cancelled');
    expect((await other.getJob(jobId))?.state).toBe('cancelled');
    const { jobId: late } = await other.implementTier(tier.id, 't');
    const { jobsRepo } = await import('@netplane/db');
    // A clock a minute ahead is past the 1 ms deadline for sure (no sleep to let the real clock get there).
    expect(await jobsRepo.flagStuck(world.w.db.db, Date.now() + 60_000)).toContain(late);
    expect((await other.listJobs({ stuck: true })).map((j) => j.id)).toContain(late);
    await world.engine.start();
    await waitForJob(world.engine, late);
  });
  it('tells the inventory which segments, controllers and offerings tiers use', async () => {
    const { tier } = await vpcWithTier(world.w, world.engine, '10.75.0.0/16', '10.75.1.0/24');
    await waitForJob(world.engine, (await world.engine.implementTier(tier.id, 't')).jobId);
    const c = world.w.controllerIds[0] as string;
    expect(await controllersRepo.isControllerInUse(world.w.db.db, c)).toBe(true);
    expect(
      await physicalNetworksRepo.usedSegmentIds(world.w.db.db, world.w.physicalNetworkId),
    ).toContainEqual({
      kind: 'vlan',
      id: tier.segmentId,
    });
    expect(await offeringsRepo.countOfferingUsers(world.w.db.db, world.w.networkOfferingId)).toBeGreaterThan(
      0,
    );
  });
});
