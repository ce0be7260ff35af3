// The drift watch against the simulator (its watch() pushes tampering): drift shows as Synced=False without anyone
// asking for a reconcile; a burst of changes gives one reconcile; a VPC busy with a job is not reconciled until the
// job ends, and then once; an engine that only started (no call yet) watches the controllers of implemented tiers;
// the subscription follows the element (built, rebuilt after a controller edit, closed at stop).
import type { AdapterModule } from '@netplane/adapter-sdk';
import { createSimulatorAdapter, simulatorManifest } from '@netplane/adapter-simulator';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDriftWorld } from './describe-world';
import { syncedVpc } from './edge';
import { holdCalls } from './hold-calls';
import { makeWorld, until, type World, waitForJob } from './world';

describeDriftWorld('drift watch', (world) => {
  let n = 0;

  /** An implemented VPC with one tier and `count` Reserved NICs, Synced=True by a first reconcile. */
  const implemented = (count: number) => syncedVpc(world.w, world.engine, 100 + ++n, count);

  const reconcilesBy = async (vpcId: string, actor: string) =>
    (await world.engine.listJobs({ vpcId, kind: 'vpc.reconcile' })).filter((j) => j.createdBy === actor);
  const synced = async (
    get: () => Promise<{ conditions: { type: string; status: string; message: string }[] } | undefined>,
  ) => (await get())?.conditions.find((c) => c.type === 'Synced');

  it('reconciles a tampered VPC by itself: Synced=False with the difference, then repair clears it', async () => {
    const { vpc, tier, nics } = await implemented(2);
    const gone = nics[0]?.id ?? '';
    world.w.hub.tamper(world.controllerId, { kind: 'nic', id: gone, action: 'delete' });
    const tierSynced = await until(
      () => synced(() => world.engine.getTier(tier.id)),
      (c) => c?.status === 'False',
    );
    expect(tierSynced?.message).toContain(`nic ${gone} is missing`);
    expect((await synced(() => world.engine.getVpc(vpc.id)))?.status).toBe('False');
    const auto = await reconcilesBy(vpc.id, 'engine');
    expect(auto).toHaveLength(1);

    expect((await waitForJob(world.engine, (await world.engine.repair(vpc.id, 't')).jobId)).state).toBe(
      'succeeded',
    );
    expect((await synced(() => world.engine.getTier(tier.id)))?.status).toBe('True');
    expect((await world.w.hub.getState(world.controllerId))?.counts.ports).toBeGreaterThanOrEqual(2);
  });

  it('turns a burst of changes into one reconcile, and leaves other VPCs alone', async () => {
    const a = await implemented(4);
    const b = await implemented(1);
    for (const nic of a.nics)
      world.w.hub.tamper(world.controllerId, { kind: 'nic', id: nic.id, action: 'issue', issue: 'poked' });
    await until(
      () => synced(() => world.engine.getTier(a.tier.id)),
      (c) => c?.status === 'False',
    );
    await until(
      async () => world.engine.driftPending,
      (p) => p.length === 0,
    );
    expect(await reconcilesBy(a.vpc.id, 'engine')).toHaveLength(1);
    expect(await reconcilesBy(b.vpc.id, 'engine')).toHaveLength(0);
  });

  it('waits for a running job of the VPC and then reconciles once', async () => {
    const { vpc, tier, nics } = await implemented(1);
    // The controller holds the prepare: a job of this VPC is running, in its call, while someone tampers with its
    // first NIC, for as long as the test wants (not for a latency it hopes is long enough).
    const gate = holdCalls(world.w, world.controllerId, ['prepareNic', 'prepareNics']);
    const busy = await world.engine.prepareNics(tier.id, [{ vmName: 'late' }], 't');
    await gate.firstHeld;
    world.w.hub.tamper(world.controllerId, { kind: 'nic', id: nics[0]?.id ?? '', action: 'delete' });
    await until(
      async () => world.engine.driftPending,
      (p) => p.includes(vpc.id),
    );
    // Past the debounce the VPC is still waiting for the job, and no reconcile was submitted meanwhile.
    expect(await reconcilesBy(vpc.id, 'engine')).toHaveLength(0);
    expect((await world.engine.getJob(busy.jobId))?.state).toBe('running');
    gate.open();
    await until(
      async () => (await world.engine.getJob(busy.jobId))?.state,
      (s) => s !== 'running' && s !== 'queued',
    );
    const tierSynced = await until(
      () => synced(() => world.engine.getTier(tier.id)),
      (c) => c?.status === 'False',
    );
    expect(tierSynced?.message).toContain(nics[0]?.id);
    const auto = await reconcilesBy(vpc.id, 'engine');
    expect(auto).toHaveLength(1);
    expect(auto[0]?.createdAt).toBeGreaterThanOrEqual(
      (await world.engine.getJob(busy.jobId))?.updatedAt ?? 0,
    );
  });

  it('watches from start: an engine that has made no call yet sees drift on an implemented tier', async () => {
    const { vpc, tier, nics } = await implemented(1);
    await world.engine.stop();
    const fresh = world.w.engine({ driftDebounceMs: 200 });
    await fresh.start();
    try {
      // Its element is built at start, asynchronously: tamper until a push finds it subscribed (polling, no call).
      let seen = false;
      const deadline = Date.now() + 20_000;
      while (!seen && Date.now() < deadline) {
        world.w.hub.tamper(world.controllerId, {
          kind: 'nic',
          id: nics[0]?.id ?? '',
          action: 'issue',
          issue: 'poked',
        });
        await new Promise((r) => setTimeout(r, 300));
        seen = (await synced(() => fresh.getTier(tier.id)))?.status === 'False';
      }
      expect(seen).toBe(true);
      expect(
        (await fresh.listJobs({ vpcId: vpc.id, kind: 'vpc.reconcile' })).some(
          (j) => j.createdBy === 'engine',
        ),
      ).toBe(true);
    } finally {
      await fresh.stop();
      world.engine = world.w.engine({ driftDebounceMs: 200 });
      await world.engine.start();
    }
  });
});

