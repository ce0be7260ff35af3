// The demo through createCaller on both dialects, with the real engine and the simulator: an admin loads it into an
// empty inventory (refused otherwise, and for other roles), it ends with a healthy VPC (two tiers, NICs, a static NAT
// and a load balancer, all done) and a VPC whose tier failed at negotiation with its diagnosis; removing it leaves
// no zone, offering, VPC, job or diagnosis behind.
import { SimulatorHub } from '@netplane/adapter-simulator';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Caller, makeTestDeps, simulatorRegistration, type TestDeps } from './fixtures';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

/** Polls demo.status until it leaves `state` (event-free but bounded by no-progress, not by a fixed time). */
async function waitWhile(caller: Caller, state: string) {
  let seen = '';
  let deadline = Date.now() + 60_000;
  for (;;) {
    const s = await caller.demo.status();
    if (s.state !== state) return s;
    if (`${s.step}:${s.done}` !== seen) {
      seen = `${s.step}:${s.done}`;
      deadline = Date.now() + 60_000;
    }
    if (Date.now() > deadline) throw new Error(`demo stuck at "${s.step}"`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(testDialects())('demo on %s', (dialect) => {
  let t: TestDeps;
  beforeAll(async () => {
    t = await makeTestDeps(dialect, {
      adapters: [simulatorRegistration(new SimulatorHub('api-demo'))],
      engineOptions: { pollMs: 20, heartbeatMs: 200, leaseMs: 2000 },
    });
    await t.deps.engine.start();
  });
  afterAll(async () => {
    await t.deps.engine.stop();
    await t.cleanup();
  });

  it('loads into an empty inventory, shows a working and a failing VPC, and removes everything it made', async () => {
    const admin = t.callerAs('admin');
    const viewer = t.callerAs('viewer');
    expect(await viewer.demo.status()).toMatchObject({ state: 'none', whyNotLoadable: null });
    await expect(t.callerAs('operator').demo.load()).rejects.toMatchObject({ code: 'FORBIDDEN' });

    await admin.demo.load();
    await expect(admin.demo.load()).rejects.toMatchObject({ code: 'CONFLICT' });
    const loaded = await waitWhile(viewer, 'loading');
    expect(loaded).toMatchObject({ state: 'loaded', error: null, done: loaded.total });
    expect(loaded.whyNotLoadable).toMatch(/loaded already/);

    const shop = await viewer.vpcs.get({ id: loaded.healthyVpcId ?? '' });
    expect(shop).toMatchObject({ name: 'demo-shop', state: 'Implemented' });
    expect(shop.tiers.map((tier) => [tier.name, tier.state, tier.nicCounts.Reserved])).toEqual(
      expect.arrayContaining([
        ['web', 'Implemented', 3],
        ['db', 'Implemented', 2],
      ]),
    );
    expect((await viewer.staticNat.list({ vpcId: shop.id })).map((r) => r.state)).toEqual(['Active']);
    expect((await viewer.lbRules.list({ vpcId: shop.id })).map((r) => [r.name, r.state])).toEqual([
      ['web-lb', 'Active'],
    ]);

    const broken = await viewer.vpcs.get({ id: loaded.failingVpcId ?? '' });
    expect(broken.tiers.map((tier) => tier.state)).toEqual(['Error']);
    const diagnoses = (await viewer.diagnostics.list({ vpcId: broken.id })).items;
    expect(diagnoses.length).toBeGreaterThan(0);
    expect(JSON.stringify(diagnoses)).toMatch(/gold/);

    await admin.demo.remove();
    expect(await waitWhile(viewer, 'removing')).toMatchObject({
      state: 'none',
      error: null,
      whyNotLoadable: null,
    });
    expect(await viewer.zones.list()).toEqual([]);
    expect(await viewer.offerings.list({})).toEqual([]);
    expect((await viewer.vpcs.list({ includeDestroyed: true })).total).toBe(0);
    expect((await viewer.jobs.list({})).total).toBe(0);
    expect((await viewer.calls.recent({})).total).toBe(0);
    const audits = await t.db.db.selectFrom('audit_log').select('action').execute();
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(['demo.load', 'demo.remove', 'zones.create']),
    );
  });

  it('refuses to load into an inventory that has zones', async () => {
    const admin = t.callerAs('admin');
    const zone = await admin.zones.create({ name: 'mine', state: 'Enabled' });
    expect((await admin.demo.status()).whyNotLoadable).toMatch(/already has zones/);
    await expect(admin.demo.load()).rejects.toMatchObject({ code: 'CONFLICT' });
    await admin.zones.delete({ id: zone.id });
  });
});
