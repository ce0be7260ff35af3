// Conformance cases of the optional checkRealized (connectivity.ts): when an element has it, it answers for every
// prepared NIC and the tier by the ids observe() reports them with, each verdict with a reason and a message, and an
// aborted signal rejects it as TIMEOUT. Skipped for elements without the call (the engine then reports
// CheckUnsupported).
import { expect, it, type TestContext } from 'vitest';
import { AdapterError } from '../adapter-error';
import type { KitState } from './public-services';

// Generous for a loaded machine; an adapter waits only as long as its controller takes to compile.
const WAIT_MS = 15_000;

export function realizedCases(state: () => KitState): void {
  it('checkRealized, when present, reports every prepared NIC and the tier by their observed ids', async (ctx: TestContext) => {
    const { el, f } = state();
    if (!el.checkRealized) return ctx.skip();
    const vpc = f.vpc();
    const net = f.network(vpc);
    await el.implementVpc(vpc, f.ctx());
    await el.implementNetwork(net, f.ctx());
    const nics = [1, 2, 3].map((i) => f.nic(net, i));
    await el.prepareNics(nics, f.ctx());
    const report = await el.checkRealized(
      { vpcId: vpc.vpcId, waitMs: WAIT_MS },
      f.ctx(AbortSignal.timeout(4 * WAIT_MS)),
    );
    expect(report.overall).toMatchObject({
      reason: expect.stringMatching(/^[A-Z]\w*$/),
      message: expect.any(String),
    });
    const key = (r: { kind: string; id: string }) => `${r.kind} ${r.id}`;
    const named = report.resources.map(key);
    for (const want of [`network ${net.networkId}`, ...nics.map((n) => `nic ${n.nicId}`)])
      expect(named).toContain(want);
    for (const r of report.resources) {
      expect(r.reason, key(r)).toMatch(/^[A-Z]\w*$/);
      expect(r.message, key(r)).toMatch(/\S/);
      if (r.realized) expect(r.reason, key(r)).toBe('Realized');
    }
    // Named as observe() names them, so the engine can set each resource's condition.
    await expect
      .poll(async () => (await el.observe({ vpcId: vpc.vpcId }, f.ctx())).resources.map(key), {
        timeout: 10_000,
      })
      .toEqual(expect.arrayContaining(named));
  });

  it('checkRealized, when present, rejects an already aborted signal as TIMEOUT', async (ctx: TestContext) => {
    const { el, f } = state();
    if (!el.checkRealized) return ctx.skip();
    const ac = new AbortController();
    ac.abort(new Error('test abort'));
    const err = await el
      .checkRealized({ vpcId: f.vpc().vpcId, waitMs: WAIT_MS }, f.ctx(ac.signal))
      .catch((e) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).category).toBe('TIMEOUT');
  });
}
