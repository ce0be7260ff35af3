// Lifecycle through the simulator on both dialects: implement, prepare, release, shutdown, destroy; idempotent
// repeats; rollback order; Error with a failed undo; adoption; bulk 500 NICs; transitions recorded with who and why.

import { expect, it } from 'vitest';
import { describeWorld } from './describe-world';
import { failImplementAndUndo, vendorError } from './faults';
import { vpcWithTier, waitForJob } from './world';

describeWorld('lifecycle', {}, (world) => {
  it('implements a tier, records every transition and every call, and sets Ready and Synced', async () => {
    const { vpc, tier } = await vpcWithTier(world.w, world.engine);
    expect(tier.broadcastUri).toBe('vlan://100');
    const { jobId } = await world.engine.implementTier(tier.id, 'alice');
    const job = await waitForJob(world.engine, jobId);
    expect(job.state).toBe('succeeded');
    const after = await world.engine.getTier(tier.id);
    expect(after?.state).toBe('Implemented');
    expect(after?.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(after?.elements.map((e) => e.service).sort()).toEqual(['Connectivity', 'Dhcp']);
    const transitions = await world.engine.listTransitions([tier.id]);
    expect(transitions.map((t) => `${t.from}>${t.to}`)).toEqual([
      'None>Allocated',
      'Allocated>Implementing',
      'Implementing>Implemented',
    ]);
    expect(transitions[1]?.actor).toBe('alice');
    const calls = await world.engine.listCalls({ jobId });
    expect(calls.map((c) => `${c.phase}:${c.targetType}:${c.outcome}`).sort()).toEqual([
      'implement:network:ok',
      'implement:vpc:ok',
    ]);
    expect((await world.engine.getVpc(vpc.id))?.state).toBe('Implemented');
  });

  it('treats a repeated implement as a no-op without controller calls', async () => {
    const { tier } = await vpcWithTier(world.w, world.engine, '10.2.0.0/16', '10.2.1.0/24');
    await waitForJob(world.engine, (await world.engine.implementTier(tier.id, 'alice')).jobId);
    const again = await world.engine.implementTier(tier.id, 'alice');
    const job = await waitForJob(world.engine, again.jobId);
    expect(job.state).toBe('succeeded');
    expect(job.result).toMatchObject({ noop: true });
    expect(await world.engine.listCalls({ jobId: again.jobId })).toHaveLength(0);
  });

  it('prepares 500 NICs in one request with batched calls, each NIC created once, and releases them', async () => {
    const { tier } = await vpcWithTier(world.w, world.engine, '10.3.0.0/16', '10.3.0.0/22');
    await waitForJob(world.engine, (await world.engine.implementTier(tier.id, 'alice')).jobId);
    const requests = Array.from({ length: 500 }, (_, i) => ({ vmName: `vm-${i}` }));
    const { jobId, nics } = await world.engine.prepareNics(tier.id, requests, 'alice');
    expect(new Set(nics.map((n) => n.ip)).size).toBe(500);
    const job = await waitForJob(world.engine, jobId);
    expect(job.state).toBe('succeeded');
    expect(job.progressDone).toBe(500);
    expect(job.progressTotal).toBe(500);
    const listed = await world.engine.listNics(tier.id);
    expect(listed.filter((n) => n.state === 'Reserved')).toHaveLength(500);
    const calls = await world.engine.listCalls({ jobId, limit: 1000 });
    expect(calls.every((c) => c.batchSize > 1)).toBe(true);
    expect(calls.reduce((s, c) => s + c.batchSize, 0)).toBe(500);
    const stats = world.w.hub.stats(world.w.controllerIds[0] as string);
    for (const n of nics) expect(stats.portCreations[n.id]).toBe(1);

    const again = await world.engine.prepareExistingNics(
      nics.slice(0, 10).map((n) => n.id),
      'alice',
    );
    const repeat = await waitForJob(world.engine, again.jobId);
    expect(repeat.state).toBe('succeeded');
    expect(await world.engine.listCalls({ jobId: again.jobId })).toHaveLength(0);

    const rel = await world.engine.releaseNics(
      nics.map((n) => n.id),
      'alice',
    );
    expect((await waitForJob(world.engine, rel.jobId)).state).toBe('succeeded');
    expect((await world.engine.listNics(tier.id)).every((n) => n.state === 'Allocated')).toBe(true);
  }, 180_000); // 1,500 calls: minutes, not seconds, on a 2-core machine at load 25 (a hung job still fails on its stall)

  it('rolls back the steps done, in reverse, when implementNetwork fails, and leaves the tier Allocated', async () => {
    const { tier } = await vpcWithTier(world.w, world.engine, '10.4.0.0/16', '10.4.1.0/24');
    const c = world.w.controllerIds[0] as string;
    await world.w.hub.injectFault(c, vendorError('E42', 'switch table full', 'implement', 'network'));
    const job = await waitForJob(world.engine, (await world.engine.implementTier(tier.id, 'bob')).jobId);
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'CALL_FAILED', category: 'VENDOR_ERROR', vendorCode: 'E42' });
    const calls = (await world.engine.listCalls({ jobId: job.id })).reverse();
    expect(calls.map((x) => `${x.phase}:${x.targetType}:${x.outcome}:${x.purpose}`)).toEqual([
      'implement:vpc:ok:forward',
      'implement:network:failed:forward',
      'observe:network:ok:rollback', // nothing left behind by the failed call, so only the VPC is undone
      'destroy:vpc:ok:rollback',
    ]);
    const t = await world.engine.getTier(tier.id);
    expect(t?.state).toBe('Allocated');
    expect(t?.conditions.find((x) => x.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'VendorError',
    });
    expect(
      world.w.logs.some(
        (l) =>
          l.msg?.startsWith('Unable to configure network element') && !JSON.stringify(l).includes('canary'),
      ),
    ).toBe(true);
    // a retry after the fault is gone succeeds
    const retry = await world.engine.retry({ jobId: job.id }, 'bob');
    expect((await waitForJob(world.engine, retry.jobId)).state).toBe('succeeded');
  });

  it('puts the tier in Error when the undo fails too, and retry from Error implements it', async () => {
    const { tier } = await vpcWithTier(world.w, world.engine, '10.5.0.0/16', '10.5.1.0/24');
    await failImplementAndUndo(
      world.w,
      world.engine,
      tier.id,
      vendorError('E1', 'boom', 'implement', 'network'),
    );
    const retry = await world.engine.retry({ targetId: tier.id }, 'bob');
    expect((await waitForJob(world.engine, retry.jobId)).state).toBe('succeeded');
    expect((await world.engine.getTier(tier.id))?.state).toBe('Implemented');
  });

  it('adopts a resource the controller already holds with our ids instead of failing', async () => {
    const { tier } = await vpcWithTier(world.w, world.engine, '10.6.0.0/16', '10.6.1.0/24');
    await waitForJob(world.engine, (await world.engine.implementTier(tier.id, 'alice')).jobId);
    const { jobId, nics } = await world.engine.prepareNics(tier.id, [{ vmName: 'a' }], 'alice');
    await waitForJob(world.engine, jobId);
    const nic = nics[0];
    if (!nic) throw new Error('no nic');
    // Our database forgets the reservation (as after a crash between the call and the write): the retry adopts it.
    await world.w.db.db.updateTable('nics').set({ state: 'Error' }).where('id', '=', nic.id).execute();
    const again = await world.engine.prepareExistingNics([nic.id], 'alice');
    expect((await waitForJob(world.engine, again.jobId)).state).toBe('succeeded');
    const after = await world.engine.getNic(nic.id);
    expect(after?.state).toBe('Reserved');
    expect(after?.adopted).toBe(true);
    expect(world.w.hub.stats(world.w.controllerIds[0] as string).portCreations[nic.id]).toBe(1);
  });

  it('shuts down and destroys a tier and its VPC, freeing the VLAN', async () => {
    const { vpc, tier } = await vpcWithTier(world.w, world.engine, '10.7.0.0/16', '10.7.1.0/24');
    await waitForJob(world.engine, (await world.engine.implementTier(tier.id, 'alice')).jobId);
    const shut = await waitForJob(world.engine, (await world.engine.shutdownTier(tier.id, 'alice')).jobId);
    expect(shut.state).toBe('succeeded');
    expect((await world.engine.getTier(tier.id))?.state).toBe('Allocated');
    const gone = await waitForJob(world.engine, (await world.engine.destroyVpc(vpc.id, 'alice')).jobId);
    expect(gone.state).toBe('succeeded');
    const detail = await world.engine.getVpc(vpc.id);
    expect(detail?.state).toBe('Destroy');
    expect(detail?.tiers[0]?.state).toBe('Destroy');
    expect(detail?.tiers[0]?.segmentId).toBeNull();
  });

  it('goes on past a failing element on destroy and reports it, leaving the VPC in Error', async () => {
    const { vpc, tier } = await vpcWithTier(world.w, world.engine, '10.8.0.0/16', '10.8.1.0/24');
    await waitForJob(world.engine, (await world.engine.implementTier(tier.id, 'alice')).jobId);
    const c = world.w.controllerIds[0] as string;
    await world.w.hub.injectFault(c, vendorError('E9', 'cannot shut', 'shutdown'));
    const job = await waitForJob(world.engine, (await world.engine.destroyVpc(vpc.id, 'alice')).jobId);
    expect(job.state).toBe('failed');
    const calls = await world.engine.listCalls({ jobId: job.id });
    // the shutdown failed, the destroy calls after it still ran
    expect(calls.some((x) => x.phase === 'shutdown' && x.outcome === 'failed')).toBe(true);
    expect(calls.some((x) => x.phase === 'destroy' && x.targetType === 'vpc' && x.outcome === 'ok')).toBe(
      true,
    );
    expect((await world.engine.getVpc(vpc.id))?.state).toBe('Error');
  });
  it('finds the partial state a failed call left behind with observe() and cleans it in the rollback', async () => {
    const { tier } = await vpcWithTier(world.w, world.engine, '10.9.0.0/16', '10.9.1.0/24');
    const c = world.w.controllerIds[0] as string;
    const before = (await world.w.hub.getState(c))?.counts.networks ?? 0;
    await world.w.hub.injectFault(
      c,
      vendorError('E500', 'lost reply', 'implement', 'network', { afterCommit: true }),
    );
    const job = await waitForJob(world.engine, (await world.engine.implementTier(tier.id, 'bob')).jobId);
    expect(job.state).toBe('failed');
    const calls = (await world.engine.listCalls({ jobId: job.id })).reverse();
    expect(calls.map((x) => `${x.phase}:${x.targetType}:${x.outcome}:${x.purpose}`)).toEqual([
      'implement:vpc:ok:forward',
      'implement:network:failed:forward',
      'observe:network:ok:rollback',
      'destroy:network:ok:rollback',
      'destroy:vpc:ok:rollback',
    ]);
    expect((await world.w.hub.getState(c))?.counts.networks ?? 0).toBe(before);
    expect((await world.engine.getTier(tier.id))?.state).toBe('Allocated');
  });
});

