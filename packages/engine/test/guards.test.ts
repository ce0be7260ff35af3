// Call guards against the simulator: limits never exceeded (simulator stats), a slow controller does not delay
// another, only retryable categories are retried, Retry-After pushes the next call back, timeouts become TIMEOUT.
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../src/index';
import { holdCalls } from './hold-calls';
import { makeWorld, vpcWithTier, type World, waitForJob } from './world';

describe.each(testDialects())('call guards on %s', (dialect) => {
  let w: World;
  let engine: Engine;
  let limited: string;
  beforeAll(async () => {
    w = await makeWorld(dialect, {
      controllers: [{ name: 'limited', callsPerSecond: 40, maxConcurrent: 3, timeoutMs: 300 }],
    });
    limited = w.controllerIds[0] as string;
    engine = w.engine({ maxAttempts: 3 });
    await engine.start();
  });
  afterAll(async () => {
    await w.cleanup();
  });

  it('never exceeds the controller calls per second or concurrent calls, by the simulator own count', async () => {
    await w.hub.setProfile(limited, { latencyMs: 15, rateLimitPerSecond: 40, maxConcurrent: 3 });
    const { tier } = await vpcWithTier(w, engine, '10.11.0.0/16', '10.11.0.0/24');
    expect((await waitForJob(engine, (await engine.implementTier(tier.id, 't')).jobId)).state).toBe(
      'succeeded',
    );
    await w.hub.resetStats(limited);
    // Dozens of calls of one job wait for 3 slots at once: none may pile an abort listener onto a shared signal.
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    const requests = Array.from({ length: 90 }, (_, i) => ({ vmName: `vm-${i}` }));
    const { jobId } = await engine.prepareNics(tier.id, requests, 't', { batchSize: 1 });
    expect((await waitForJob(engine, jobId)).state).toBe('succeeded');
    process.off('warning', onWarning);
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
    const stats = w.hub.stats(limited);
    // Each NIC prepared; a call over this controller's 300 ms deadline on a starved machine (a flake loop at load
    // ~30 saw 17) is retried, so the controller may count more prepares than NICs, never fewer.
    expect((await engine.listNics(tier.id)).filter((n) => n.state === 'Reserved')).toHaveLength(90);
    expect(stats.calls.prepare).toBeGreaterThanOrEqual(90);
    expect(stats.overLimitCalls).toBe(0);
    expect(stats.maxConcurrentSeen).toBeLessThanOrEqual(3);
    expect(stats.maxCallsInAnySecond).toBeLessThanOrEqual(40);
    await w.hub.setProfile(limited, { latencyMs: 0, rateLimitPerSecond: null, maxConcurrent: null });
  });

  it('retries a retryable failure with backoff and does not retry a non-retryable one', async () => {
    const { tier } = await vpcWithTier(w, engine, '10.12.0.0/16', '10.12.1.0/24');
    await waitForJob(engine, (await engine.implementTier(tier.id, 't')).jobId);
    await w.hub.injectFault(limited, { kind: 'connectionReset', operation: 'prepare', count: 2 });
    const ok = await engine.prepareNics(tier.id, [{ vmName: 'a' }], 't');
    expect((await waitForJob(engine, ok.jobId)).state).toBe('succeeded');
    const calls = (await engine.listCalls({ jobId: ok.jobId })).reverse();
    expect(calls.map((c) => `${c.attempt}:${c.outcome}:${c.errorCategory}`)).toEqual([
      '1:failed:UNREACHABLE',
      '2:failed:UNREACHABLE',
      '3:ok:null',
    ]);

    await w.hub.injectFault(limited, { kind: 'authFailure', operation: 'prepare', count: 1 });
    const bad = await engine.prepareNics(tier.id, [{ vmName: 'b' }], 't');
    const job = await waitForJob(engine, bad.jobId);
    expect(job.state).toBe('failed');
    const badCalls = await engine.listCalls({ jobId: bad.jobId });
    expect(badCalls.map((c) => `${c.attempt}:${c.errorCategory}`)).toEqual(['1:AUTH_FAILED']);
    const nic = await engine.getNic((job.payload as { nicIds: string[] }).nicIds[0] as string);
    expect(nic?.state).toBe('Error');
  });

  it('honours Retry-After: after a RATE_LIMITED answer the next call waits at least that long', async () => {
    const { tier } = await vpcWithTier(w, engine, '10.13.0.0/16', '10.13.1.0/24');
    await waitForJob(engine, (await engine.implementTier(tier.id, 't')).jobId);
    // The simulator allows 2 calls/s with no burst while the controller record says 40/s: it answers 429s.
    await w.hub.setProfile(limited, { rateLimitPerSecond: 2, burst: 1 });
    const { jobId } = await engine.prepareNics(
      tier.id,
      [{ vmName: 'a' }, { vmName: 'b' }, { vmName: 'c' }],
      't',
      { batchSize: 1 },
    );
    const job = await waitForJob(engine, jobId);
    await w.hub.setProfile(limited, { rateLimitPerSecond: null, burst: null });
    const calls = (await engine.listCalls({ jobId })).sort((a, b) => a.startedAt - b.startedAt);
    const limitedCalls = calls.filter((c) => c.errorCategory === 'RATE_LIMITED');
    expect(limitedCalls.length).toBeGreaterThan(0);
    for (const c of limitedCalls) {
      const retryAfter = (c.response as { retryAfterMs?: number }).retryAfterMs ?? 0;
      expect(retryAfter).toBeGreaterThan(0);
      // the retry of the same NIC waits at least Retry-After (calls already scheduled before the 429 may still go)
      const retry = calls.find((x) => x.targetId === c.targetId && x.attempt === c.attempt + 1);
      if (retry) expect(retry.startedAt).toBeGreaterThanOrEqual(c.startedAt + c.durationMs + retryAfter - 2);
    }
    expect(job.state).toBe('succeeded');
  });

  it('reports a controller that never answers as TIMEOUT and rolls the implement back', async () => {
    const { tier } = await vpcWithTier(w, engine, '10.14.0.0/16', '10.14.1.0/24');
    await w.hub.injectFault(limited, { kind: 'timeout', operation: 'implement', resource: 'network' });
    const job = await waitForJob(engine, (await engine.implementTier(tier.id, 't')).jobId);
    await w.hub.clearFaults(limited);
    expect(job.error).toMatchObject({ code: 'CALL_FAILED', category: 'TIMEOUT' });
    const calls = await engine.listCalls({ jobId: job.id });
    const timeouts = calls.filter((c) => c.errorCategory === 'TIMEOUT');
    expect(timeouts).toHaveLength(3);
    // Each attempt was ended by the engine's 300 ms timeout, not by the simulator giving up on the hang (10 min).
    for (const c of timeouts) expect(c.errorMessage).toBe('No answer within 300 ms');
    const t = await engine.getTier(tier.id);
    expect(t?.state).toBe('Allocated');
    expect(t?.conditions.find((c) => c.type === 'Ready')?.reason).toBe('Timeout');
  });
});

