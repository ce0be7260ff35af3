// Take-over benchmark (hardening issue point 5): two engine nodes on one database with the DEFAULT lease settings.
// (1) `--runs N` times, the holder of a NIC job dies mid-job (its controller calls hang and it stops renewing, as a
// kill -9 would leave it) and the other node takes the job over: prints the take-over time (death → claim) and how
// many of the dead node's calls in flight ended abandoned. (2) A busy phase: both nodes run a storm of NIC jobs (either
// may claim them) and jobs claimed more than once are counted: with no node dying, each is a false take-over (must be 0).
// `npm run bench -- takeover [--db sqlite|mysql] [--runs 5] [--nics 200] [--storm 1000]`.
import { randomUUID } from 'node:crypto';
import type { AdapterModule } from '@netplane/adapter-sdk';
import { createSimulatorAdapter, SimulatorHub } from '@netplane/adapter-simulator';
import { connect, type DbHandle, type DialectName, migrateToLatest } from '@netplane/db';
import { createTestDatabaseUrl, type SimulatorSeed, seedSimulatorInventory } from '@netplane/db/testing';
import { DEFAULT_OPTIONS, Engine, type EngineDeps } from '@netplane/engine';

const silent = { info: () => {}, warn: () => {}, error: () => {} };
const value = (args: string[], name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The simulator, with every prepareNic of this node hanging forever once `dead.is` is set. */
function mortal(hub: SimulatorHub, dead: { is: boolean }): AdapterModule {
  const sim = createSimulatorAdapter(hub);
  return {
    ...sim,
    createElement(connection, env) {
      const element = sim.createElement(connection, env);
      return {
        ...element,
        prepareNic: (nic, ctx) => (dead.is ? new Promise(() => {}) : element.prepareNic(nic, ctx)),
      };
    },
  };
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, everyMs = 10): Promise<T> {
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    await sleep(everyMs);
  }
}