describe.each(testDialects())('drift watch subscriptions on %s', (dialect) => {
  let w: World;
  /** Subscriptions the elements of the "counting" adapter hold now, and how many elements it built. */
  const counts = { active: 0, built: 0 };
  let hub: World['hub'] | undefined;
  const counting: AdapterModule = {
    manifest: { ...simulatorManifest, id: 'counting' },
    createElement(connection, env) {
      if (!hub) throw new Error('no hub yet');
      const element = createSimulatorAdapter(hub).createElement(connection, env);
      counts.built += 1;
      const watch = element.watch?.bind(element);
      if (!watch) throw new Error('the in-process simulator has no watch');
      return {
        ...element,
        watch(listener) {
          counts.active += 1;
          const off = watch(listener);
          return () => {
            counts.active -= 1;
            off();
          };
        },
      };
    },
  };
  beforeAll(async () => {
    w = await makeWorld(dialect, {
      extraAdapters: [{ id: 'counting', status: 'Fully Loaded', module: counting }],
    });
    hub = w.hub;
  });
  afterAll(async () => {
    await w.cleanup();
  });

  it('subscribes when the element is built, moves to the rebuilt element, and ends at stop', async () => {
    const providerId = await w.addProvider({ name: 'counting', adapterId: 'counting' });
    const controllerId = await w.addController(providerId);
    const vpcOfferingId = await w.addOffering({ kind: 'vpc', services: { Connectivity: 'counting' } });
    const networkOfferingId = await w.addOffering({
      kind: 'network',
      services: { Connectivity: 'counting' },
    });
    const engine = w.engine({ driftDebounceMs: 200 });
    await engine.start();
    const vpc = await engine.createVpc(
      { name: 'vpc-c', zoneId: w.zoneId, offeringId: vpcOfferingId, cidr: '10.150.0.0/16' },
      't',
    );
    const tier = await engine.createTier(
      { vpcId: vpc.id, name: 'web', offeringId: networkOfferingId, cidr: '10.150.1.0/24' },
      't',
    );
    expect((await waitForJob(engine, (await engine.implementTier(tier.id, 't')).jobId)).state).toBe(
      'succeeded',
    );
    expect(counts).toEqual({ active: 1, built: 1 });

    // A changed controller row rebuilds the element at its next use: the watch follows it, one subscription.
    await w.db.db
      .updateTable('controllers')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', controllerId)
      .execute();
    await until(
      async () => {
        await waitForJob(engine, (await engine.reconcile(vpc.id, 't')).jobId);
        return counts.built;
      },
      (b) => b === 2,
    );
    expect(counts.active).toBe(1);
    w.hub.tamper(controllerId, { kind: 'vpc', id: vpc.id, action: 'issue', issue: 'poked' });
    await until(
      async () => (await engine.getVpc(vpc.id))?.conditions.find((c) => c.type === 'Synced')?.status,
      (s) => s === 'False',
    );

    await engine.stop();
    expect(counts.active).toBe(0);
  });
});
