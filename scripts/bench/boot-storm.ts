// Boot-storm benchmark (issue 4 point 11): the real engine against a simulated controller (20 ms per call, 200 calls/s,
// 16 concurrent) prepares 1000 NICs across 50 tiers requested all at once; (a) one call per NIC, (b) batches up to 50.
// Prints one JSON line per run. `npm run bench -- boot-storm [--db sqlite|mysql] [--nics N] [--tiers T]`.
import { randomUUID } from 'node:crypto';
import type { SimulatorStatsSummary } from '@netplane/adapter-simulator';
import { connect, type DbHandle, type DialectName, migrateToLatest } from '@netplane/db';
import { createTestDatabaseUrl, seedSimulatorInventory } from '@netplane/db/testing';
import { Engine, type EngineDeps, listDiagnosisViews } from '@netplane/engine';
import { argValue, dialectArg } from './lib/args';
import { inProcessSimulator, type SimulatorSide } from './lib/simulator-side';

export { inProcessSimulator, type SimulatorSide } from './lib/simulator-side';

type Limits = { latencyMs: number; callsPerSecond: number; maxConcurrent: number };
export const STORM: Limits = { latencyMs: 20, callsPerSecond: 200, maxConcurrent: 16 };

export type Options = {
  dialect: DialectName;
  nics: number;
  tiers: number;
  runs: string[];
  cpuOnly: boolean;
  timeline: boolean;
};

export function parseArgs(args: string[]): Options {
  const value = (name: string) => argValue(args, name);
  const dialect = dialectArg(args);
  return {
    dialect,
    nics: Number(value('--nics') ?? 1000),
    tiers: Number(value('--tiers') ?? 50),
    runs: (value('--runs') ?? 'a,b').split(','),
    // For profiling the engine alone (node --cpu-prof): only the zero-latency, unlimited runs.
    cpuOnly: args.includes('--cpu-only'),
    timeline: args.includes('--timeline'),
  };
}

const silent = { info: () => {}, warn: () => {}, error: () => {} };

/** The honest lower bound of a run: no schedule can beat the controller's concurrency or its rate window. */
export function boundMsOf(calls: number, l: Limits, formula: 'spec' | 'window'): number {
  const concurrency = (calls * l.latencyMs) / l.maxConcurrent;
  if (formula === 'spec') return Math.max((calls / l.callsPerSecond) * 1000, concurrency);
  // At most `rate` calls start in any one-second window; the last one still takes a latency to answer.
  const windows = (Math.ceil(calls / l.callsPerSecond) - 1) * 1000 + l.latencyMs;
  return Math.max(Math.ceil(calls / l.maxConcurrent) * l.latencyMs, windows);
}

type RunResult = {
  wallMs: number;
  /** Until every prepare request had returned its job id (NIC rows allocated, jobs queued). */
  requestMs: number;
  cpuMs: number;
  calls: number;
  stats: SimulatorStatsSummary;
  failedJobs: number;
  notReserved: number;
};