describe.each(testDialects())('controller isolation on %s', (dialect) => {
  let w: World;
  let engine: Engine;
  beforeAll(async () => {
    // A long call timeout: the slow controller's held call must outlast the fast job, however slow the machine is.
    w = await makeWorld(dialect, { controllers: [{ name: 'slow', maxConcurrent: 1, timeoutMs: 120_000 }] });
    engine = w.engine();
    await engine.start();
  });
  afterAll(async () => {
    await w.cleanup();
  });

  it('lets calls to a fast controller finish while a slow controller is saturated', async () => {
    // a second physical network of the zone, with its own simulator provider and controller
    const pn2 = await w.addPhysicalNetwork({ name: 'pn-2', vlan: { start: 200, end: 299 } });
    const fastProvider = await w.addProvider({ name: 'fast-provider', physicalNetworkId: pn2 });
    const fast = await w.addController(fastProvider, { name: 'fast', maxConcurrent: 1 });
    const slow = w.controllerIds[0] as string;
    const vpc = await engine.createVpc(
      { name: 'iso', zoneId: w.zoneId, offeringId: w.vpcOfferingId, cidr: '10.50.0.0/16' },
      't',
    );
    const slowTier = await engine.createTier(
      { vpcId: vpc.id, name: 'slow', offeringId: w.networkOfferingId, cidr: '10.50.1.0/24' },
      't',
    );
    const fastTier = await engine.createTier(
      {
        vpcId: vpc.id,
        name: 'fast',
        offeringId: w.networkOfferingId,
        cidr: '10.50.2.0/24',
        physicalNetworkId: pn2,
      },
      't',
    );
    await waitForJob(engine, (await engine.implementTier(slowTier.id, 't')).jobId);
    await waitForJob(engine, (await engine.implementTier(fastTier.id, 't')).jobId);
    expect((await engine.getTier(fastTier.id))?.elements[0]?.controllerId).toBe(fast);

    // The slow controller holds every NIC call until the test opens the gate: it stays saturated (one slot, in use)
    // for exactly as long as the fast job runs, however slow the machine is.
    const gate = holdCalls(w, slow, ['prepareNic', 'prepareNics']);
    const slowJob = await engine.prepareNics(
      slowTier.id,
      Array.from({ length: 8 }, (_, i) => ({ vmName: `s${i}` })),
      't',
      { batchSize: 1 },
    );
    await gate.firstHeld;
    const fastJob = await engine.prepareNics(
      fastTier.id,
      Array.from({ length: 8 }, (_, i) => ({ vmName: `f${i}` })),
      't',
      { batchSize: 1 },
    );
    const fastDone = await waitForJob(engine, fastJob.jobId);
    expect(fastDone.state).toBe('succeeded');
    // the fast tier did not queue behind the saturated controller: its job finished while the slow one was held
    expect((await engine.getJob(slowJob.jobId))?.state).toBe('running');
    expect(gate.held).toBe(1);
    gate.open();
    expect((await waitForJob(engine, slowJob.jobId)).state).toBe('succeeded');
  });
});
