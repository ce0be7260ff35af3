// Scripted faults: each kind gives the error the engine must diagnose, scoped to an operation and a number of calls.
import type { AdapterError } from '@netplane/adapter-sdk';
import { describe, expect, it } from 'vitest';
import { networkSpec, nicSpec, vpcSpec } from './fixtures';
import { ctx, inProcess } from './helpers';

async function errorOf(p: Promise<unknown>): Promise<AdapterError> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: AdapterError) => e,
  );
}

describe('scripted faults', () => {
  it('hangs a timed-out call until the signal aborts, then rejects with TIMEOUT and changes nothing', async () => {
    const { hub, controllerId, element } = inProcess();
    await hub.injectFault(controllerId, { kind: 'timeout', operation: 'implement', count: 1 });
    const net = networkSpec(vpcSpec());
    const started = performance.now();
    const err = await errorOf(element.implementNetwork(net, ctx(AbortSignal.timeout(80))));
    expect(err.category).toBe('TIMEOUT');
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    expect((await hub.getState(controllerId))?.counts.networks).toBe(0);
    await expect(element.implementNetwork(net, ctx())).resolves.toMatchObject({ adopted: false });
  });

  it('maps connection reset, auth failure, capacity and vendor errors to their categories', async () => {
    const { hub, controllerId, element } = inProcess();
    await hub.injectFault(controllerId, { kind: 'connectionReset', count: 1 });
    await hub.injectFault(controllerId, { kind: 'authFailure', count: 1 });
    await hub.injectFault(controllerId, { kind: 'capacityExhausted', count: 1 });
    await hub.injectFault(controllerId, {
      kind: 'vendorError',
      code: 'E1234',
      message: 'switch on fire',
      count: 1,
    });
    const errors = [];
    for (let i = 0; i < 4; i++) errors.push(await errorOf(element.observe({}, ctx())));
    expect(errors.map((e) => [e.category, e.retryable, e.vendorCode])).toEqual([
      ['UNREACHABLE', true, 'ECONNRESET'],
      ['AUTH_FAILED', false, 'HTTP_401'],
      ['CAPACITY_EXHAUSTED', false, 'INSUFFICIENT_RESOURCES'],
      ['VENDOR_ERROR', false, 'E1234'],
    ]);
    expect(errors[3]?.vendorMessage).toBe('switch on fire');
    await expect(element.observe({}, ctx())).resolves.toEqual({ resources: [] });
    expect((await hub.getState(controllerId))?.faults).toEqual([]);
    expect(hub.stats(controllerId).faultsFired).toBe(4);
  });

  it('limits a fault to its operation and keeps a persistent one until cleared', async () => {
    const { hub, controllerId, element } = inProcess();
    await hub.injectFault(controllerId, { kind: 'authFailure', operation: 'prepare' });
    const net = networkSpec(vpcSpec());
    await element.implementNetwork(net, ctx());
    for (let i = 0; i < 3; i++) {
      expect((await errorOf(element.prepareNic(nicSpec(net, i), ctx()))).category).toBe('AUTH_FAILED');
    }
    await element.observe({}, ctx());
    const [fault] = (await hub.getState(controllerId))?.faults ?? [];
    expect(fault).toMatchObject({ kind: 'authFailure', remaining: null, fired: 3 });
    await hub.clearFaults(controllerId);
    await expect(element.prepareNic(nicSpec(net, 9), ctx())).resolves.toMatchObject({ adopted: false });
  });

  it('plants a foreign VLAN so implement meets "VLAN already exists", until the faults are cleared', async () => {
    const { hub, controllerId, element } = inProcess();
    await hub.injectFault(controllerId, {
      kind: 'foreignOwner',
      operation: 'implement',
      owner: 'legacy-switch',
      count: 1,
    });
    const net = networkSpec(vpcSpec(), 300);
    const err = await errorOf(element.implementNetwork(net, ctx()));
    expect(err.category).toBe('RESOURCE_CONFLICT');
    expect(err.message).toBe('VLAN 300 already exists on switch legacy-switch-sw-300');
    expect(err.conflict).toEqual({ resource: 'segment', name: 'VLAN:300', owner: 'legacy-switch' });
    expect((await errorOf(element.implementNetwork(net, ctx()))).category).toBe('RESOURCE_CONFLICT');
    await hub.clearFaults(controllerId);
    await expect(element.implementNetwork(net, ctx())).resolves.toEqual({
      broadcastUri: 'vlan://300',
      adopted: false,
    });
  });

  it('plants a foreign port with the NIC name so prepare meets a conflict', async () => {
    const { hub, controllerId, element } = inProcess();
    const net = networkSpec(vpcSpec());
    await element.implementNetwork(net, ctx());
    await hub.injectFault(controllerId, { kind: 'foreignOwner', operation: 'prepare', count: 1 });
    const [first, second] = await element.prepareNics([nicSpec(net, 1), nicSpec(net, 2)], ctx());
    expect(first?.ok === false && first.error.category).toBe('RESOURCE_CONFLICT');
    expect(second?.ok).toBe(true);
  });

  it('slows the next N calls by the given delay', async () => {
    const { hub, controllerId, element } = inProcess();
    await hub.injectFault(controllerId, { kind: 'slowness', delayMs: 60, count: 2 });
    const timed = async () => {
      const t = performance.now();
      await element.observe({}, ctx());
      return performance.now() - t;
    };
    const [a, b] = [await timed(), await timed()];
    expect(a).toBeGreaterThanOrEqual(55);
    expect(b).toBeGreaterThanOrEqual(55);
    expect((await hub.getState(controllerId))?.faults).toEqual([]);
    await element.observe({}, ctx());
    expect(hub.stats(controllerId).faultsFired).toBe(2);
  });

  it('answers 429 with Retry-After for the next N calls whatever the token bucket says, then lets calls through', async () => {
    const { hub, controllerId, element } = inProcess();
    await hub.setProfile(controllerId, { rateLimitPerSecond: 1_000 });
    await hub.injectFault(controllerId, {
      kind: 'rateLimited',
      operation: 'implement',
      resource: 'network',
      retryAfterMs: 2_500,
      count: 2,
    });
    const net = networkSpec(vpcSpec());
    for (let i = 0; i < 2; i++) {
      const err = await errorOf(element.implementNetwork(net, ctx()));
      expect([err.category, err.retryable, err.vendorCode, err.retryAfterMs]).toEqual([
        'RATE_LIMITED',
        true,
        'HTTP_429',
        2_500,
      ]);
      expect(err.vendorMessage).toBe('Too Many Requests');
    }
    // Other operations were never throttled; the bucket (1000/s) refused nothing.
    await expect(element.observe({}, ctx())).resolves.toEqual({ resources: [] });
    await expect(element.implementNetwork(net, ctx())).resolves.toMatchObject({ adopted: false });
    const stats = hub.stats(controllerId);
    expect([stats.faultsFired, stats.errors.RATE_LIMITED, stats.overLimitCalls]).toEqual([2, 2, 0]);
  });

  it('keeps a persistent rateLimited fault (default Retry-After 1 s) until the faults are cleared', async () => {
    const { hub, controllerId, element } = inProcess();
    await hub.injectFault(controllerId, { kind: 'rateLimited' });
    for (let i = 0; i < 3; i++) {
      expect(await errorOf(element.observe({}, ctx()))).toMatchObject({
        category: 'RATE_LIMITED',
        retryAfterMs: 1_000,
      });
    }
    expect((await hub.getState(controllerId))?.faults[0]).toMatchObject({ remaining: null, fired: 3 });
    await hub.clearFaults(controllerId);
    await expect(element.observe({}, ctx())).resolves.toEqual({ resources: [] });
  });

  it('declines canHandle with the configured reason', async () => {
    const { hub, controllerId, element } = inProcess();
    const req = { network: networkSpec(vpcSpec()), service: 'Lb' as const };
    expect(await element.canHandle(req, ctx())).toEqual({ canHandle: true });
    await hub.setProfile(controllerId, { declineReason: 'maintenance window' });
    expect(await element.canHandle(req, ctx())).toEqual({ canHandle: false, reason: 'maintenance window' });
  });

  it('commits the work before a late timeout, so the retry adopts what the lost call made', async () => {
    const { hub, controllerId, element } = inProcess();
    const net = networkSpec(vpcSpec());
    await element.implementNetwork(net, ctx());
    await hub.injectFault(controllerId, {
      kind: 'timeout',
      operation: 'prepare',
      afterCommit: true,
      count: 1,
    });
    const nic = nicSpec(net, 1);
    expect((await errorOf(element.prepareNic(nic, ctx(AbortSignal.timeout(50))))).category).toBe('TIMEOUT');
    const seen = (await element.observe({ networkIds: [net.networkId] }, ctx())).resources;
    expect(seen.filter((r) => r.kind === 'nic').map((r) => r.id)).toEqual([nic.nicId]);
    expect(await element.prepareNic(nic, ctx())).toEqual({ nicId: nic.nicId, adopted: true });
    expect(hub.stats(controllerId).portCreations).toEqual({ [nic.nicId]: 1 });
  });
});
