// The conformance kit (@netplane/adapter-sdk/conformance): the contract of DESIGN.md §4 as vitest cases any adapter
// package runs against itself. Vendor differences go through the harness hooks, never through adapter-specific code.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdapterError } from '../adapter-error';
import type { NetworkElement, NicSpec } from '../element';
import { aclCases } from './acl-cases';
import { createFixtures, type Fixtures, idsOf } from './fixtures';
import { gatewayCases } from './gateway-cases';
import type { ConformanceHarness, ConformanceOptions } from './harness';
import { portForwardingCases } from './port-forwarding';
import { publicServiceCases } from './public-services';
import { realizedCases } from './realized-cases';

export type { ConformanceHarness, ConformanceOptions } from './harness';

async function rejectionOf(p: Promise<unknown>): Promise<AdapterError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AdapterError);
    return e as AdapterError;
  }
  throw new Error('expected the call to reject, it resolved');
}

export function describeConformance(
  name: string,
  setup: () => Promise<ConformanceHarness>,
  options: ConformanceOptions = {},
): void {
  const concurrent = options.concurrentPrepares ?? 50;
  const abortBudgetMs = options.abortBudgetMs;
  const timeout = options.timeoutMs ?? 20_000;

  describe(`adapter conformance: ${name}`, { timeout }, () => {
    let h: ConformanceHarness;
    let el: NetworkElement;
    let f: Fixtures;

    beforeEach(async () => {
      h = await setup();
      el = h.element;
      f = createFixtures(h.isolationMethod ?? 'VLAN');
    });
    afterEach(async () => {
      await h.cleanup();
    });

    const observeNetwork = async (networkId: string) =>
      (await el.observe({ networkIds: [networkId] }, f.ctx())).resources;

    it('adopts a VPC on a repeated implementVpc and leaves the same state', async () => {
      const vpc = f.vpc();
      expect(await el.implementVpc(vpc, f.ctx())).toEqual({ adopted: false });
      const first = await el.observe({ vpcId: vpc.vpcId }, f.ctx());
      expect(await el.implementVpc(vpc, f.ctx())).toEqual({ adopted: true });
      expect(await el.observe({ vpcId: vpc.vpcId }, f.ctx())).toEqual(first);
    });

    it('adopts a network on a repeated implementNetwork with the same broadcast URI and state', async () => {
      const vpc = f.vpc();
      await el.implementVpc(vpc, f.ctx());
      const net = f.network(vpc);
      const first = await el.implementNetwork(net, f.ctx());
      expect(first.adopted).toBe(false);
      const before = await observeNetwork(net.networkId);
      expect(idsOf(before, 'network')).toEqual([net.networkId]);
      const second = await el.implementNetwork(net, f.ctx());
      expect(second).toEqual({ broadcastUri: first.broadcastUri, adopted: true });
      expect(await observeNetwork(net.networkId)).toEqual(before);
    });

    it('adopts a NIC on a repeated prepareNic and holds one port for it', async () => {
      const vpc = f.vpc();
      const net = f.network(vpc);
      await el.implementVpc(vpc, f.ctx());
      await el.implementNetwork(net, f.ctx());
      const nic = f.nic(net, 1);
      expect(await el.prepareNic(nic, f.ctx())).toEqual({ nicId: nic.nicId, adopted: false });
      const before = await observeNetwork(net.networkId);
      expect(await el.prepareNic(nic, f.ctx())).toEqual({ nicId: nic.nicId, adopted: true });
      expect(await observeNetwork(net.networkId)).toEqual(before);
      expect(idsOf(before, 'nic')).toEqual([nic.nicId]);
    });

    it('answers RESOURCE_CONFLICT for a foreign resource in the way and leaves it untouched', async (ctx) => {
      if (!h.plantForeignNetwork || !h.isForeignNetworkIntact) return ctx.skip();
      const vpc = f.vpc();
      await el.implementVpc(vpc, f.ctx());
      const net = f.network(vpc);
      await h.plantForeignNetwork(net);
      const err = await rejectionOf(el.implementNetwork(net, f.ctx()));
      expect(err.category).toBe('RESOURCE_CONFLICT');
      expect(err.retryable).toBe(false);
      expect(err.conflict?.name).toBeTruthy();
      expect(await h.isForeignNetworkIntact(net)).toBe(true);
      expect(idsOf(await observeNetwork(net.networkId), 'network')).toEqual([]);
    });

    it('answers RESOURCE_CONFLICT when a NIC is prepared again with a different MAC, keeping the first', async () => {
      const vpc = f.vpc();
      const net = f.network(vpc);
      await el.implementVpc(vpc, f.ctx());
      await el.implementNetwork(net, f.ctx());
      const nic = f.nic(net, 1);
      await el.prepareNic(nic, f.ctx());
      const err = await rejectionOf(el.prepareNic({ ...nic, mac: '02:ff:ff:ff:ff:01' }, f.ctx()));
      expect(err.category).toBe('RESOURCE_CONFLICT');
      const ports = (await observeNetwork(net.networkId)).filter((r) => r.kind === 'nic');
      expect(ports.map((p) => p.id)).toEqual([nic.nicId]);
      if (ports[0]?.attributes.mac !== undefined) expect(ports[0].attributes.mac).toBe(nic.mac);
    });

    it('rejects a call with an already aborted signal as TIMEOUT and changes nothing', async () => {
      const vpc = f.vpc();
      const net = f.network(vpc);
      const ac = new AbortController();
      ac.abort(new Error('test abort'));
      const err = await rejectionOf(el.implementNetwork(net, f.ctx(ac.signal)));
      expect(err.category).toBe('TIMEOUT');
      expect(idsOf(await observeNetwork(net.networkId), 'network')).toEqual([]);
    });

    // Event-driven, not timed: with slowDownCalls the controller hangs until the test ends, so the call can settle
    // only because it honoured its signal. The contract's 100 ms is asserted only when a vendor's CI asks for it
    // (abortBudgetMs): on a loaded 2-core machine a correct call across a process boundary missed it once.
    it(`settles a call mid-flight once its signal aborts${abortBudgetMs === undefined ? '' : `, within ${abortBudgetMs} ms`}`, async () => {
      const vpc = f.vpc();
      const net = f.network(vpc);
      await el.implementVpc(vpc, f.ctx());
      await el.implementNetwork(net, f.ctx());
      if (h.slowDownCalls) await h.slowDownCalls();
      const ac = new AbortController();
      const nics = Array.from({ length: 50 }, (_, i) => f.nic(net, i));
      const call = h.slowDownCalls
        ? el.prepareNic(f.nic(net, 99), f.ctx(ac.signal))
        : el.prepareNics(nics, f.ctx(ac.signal));
      const settled = call.then(
        () => ({ ok: true as const, at: performance.now() }),
        (e: unknown) => ({ ok: false as const, at: performance.now(), e }),
      );
      await new Promise((r) => setTimeout(r, h.slowDownCalls ? 30 : 1));
      const abortedAt = performance.now();
      ac.abort(new Error('test abort'));
      const outcome = await settled;
      if (abortBudgetMs !== undefined)
        expect(Math.max(0, outcome.at - abortedAt)).toBeLessThan(abortBudgetMs);
      if (h.slowDownCalls) expect(outcome.ok).toBe(false);
      if (!outcome.ok) {
        expect(outcome.e).toBeInstanceOf(AdapterError);
        expect((outcome.e as AdapterError).category).toBe('TIMEOUT');
      }
    });

    it(`prepares ${concurrent} NICs concurrently on one network, all succeeding and all observed`, async () => {
      const vpc = f.vpc();
      const net = f.network(vpc);
      await el.implementVpc(vpc, f.ctx());
      await el.implementNetwork(net, f.ctx());
      const nics = Array.from({ length: concurrent }, (_, i) => f.nic(net, i));
      const results = await Promise.all(nics.map((nic) => el.prepareNic(nic, f.ctx())));
      expect(results.map((r) => r.nicId).sort()).toEqual(nics.map((n) => n.nicId).sort());
      expect(results.every((r) => !r.adopted)).toBe(true);
      expect(idsOf(await observeNetwork(net.networkId), 'nic')).toEqual(nics.map((n) => n.nicId).sort());
    });

    it('succeeds in releasing a NIC the controller does not know, twice', async () => {
      const vpc = f.vpc();
      const net = f.network(vpc);
      const ref = { nicId: f.nic(net, 1).nicId, networkId: net.networkId, vpcId: vpc.vpcId };
      await expect(el.releaseNic(ref, f.ctx())).resolves.toBeUndefined();
      await el.implementVpc(vpc, f.ctx());
      await el.implementNetwork(net, f.ctx());
      await expect(el.releaseNic(ref, f.ctx())).resolves.toBeUndefined();
    });

    it('prepares a batch in one call with one result per NIC, then adopts them all on repeat', async () => {
      const vpc = f.vpc();
      const net = f.network(vpc);
      await el.implementVpc(vpc, f.ctx());
      await el.implementNetwork(net, f.ctx());
      const nics = Array.from({ length: options.batchSize ?? 20 }, (_, i) => f.nic(net, i));
      const results = await el.prepareNics(nics, f.ctx());
      expect(results.map((r) => r.nicId)).toEqual(nics.map((n) => n.nicId));
      expect(results.every((r) => r.ok && !r.result.adopted)).toBe(true);
      expect(idsOf(await observeNetwork(net.networkId), 'nic')).toEqual(nics.map((n) => n.nicId).sort());
      const again = await el.prepareNics(nics, f.ctx());
      expect(again.every((r) => r.ok && r.result.adopted)).toBe(true);
      expect(await el.prepareNics([], f.ctx())).toEqual([]);
    });

    it('answers per NIC in a batch: a conflicting NIC fails alone and the others are prepared', async () => {
      const vpc = f.vpc();
      const net = f.network(vpc);
      await el.implementVpc(vpc, f.ctx());
      await el.implementNetwork(net, f.ctx());
      const taken = f.nic(net, 1);
      await el.prepareNic(taken, f.ctx());
      const fresh = [f.nic(net, 2), f.nic(net, 3)];
      const batch = [fresh[0], { ...taken, mac: '02:ff:ff:ff:ff:02' }, fresh[1]] as NicSpec[];
      const results = await el.prepareNics(batch, f.ctx());
      expect(results.map((r) => r.nicId)).toEqual(batch.map((n) => n.nicId));
      expect(results.map((r) => (r.ok ? 'ok' : r.error.category))).toEqual(['ok', 'RESOURCE_CONFLICT', 'ok']);
      expect(idsOf(await observeNetwork(net.networkId), 'nic')).toEqual(
        [taken.nicId, ...fresh.map((n) => n.nicId)].sort(),
      );
    });

    it('reports through observe exactly what each call left, through release, shutdown and destroy', async () => {
      const vpc = f.vpc();
      const net = f.network(vpc);
      await el.implementVpc(vpc, f.ctx());
      expect(idsOf((await el.observe({ vpcId: vpc.vpcId }, f.ctx())).resources, 'network')).toEqual([]);
      await el.implementNetwork(net, f.ctx());
      expect(idsOf(await observeNetwork(net.networkId), 'network')).toEqual([net.networkId]);
      const nics = [0, 1, 2].map((i) => f.nic(net, i));
      for (const nic of nics) await el.prepareNic(nic, f.ctx());
      expect(idsOf(await observeNetwork(net.networkId), 'nic')).toEqual(nics.map((n) => n.nicId).sort());
      const [gone, ...kept] = nics as [(typeof nics)[number], ...typeof nics];
      await el.releaseNic(gone, f.ctx());
      expect(idsOf(await observeNetwork(net.networkId), 'nic')).toEqual(kept.map((n) => n.nicId).sort());
      await el.shutdownNetwork(net, f.ctx());
      expect(idsOf(await observeNetwork(net.networkId), 'nic')).toEqual([]);
      await el.destroyNetwork(net, f.ctx());
      await el.destroyNetwork(net, f.ctx());
      expect(idsOf(await observeNetwork(net.networkId), 'network')).toEqual([]);
      await el.destroyVpc(vpc, f.ctx());
      await el.destroyVpc(vpc, f.ctx());
      expect((await el.observe({ vpcId: vpc.vpcId }, f.ctx())).resources).toEqual([]);
    });

    it('answers a health check', async () => {
      const health = await el.healthCheck(f.ctx());
      expect(health.ok).toBe(true);
      expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    });

    publicServiceCases(() => ({ h, el, f }));
    aclCases(() => ({ h, el, f }));
    gatewayCases(() => ({ h, el, f }));
    portForwardingCases(() => ({ h, el, f }));
    realizedCases(() => ({ h, el, f }));
  });
}