export async function run(args: string[]): Promise<void> {
  const dialect = (value(args, '--db') ?? 'sqlite') as DialectName;
  const runs = Number(value(args, '--runs') ?? 5);
  const nics = Number(value(args, '--nics') ?? 200);
  const storm = Number(value(args, '--storm') ?? 1000);
  const database = await createTestDatabaseUrl(dialect);
  const dbs: DbHandle[] = [connect(database.url), connect(database.url)];
  const [dbA, dbB] = dbs as [DbHandle, DbHandle];
  try {
    await migrateToLatest(dbA.db);
    const hub = new SimulatorHub('takeover');
    const seed: SimulatorSeed = await seedSimulatorInventory(dbA.db, {
      label: 'takeover',
      vlanRange: { start: 100, end: 3999 },
      credentials: () => ({ ciphertext: JSON.stringify({ username: 'b', password: 'b' }), keyId: 'none' }),
      limits: { maxConcurrent: 8, callsPerSecond: 200, timeoutMs: 600_000 },
    });
    hub.controller(seed.controllerId);
    // 250 ms calls, 8 at a time: a 200-NIC job lasts ~6 s, so the death always falls mid-job with calls in flight.
    await hub.setProfile(seed.controllerId, { latencyMs: 250, jitterMs: 0 });
    const deps = (db: DbHandle, module: AdapterModule): EngineDeps => ({
      db,
      logger: silent,
      adapters: [{ id: 'simulator', status: 'Fully Loaded', module }],
      secrets: { decrypt: (c) => c },
      now: () => Date.now(),
    });
    const tierOf = async (e: Engine, n: number) => {
      const vpc = await e.createVpc(
        { name: `v${n}`, zoneId: seed.zoneId, offeringId: seed.vpcOfferingId, cidr: `10.${n}.0.0/16` },
        'bench',
      );
      const tier = await e.createTier(
        { vpcId: vpc.id, name: 't', offeringId: seed.networkOfferingId, cidr: `10.${n}.0.0/20` },
        'bench',
      );
      const { jobId } = await e.implementTier(tier.id, 'bench');
      await until(
        () => e.getJob(jobId),
        (j) => j?.finishedAt !== null,
      );
      return tier.id;
    };

    for (let r = 0; r < runs; r++) {
      const dead = { is: false };
      const a = new Engine(deps(dbA, mortal(hub, dead)), { nodeId: `a${r}-${randomUUID().slice(0, 4)}` });
      const b = new Engine(deps(dbB, createSimulatorAdapter(hub)), {
        nodeId: `b${r}-${randomUUID().slice(0, 4)}`,
      });
      await a.start();
      const tierId = await tierOf(a, r + 1);
      const vms = Array.from({ length: nics }, (_, i) => ({ vmName: `vm${i}` }));
      const { jobId } = await a.prepareNics(tierId, vms, 'bench', { batchSize: 1 });
      await until(
        () => a.getJob(jobId),
        (j) => (j?.progressDone ?? 0) >= nics / 4,
      );
      // Die at a random point of the renewal cycle, as a real crash would.
      await sleep(Math.random() * DEFAULT_OPTIONS.heartbeatMs);
      dead.is = true;
      a.suspendHeartbeats();
      const diedAt = Date.now();
      const before = await a.getJob(jobId);
      const token = before?.fencingToken ?? 0;
      if (before?.finishedAt !== null) throw new Error('The job ended before its node died: raise --nics');
      await b.start();
      await until(
        () => b.getJob(jobId),
        (j) => (j?.fencingToken ?? 0) > token,
      );
      const claimedMs = Date.now() - diedAt;
      const job = await until(
        () => b.getJob(jobId),
        (j) => j?.finishedAt !== null,
        50,
      );
      const calls = await b.listCalls({ jobId, limit: 1000 });
      console.log(
        JSON.stringify({
          bench: 'takeover',
          dialect,
          run: r + 1,
          leaseMs: DEFAULT_OPTIONS.leaseMs,
          heartbeatMs: DEFAULT_OPTIONS.heartbeatMs,
          claimedMs,
          finishedMs: (job?.finishedAt ?? 0) - diedAt,
          state: job?.state,
          abandoned: calls.filter((c) => c.outcome === 'abandoned' && c.nodeId === a.nodeId).length,
          inFlightLeft: calls.filter((c) => c.outcome === 'inFlight').length,
        }),
      );
      await b.stop();
      await a.stop();
    }

    // Busy phase: a storm on two live nodes; a job claimed twice would be a false take-over of a busy node.
    const a = new Engine(deps(dbA, createSimulatorAdapter(hub)), {
      nodeId: `busy-${randomUUID().slice(0, 4)}`,
    });
    const b = new Engine(deps(dbB, createSimulatorAdapter(hub)), {
      nodeId: `busy2-${randomUUID().slice(0, 4)}`,
    });
    await hub.setProfile(seed.controllerId, { latencyMs: 0 });
    await a.start();
    const tiers = [];
    for (let t = 0; t < 20; t++) tiers.push(await tierOf(a, 100 + t));
    await hub.setProfile(seed.controllerId, { latencyMs: 20 });
    await b.start();
    const t0 = Date.now();
    const jobIds = await Promise.all(
      tiers.map(
        async (id, t) =>
          (
            await a.prepareNics(
              id,
              Array.from({ length: Math.ceil(storm / tiers.length) }, (_, i) => ({ vmName: `s${t}-${i}` })),
              'bench',
              { batchSize: 1 },
            )
          ).jobId,
      ),
    );
    const jobs = await until(
      () => Promise.all(jobIds.map((id) => a.getJob(id))),
      (js) => js.every((j) => j?.finishedAt !== null),
      200,
    );
    console.log(
      JSON.stringify({
        bench: 'takeover-busy',
        dialect,
        nics: storm,
        wallMs: Date.now() - t0,
        jobs: jobs.length,
        failed: jobs.filter((j) => j?.state !== 'succeeded').length,
        claimedTwice: jobs.filter((j) => (j?.attempts ?? 0) > 1).length,
        stepsPerNode: [a.nodeId, b.nodeId].map(
          (n) => jobs.flatMap((j) => j?.steps ?? []).filter((s) => s.nodeId === n).length,
        ),
      }),
    );
    await b.stop();
    await a.stop();
  } finally {
    for (const d of dbs) await d.close();
    await database.drop();
  }
}
