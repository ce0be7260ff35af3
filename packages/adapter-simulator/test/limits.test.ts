// Admission limits of a simulated controller: token bucket, concurrency, and the stats the benchmarks read.
import type { AdapterError } from '@netplane/adapter-sdk';
import { describe, expect, it } from 'vitest';
import { SlidingSecond, TokenBucket } from '../src/core/limits';
import { networkSpec, nicSpec, vpcSpec } from './fixtures';
import { ctx, inProcess } from './helpers';

describe('token bucket', () => {
  it('lets a burst through, then answers the wait until the next token', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 2, () => now);
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(100);
    now = 50;
    expect(bucket.take()).toBe(50);
    now = 100;
    expect(bucket.take()).toBe(0);
  });
});

describe('sliding one-second window', () => {
  it('remembers the most arrivals within any second, not per calendar second', () => {
    let now = 0;
    const w = new SlidingSecond(() => now);
    for (const t of [900, 950, 1000, 1050, 1100, 2200]) {
      now = t;
      w.record();
    }
    expect(w.max).toBe(5);
  });
});

describe('simulated controller limits', () => {
  it('answers RATE_LIMITED with retryAfterMs past the rate limit and counts the over-limit calls', async () => {
    const { hub, controllerId, element } = inProcess();
    await hub.setProfile(controllerId, { rateLimitPerSecond: 5 });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => element.observe({}, ctx())));
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => r.reason as AdapterError);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(rejected).toHaveLength(3);
    for (const e of rejected) {
      expect(e.category).toBe('RATE_LIMITED');
      expect(e.vendorCode).toBe('HTTP_429');
      expect(e.retryable).toBe(true);
      expect(e.retryAfterMs).toBeGreaterThan(0);
      expect(e.retryAfterMs).toBeLessThanOrEqual(200);
    }
    const stats = hub.stats(controllerId);
    expect(stats.overLimitCalls).toBe(3);
    expect(stats.rateLimitedCalls).toBe(3);
    expect(stats.calls.observe).toBe(8);
    expect(stats.maxCallsInAnySecond).toBe(8);
  });

  it('keeps the bucket when another part of the profile changes, and refills it when the limit changes', async () => {
    const { hub, controllerId, element } = inProcess();
    await hub.setProfile(controllerId, { rateLimitPerSecond: 1, burst: 1 });
    await element.observe({}, ctx());
    await hub.setProfile(controllerId, { jitterMs: 1 });
    await expect(element.observe({}, ctx())).rejects.toMatchObject({ category: 'RATE_LIMITED' });
    await hub.setProfile(controllerId, { rateLimitPerSecond: 2 });
    await expect(element.observe({}, ctx())).resolves.toEqual({ resources: [] });
    await hub.setProfile(controllerId, { rateLimitPerSecond: null });
    await Promise.all(Array.from({ length: 20 }, () => element.observe({}, ctx())));
  });

  it('answers RATE_LIMITED like a 503 past the concurrency limit and never runs more at once', async () => {
    const { hub, controllerId, element } = inProcess();
    await hub.setProfile(controllerId, { maxConcurrent: 3, latencyMs: 30 });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => element.healthCheck(ctx())));
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => r.reason as AdapterError);
    expect(rejected.map((e) => [e.category, e.vendorCode])).toEqual([
      ['RATE_LIMITED', 'HTTP_503'],
      ['RATE_LIMITED', 'HTTP_503'],
    ]);
    const stats = hub.stats(controllerId);
    expect(stats.maxConcurrentSeen).toBe(3);
    expect(stats.concurrencyRejectedCalls).toBe(2);
    expect(stats.inFlight).toBe(0);
  });

  it('applies latency to every call and counts calls per operation', async () => {
    const { hub, controllerId, element } = inProcess();
    await hub.setProfile(controllerId, { latencyMs: 40 });
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    const started = performance.now();
    await element.implementVpc(vpc, ctx());
    expect(performance.now() - started).toBeGreaterThanOrEqual(38);
    await element.implementNetwork(net, ctx());
    await element.prepareNics([nicSpec(net, 1), nicSpec(net, 2)], ctx());
    await element.releaseNic({ nicId: 'unknown', networkId: net.networkId, vpcId: vpc.vpcId }, ctx());
    const { calls, totalCalls } = hub.stats(controllerId);
    expect(calls).toMatchObject({ implement: 2, prepare: 1, release: 1, observe: 0 });
    expect(totalCalls).toBe(4);
  });

  it('counts real port creations per NIC, not adoptions, and resets stats on demand', async () => {
    const { hub, controllerId, element } = inProcess();
    const vpc = vpcSpec();
    const net = networkSpec(vpc);
    await element.implementNetwork(net, ctx());
    const nic = nicSpec(net, 1);
    await element.prepareNic(nic, ctx());
    await element.prepareNic(nic, ctx());
    expect(hub.stats(controllerId).portCreations).toEqual({ [nic.nicId]: 1 });
    await element.releaseNic(nic, ctx());
    await element.prepareNic(nic, ctx());
    expect(hub.stats(controllerId).portCreations).toEqual({ [nic.nicId]: 2 });
    await hub.resetStats(controllerId);
    const stats = hub.stats(controllerId);
    expect(stats.portCreations).toEqual({});
    expect(stats.totalCalls).toBe(0);
    expect(stats.maxCallsInAnySecond).toBe(0);
  });

  it('answers CAPACITY_EXHAUSTED past the maximum of switches or ports', async () => {
    const { hub, controllerId, element } = inProcess();
    await hub.setProfile(controllerId, { maxNetworks: 1, maxPorts: 2 });
    const vpc = vpcSpec();
    const net = networkSpec(vpc, 10);
    await element.implementNetwork(net, ctx());
    await expect(element.implementNetwork(networkSpec(vpc, 11), ctx())).rejects.toMatchObject({
      category: 'CAPACITY_EXHAUSTED',
      vendorCode: 'MAX_SWITCHES',
    });
    const results = await element.prepareNics(
      [0, 1, 2].map((i) => nicSpec(net, i)),
      ctx(),
    );
    expect(results.map((r) => (r.ok ? 'ok' : r.error.category))).toEqual(['ok', 'ok', 'CAPACITY_EXHAUSTED']);
    expect((await hub.getState(controllerId))?.counts).toMatchObject({ networks: 1, ports: 2 });
  });
});
