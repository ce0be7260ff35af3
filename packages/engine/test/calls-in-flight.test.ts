// Calls are recorded before they are sent: a call whose controller hangs shows as inFlight while it is pending, and
// when its node dies the node that takes the job over marks it abandoned (it used to leave no trace at all).
import { randomUUID } from 'node:crypto';
import type { AdapterModule } from '@netplane/adapter-sdk';
import { createSimulatorAdapter, type SimulatorHub, simulatorManifest } from '@netplane/adapter-simulator';
import { connect, elementCallsRepo, nodesRepo } from '@netplane/db';
import { callRow, testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type EngineOptions } from '../src/index';
import { FAST, makeWorld, type World, waitForJob } from './world';

/** Holds every prepareNic of the elements built through it while closed: a controller that does not answer. */
type Gate = { closed: boolean; pending: number; open(): void; wait(): Promise<void> };
const newGate = (): Gate => {
  let waiters: (() => void)[] = [];
  const gate: Gate = {
    closed: false,
    pending: 0,
    open() {
      gate.closed = false;
      for (const w of waiters) w();
      waiters = [];
    },
    async wait() {
      if (!gate.closed) return;
      gate.pending += 1;
      await new Promise<void>((r) => waiters.push(r));
      gate.pending -= 1;
    },
  };
  return gate;
};