/** One storm: a fresh VPC with `tiers` implemented tiers, then every NIC requested at once; timed to the last job. */
export async function storm(
  db: DbHandle,
  o: Options,
  batch: number,
  limits: Limits | 'unlimited',
  sim: SimulatorSide = inProcessSimulator(),
): Promise<RunResult> {
  const deps: EngineDeps = {
    db,
    logger: silent,
    adapters: [{ id: 'simulator', status: 'Fully Loaded', module: sim.module }],
    secrets: { decrypt: (c) => c },
    now: () => Date.now(),
  };
  const unlimited = limits === 'unlimited';
  const seed = await seedSimulatorInventory(db.db, {
    label: 'bench',
    vlanRange: { start: 100, end: 3999 },
    // The bench's secrets.decrypt is the identity: no real credential exists here.
    credentials: () => ({
      ciphertext: JSON.stringify({ username: 'bench', password: 'bench' }),
      keyId: 'none',
    }),
    limits: {
      callsPerSecond: unlimited ? 1_000_000 : limits.callsPerSecond,
      maxConcurrent: unlimited ? 1_000 : limits.maxConcurrent,
      timeoutMs: 30_000,
    },
  });
  await sim.setProfile(seed.controllerId, {
    latencyMs: unlimited ? 0 : limits.latencyMs,
    jitterMs: 0,
    rateLimitPerSecond: unlimited ? null : limits.callsPerSecond,
    maxConcurrent: unlimited ? null : limits.maxConcurrent,
  });
  const engine = new Engine(deps, { nodeId: `bench-${randomUUID().slice(0, 6)}`, pollMs: 20 });
  await engine.start();
  try {
    const vpc = await engine.createVpc(
      { name: 'storm', zoneId: seed.zoneId, offeringId: seed.vpcOfferingId, cidr: '10.0.0.0/8' },
      'bench',
    );
    const tiers = [];
    for (let t = 0; t < o.tiers; t++) {
      tiers.push(
        await engine.createTier(
          { vpcId: vpc.id, name: `t${t}`, offeringId: seed.networkOfferingId, cidr: `10.${t}.0.0/16` },
          'bench',
        ),
      );
    }
    const implemented = await waitAll(
      engine,
      await Promise.all(tiers.map(async (t) => (await engine.implementTier(t.id, 'bench')).jobId)),
    );
    if (implemented.some((s) => s !== 'succeeded')) {
      // The product explains its own failures: show the diagnosis rather than a bare error.
      const [first] = await listDiagnosisViews(db.db, {
        vpcId: vpc.id,
        openOnly: true,
        limit: 1,
        now: Date.now(),
      });
      throw new Error(`Implementing the tiers failed: ${first?.sentence ?? 'no diagnosis recorded'}`);
    }
    await sim.resetStats(seed.controllerId);

    const perTier = tiers.map((_, t) => Math.floor(o.nics / o.tiers) + (t < o.nics % o.tiers ? 1 : 0));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const jobIds = await Promise.all(
      tiers.map(async (t, i) => {
        const requests = Array.from({ length: perTier[i] ?? 0 }, (_, n) => ({ vmName: `vm-${i}-${n}` }));
        return (await engine.prepareNics(t.id, requests, 'bench', { batchSize: batch })).jobId;
      }),
    );
    const requestMs = performance.now() - t0;
    const jobs = await waitAll(engine, jobIds);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const stats = await sim.stats(seed.controllerId);
    if (o.timeline) {
      // Controller arrivals per 250 ms bucket since the request, on stderr: shows where a run loses time.
      const log = (await sim.calls(seed.controllerId)).filter(
        (c) => c.op === 'prepareNic' || c.op === 'prepareNics',
      );
      const start = Date.now() - wallMs;
      const buckets = new Map<number, number>();
      for (const c of log)
        buckets.set(
          Math.floor((c.at - start) / 250),
          (buckets.get(Math.floor((c.at - start) / 250)) ?? 0) + 1,
        );
      console.error(JSON.stringify([...buckets.entries()].sort((a, b) => a[0] - b[0])));
    }
    const nics = await db.db.selectFrom('nics').select(['state']).where('vpc_id', '=', vpc.id).execute();
    return {
      wallMs,
      requestMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      calls: stats.calls.prepare,
      stats,
      failedJobs: jobs.filter((s) => s !== 'succeeded').length,
      notReserved: nics.filter((n) => n.state !== 'Reserved').length,
    };
  } finally {
    await engine.stop();
  }
}

/**
 * Resolves with the final state of each job from the local job events. The database is asked only as a safety net
 * after 2 s without any job ending: polling while jobs run would put the bench's own queries inside the measured time.
 */