describeWorld('boot storm', { controllers: [{ maxConcurrent: 1 }] }, (world) => {
  // one call at a time: while it is in flight, the other requests' NICs pile up into the next batch

  it('coalesces the prepares of many concurrent requests into shared batches, fairly, each job keeping its log', async () => {
    const c = world.w.controllerIds[0] as string;
    const vpc = await world.engine.createVpc(
      { name: 'storm', zoneId: world.w.zoneId, offeringId: world.w.vpcOfferingId, cidr: '10.100.0.0/16' },
      't',
    );
    const tiers: { id: string }[] = [];
    for (let i = 0; i < 4; i++) {
      const t = await world.engine.createTier(
        { vpcId: vpc.id, name: `s${i}`, offeringId: world.w.networkOfferingId, cidr: `10.100.${i}.0/24` },
        't',
      );
      await waitForJob(world.engine, (await world.engine.implementTier(t.id, 't')).jobId);
      tiers.push(t);
    }
    await world.w.hub.setProfile(c, { latencyMs: 60 });
    await world.w.hub.resetStats(c);
    // 12 requests of 2 NICs each, all at once (VMs booting): far fewer controller calls than requests
    const requests = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        world.engine.prepareNics(
          (tiers[i % 4] as { id: string }).id,
          [{ vmName: `a${i}` }, { vmName: `b${i}` }],
          't',
        ),
      ),
    );
    const jobs = await Promise.all(requests.map((r) => waitForJob(world.engine, r.jobId)));
    await world.w.hub.setProfile(c, { latencyMs: 0 });
    expect(jobs.every((j) => j.state === 'succeeded')).toBe(true);
    const stats = world.w.hub.stats(c);
    expect(stats.calls.prepare).toBeLessThan(12);
    for (const r of requests) for (const n of r.nics) expect(stats.portCreations[n.id]).toBe(1);
    for (const r of requests) {
      const calls = await world.engine.listCalls({ jobId: r.jobId });
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.every((x) => x.phase === 'prepare' && x.outcome === 'ok')).toBe(true);
    }
  });
});