const gatedAdapter = (hub: () => SimulatorHub, gate?: Gate): AdapterModule => ({
  manifest: { ...simulatorManifest, id: 'gated' },
  createElement(connection, env) {
    const element = createSimulatorAdapter(hub()).createElement(connection, env);
    return {
      ...element,
      async prepareNic(nic, ctx) {
        await gate?.wait();
        return element.prepareNic(nic, ctx);
      },
    };
  },
});

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.each(testDialects())('calls in flight on %s', (dialect) => {
  let w: World;
  let hub: SimulatorHub | undefined;
  const gate = newGate();
  let controllerId: string;
  let offerings: { vpc: string; network: string };
  const engines: Engine[] = [];
  const closers: (() => Promise<void>)[] = [];
  const opts: Partial<EngineOptions> = { ...FAST, leaseMs: 1_000, heartbeatMs: 150 };
  const hubOf = () => {
    if (!hub) throw new Error('no hub yet');
    return hub;
  };

  /** A node whose gated elements hang while the gate is closed (`gated`), or a node whose calls always answer. */
  const node = (name: string, gated: boolean) => {
    const db = connect(w.db.url);
    closers.push(db.close);
    const e = new Engine(
      {
        ...w.deps,
        db,
        adapters: [
          { id: 'gated', status: 'Fully Loaded', module: gatedAdapter(hubOf, gated ? gate : undefined) },
        ],
      },
      { ...opts, nodeId: `${name}-${randomUUID().slice(0, 6)}` },
    );
    engines.push(e);
    return e;
  };

  beforeAll(async () => {
    w = await makeWorld(dialect);
    hub = w.hub;
    const providerId = await w.addProvider({ name: 'gated', adapterId: 'gated' });
    // The hung calls must not time out during the test: they stay in flight until their node stops.
    controllerId = await w.addController(providerId, { timeoutMs: 120_000 });
    offerings = {
      vpc: await w.addOffering({ kind: 'vpc', services: { Connectivity: 'gated' } }),
      network: await w.addOffering({ kind: 'network', services: { Connectivity: 'gated' } }),
    };
  });
  afterAll(async () => {
    gate.open();
    for (const e of engines) await e.stop();
    for (const c of closers) await c();
    await w.cleanup();
  });

  const implementedTier = async (e: Engine, octet: number) => {
    const vpc = await e.createVpc(
      { name: `vpc-${octet}`, zoneId: w.zoneId, offeringId: offerings.vpc, cidr: `10.${octet}.0.0/16` },
      't',
    );
    const tier = await e.createTier(
      { vpcId: vpc.id, name: 'web', offeringId: offerings.network, cidr: `10.${octet}.1.0/24` },
      't',
    );
    expect((await waitForJob(e, (await e.implementTier(tier.id, 't')).jobId)).state).toBe('succeeded');
    return tier;
  };

  /**
   * A tier implemented on `e` while the gate is open, then the gate closed and one prepare call per VM (batch size 1)
   * started: each call hangs on the controller until the gate opens.
   */
  const hangingPrepares = async (e: Engine, octet: number, vmNames: readonly string[]) => {
    const tier = await implementedTier(e, octet);
    gate.closed = true;
    const started = await e.prepareNics(
      tier.id,
      vmNames.map((vmName) => ({ vmName })),
      't',
      { batchSize: 1 },
    );
    return { tier, ...started };
  };

  it('shows a call as inFlight while its controller hangs, then completes the same row', async () => {
    const a = node('solo', true);
    await a.start();
    const { jobId, nics } = await hangingPrepares(a, 171, ['h1', 'h2', 'h3']);
    await until('three hung calls', async () => gate.pending === 3);
    // The controller has not answered any of them, and every one is in the call log already.
    const pending = await a.listCalls({ jobId, limit: 100 });
    expect(pending.map((c) => c.outcome)).toEqual(['inFlight', 'inFlight', 'inFlight']);
    expect(pending.map((c) => c.targetId).sort()).toEqual(nics.map((n) => n.id).sort());
    expect(pending.every((c) => c.nodeId === a.nodeId && c.phase === 'prepare')).toBe(true);

    gate.open();
    expect((await waitForJob(a, jobId)).state).toBe('succeeded');
    const done = await a.listCalls({ jobId, limit: 100 });
    // Completed in place: the same rows (ids), now ok, and no second row per call.
    expect(done.map((c) => c.id).sort()).toEqual(pending.map((c) => c.id).sort());
    expect(done.map((c) => c.outcome)).toEqual(['ok', 'ok', 'ok']);
    await a.stop();
  });

  it('marks the calls a dead lease holder left in flight abandoned when another node takes the job over', async () => {
    const a = node('dying', true);
    const b = node('survivor', false);
    await a.start();
    const { tier, jobId, nics } = await hangingPrepares(
      a,
      172,
      Array.from({ length: 4 }, (_, i) => `d${i}`),
    );
    await until('four hung calls on the dying node', async () => gate.pending === 4);
    // Node A stops renewing (as if killed: its calls never end); B takes the job over once the lease ran out.
    a.suspendHeartbeats();
    await b.start();
    const job = await waitForJob(b, jobId, 60_000);
    expect(job.state).toBe('succeeded');

    const calls = await b.listCalls({ jobId, limit: 100 });
    const ofA = calls.filter((c) => c.nodeId === a.nodeId);
    const ofB = calls.filter((c) => c.nodeId === b.nodeId);
    expect(ofA).toHaveLength(4);
    expect(ofA.map((c) => c.outcome)).toEqual(['abandoned', 'abandoned', 'abandoned', 'abandoned']);
    for (const c of ofA) expect(c.errorMessage).toContain(`Node ${a.nodeId} died`);
    expect(ofB.map((c) => c.outcome)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(calls.filter((c) => c.outcome === 'inFlight')).toEqual([]);
    // Nothing lost, nothing created twice: the hung calls never reached the controller, B made each NIC once.
    const stats = w.hub.stats(controllerId);
    for (const n of nics) expect(stats.portCreations[n.id], `NIC ${n.id} created once`).toBe(1);
    expect((await b.listNics(tier.id)).every((n) => n.state === 'Reserved')).toBe(true);
    await b.stop();
  });

  it('marks what a previous process of the same node id left in flight abandoned when the node starts again', async () => {
    const nodeId = `restarted-${randomUUID().slice(0, 6)}`;
    const startedAt = Date.now() - 5_000;
    await nodesRepo.upsertNode(w.db.db, {
      id: nodeId,
      hostname: 'h',
      pid: 1,
      startedAt,
      heartbeatAt: startedAt,
      state: 'running',
    });
    const id = randomUUID();
    await elementCallsRepo.writeCalls(w.db.db, w.db.dialect, [
      callRow({ id, adapterId: 'gated', controllerId, startedAt, requestSummary: '{}', nodeId }),
    ]);
    const again = new Engine(w.deps, { ...opts, nodeId });
    engines.push(again);
    await again.start();
    const row = await elementCallsRepo.getCall(w.db.db, id);
    expect(row?.outcome).toBe('abandoned');
    expect(row?.errorMessage).toContain(`Node ${nodeId} died`);
    expect(row?.durationMs).toBeGreaterThanOrEqual(5_000);
    await again.stop();
  });
});