async function waitAll(engine: Engine, jobIds: string[]): Promise<string[]> {
  const final = new Map<string, string>();
  const pending = new Set(jobIds);
  const isFinal = (state: string) => ['succeeded', 'failed', 'cancelled'].includes(state);
  let off = () => {};
  let quiet: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    const safetyNet = () => {
      // A poll still in flight when the run ends may find the database closed: it no longer matters.
      void Promise.all(
        [...pending].map(async (id) => {
          const j = await engine.getJob(id);
          if (j && isFinal(j.state)) done(id, j.state);
        }),
      )
        .catch(() => {})
        .finally(() => {
          if (pending.size > 0) quiet = setTimeout(safetyNet, 2_000);
        });
    };
    const done = (id: string, state: string) => {
      if (!pending.delete(id)) return;
      final.set(id, state);
      clearTimeout(quiet);
      if (pending.size === 0) resolve();
      else quiet = setTimeout(safetyNet, 2_000);
    };
    off = engine.subscribe((e) => {
      if (isFinal(e.state)) done(e.jobId, e.state);
    });
    if (pending.size === 0) resolve();
    else quiet = setTimeout(safetyNet, 2_000);
  });
  off();
  clearTimeout(quiet);
  return jobIds.map((id) => final.get(id) ?? 'unknown');
}

export async function withDatabase<T>(dialect: DialectName, fn: (db: DbHandle) => Promise<T>): Promise<T> {
  const { url, drop } = await createTestDatabaseUrl(dialect);
  const db = connect(url);
  try {
    await migrateToLatest(db.db);
    return await fn(db);
  } finally {
    await db.close();
    await drop();
  }
}

export async function run(args: string[] = []): Promise<void> {
  const o = parseArgs(args);
  const lines: Record<string, unknown>[] = [];
  for (const [label, batch] of [
    ['a', 1],
    ['b', 50],
  ] as const) {
    if (!o.runs.includes(label)) continue;
    const cpu = await withDatabase(o.dialect, (db) => storm(db, o, batch, 'unlimited'));
    if (o.cpuOnly) {
      console.log(
        JSON.stringify({
          bench: 'boot-storm',
          run: label,
          cpuOnly: true,
          wallMs: Math.round(cpu.wallMs),
          engineCpuMsPerNic: cpu.cpuMs / o.nics,
        }),
      );
      continue;
    }
    const r = await withDatabase(o.dialect, (db) => storm(db, o, batch, STORM));
    // (a) one call per NIC; (b) the fewest calls batching per tier allows (the engine batches within a job).
    const minCalls =
      batch === 1
        ? o.nics
        : Array.from({ length: o.tiers }, (_, t) =>
            Math.ceil((Math.floor(o.nics / o.tiers) + (t < o.nics % o.tiers ? 1 : 0)) / batch),
          ).reduce((a, b) => a + b, 0);
    const formula = batch === 1 ? 'spec' : 'window';
    const boundMs = boundMsOf(minCalls, STORM, formula);
    const errors = r.failedJobs + r.notReserved + Object.values(r.stats.errors).reduce((a, b) => a + b, 0);
    const line = {
      bench: 'boot-storm',
      run: label,
      db: o.dialect,
      nics: o.nics,
      tiers: o.tiers,
      batch,
      calls: r.calls,
      minCalls,
      wallMs: Math.round(r.wallMs),
      requestMs: Math.round(r.requestMs),
      boundMs: Math.round(boundMs),
      boundFormula:
        formula === 'spec'
          ? 'max(calls/rate, calls*latency/concurrency)'
          : 'max(ceil(calls/concurrency)*latency, (ceil(calls/rate)-1)*1s + latency)',
      ratio: Math.round((r.wallMs / boundMs) * 100) / 100,
      maxConcurrentSeen: r.stats.maxConcurrentSeen,
      maxCallsInAnySecond: r.stats.maxCallsInAnySecond,
      overLimitCalls: r.stats.overLimitCalls,
      errors,
      engineCpuMsPerNic: Math.round((cpu.cpuMs / o.nics) * 1000) / 1000,
      cpuRunWallMs: Math.round(cpu.wallMs),
    };
    lines.push(line);
    console.log(JSON.stringify(line));
  }
  const [a, b] = lines as [{ wallMs: number }?, { wallMs: number }?];
  if (!a || !b) return;
  console.log(
    JSON.stringify({
      bench: 'boot-storm',
      summary: true,
      speedupBOverA: Math.round((a.wallMs / b.wallMs) * 10) / 10,
    }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv.slice(2));
