// OVN benchmark (issue 5 point 6): 1000 NICs on 10 tiers through the whole stack — HTTP tRPC call → job → engine →
// OVN adapter → a real ovsdb-server on a fresh database — against, each on its own fresh database, ONE raw OVSDB
// transaction inserting the same ports, the OVN adapter alone, and an `ovn-nbctl` loop (measured on a sample, scaled).
// `npm run bench -- ovn [--nics N] [--tiers T] [--runs R] [--db sqlite|mysql] [--nbctl-sample S] [--services a,b] [--profile] [--no-baselines] [--prepare-batch-size B] [--warmup W]`

import { loadavg } from 'node:os';
import ovnAdapter, { names } from '@netplane/adapter-ovn';
import type { NicSpec } from '@netplane/adapter-sdk';
import type { DialectName } from '@netplane/db';
import { startOvsdbServer } from '@netplane/ovsdb/testing';
import { argValue, dialectArg } from './lib/args';
import { measureAdapterOnly } from './ovn/adapter-only';
import { measureNbctlLoop, measureRawTransaction } from './ovn/baselines';
import { registerOvnInventory } from './ovn/inventory';
import { jobEnds } from './ovn/job-ends';
import { callProfile } from './ovn/profile';
import { median, round, summaryOf } from './ovn/report';
import { SqlProfile } from './ovn/sql-profile';
import { type AdapterTiming, startStack } from './ovn/stack';

type Options = {
  nics: number;
  tiers: number;
  runs: number;
  dialect: DialectName;
  nbctlSample: number;
  services: string[];
  profile: boolean;
  prepareBatchSize: number | undefined;
  baselines: boolean;
  warmup: number;
};

function parseArgs(args: string[]): Options {
  const value = (name: string) => argValue(args, name);
  const dialect = dialectArg(args);
  return {
    nics: Number(value('--nics') ?? 1000),
    tiers: Number(value('--tiers') ?? 10),
    runs: Number(value('--runs') ?? 1),
    dialect,
    nbctlSample: Number(value('--nbctl-sample') ?? 200),
    // Connectivity alone makes the stack write exactly the rows of the raw baseline (no DHCP row, no port group).
    services: (value('--services') ?? 'Connectivity').split(','),
    // Diagnosis aids: statements per kind and table during the prepare window; the whole stack alone.
    profile: args.includes('--profile'),
    // The server's NETPLANE_PREPARE_BATCH_SIZE; unset keeps the engine's default.
    prepareBatchSize:
      value('--prepare-batch-size') === undefined ? undefined : Number(value('--prepare-batch-size')),
    baselines: !args.includes('--no-baselines'),
    // W NICs prepared on an extra tier before the measured window, so the window measures a server that has served
    // a request before (JIT-compiled code paths, zod's compiled validators) rather than its very first one. 0: cold.
    warmup: Number(value('--warmup') ?? 0),
  };
}

type Nic = {
  id: string;
  networkId: string;
  vpcId: string;
  vmName: string;
  mac: string;
  ip: string;
  state: string;
};

/** The whole stack on a fresh NB database; returns timings and the NICs as the API reports them. */
async function wholeStack(o: Options) {
  const server = await startOvsdbServer();
  const profiling = o.profile ? { sql: new SqlProfile(), adapter: [] as AdapterTiming[] } : undefined;
  const sql = profiling?.sql;
  const stack = await startStack(
    o.dialect,
    profiling,
    o.prepareBatchSize === undefined ? {} : { prepareBatchSize: o.prepareBatchSize },
  );
  const ends = jobEnds(stack);
  try {
    const t0 = performance.now();
    const all = await registerOvnInventory(stack.api, {
      endpoint: server.tcpEndpoint,
      tiers: o.tiers + (o.warmup > 0 ? 1 : 0),
      services: o.services,
    });
    const implementJobs = await Promise.all(
      all.tierIds.map(
        async (id) => (await stack.api.mutate<{ jobId: string }>('tiers.implement', { id })).jobId,
      ),
    );
    const implemented = await ends.wait(implementJobs);
    if (implemented.states.some((s) => s !== 'succeeded'))
      throw new Error(`implement: ${implemented.states}`);
    const inv = { ...all, tierIds: all.tierIds.slice(0, o.tiers) };
    if (o.warmup > 0) {
      const tierId = all.tierIds[o.tiers] as string;
      const nics = Array.from({ length: o.warmup }, (_, n) => ({ vmName: `warm-${n}` }));
      const warm = await stack.api.mutate<{ jobId: string }>('nics.prepareBulk', { tierId, nics });
      await ends.wait([warm.jobId]);
    }

    const perTier = (t: number) => Math.floor(o.nics / o.tiers) + (t < o.nics % o.tiers ? 1 : 0);
    sql?.start();
    const cpu0 = process.cpuUsage();
    const epochPrepare = Date.now();
    // Monotonic µs, the clock of `node --cpu-prof` sample timestamps, to cut a CPU profile to the prepare window.
    const hrPrepare = process.hrtime.bigint() / 1000n;
    const tPrepare = performance.now();
    // One bulk request per tier (the API's bulk call is per tier), all at once.
    const prepareJobs = await Promise.all(
      inv.tierIds.map(async (tierId, t) => {
        const nics = Array.from({ length: perTier(t) }, (_, n) => ({ vmName: `vm-${t}-${n}` }));
        return (await stack.api.mutate<{ jobId: string }>('nics.prepareBulk', { tierId, nics })).jobId;
      }),
    );
    const requestsAcceptedMs = performance.now() - tPrepare;
    const prepared = await ends.wait(prepareJobs);
    const wallMs = prepared.lastAt - tPrepare;
    const cpu = process.cpuUsage(cpu0);
    const totalMs = prepared.lastAt - t0;

    const sqlDuringPrepare = sql?.stop();
    const cpuProfileWindowUs = [Number(hrPrepare), Number(process.hrtime.bigint() / 1000n)];
    const calls = await callProfile(stack, epochPrepare, prepareJobs);
    const nics: Nic[] = [];
    for (const tierId of inv.tierIds) {
      // nics.list is keyset paged: walk every page of the tier.
      let cursor: string | null = null;
      do {
        const page: { items: Nic[]; nextCursor: string | null } = await stack.api.query('nics.list', {
          tierId,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        });
        nics.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
    }
    const listed = new Set(
      (await server.nbctl(['--format=csv', '--no-headings', '--columns=name', 'list', 'Logical_Switch_Port']))
        .split('\n')
        .map((l) => l.trim().replace(/^"|"$/g, '')),
    );
    return {
      wallMs,
      totalMs,
      requestsAcceptedMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      failedJobs: prepared.states.filter((s) => s !== 'succeeded').length,
      nics,
      reserved: nics.filter((n) => n.state === 'Reserved').length,
      portsSeenByNbctl: nics.filter((n) => listed.has(names.nicPort(n.id))).length,
      schemaVersion: inv.connection.version,
      calls,
      sqlDuringPrepare,
      cpuProfileWindowUs,
      adapterTimings: profiling?.adapter
        .filter((t) => t.startedAt >= epochPrepare)
        .map((t) => ({ at: t.startedAt - epochPrepare, ms: Math.round(t.ms), nics: t.nics, tiers: t.tiers })),
    };
  } finally {
    ends.off();
    await stack.close();
    await server.dispose();
  }
}

export async function run(args: string[] = []): Promise<void> {
  const o = parseArgs(args);
  const lines: Record<string, unknown>[] = [];
  for (let r = 0; r < o.runs; r++) {
    const stack = await wholeStack(o);
    const line: Record<string, unknown> = {
      bench: 'ovn',
      run: r + 1,
      db: o.dialect,
      transport: 'http',
      services: o.services,
      prepareBatchSize: o.prepareBatchSize ?? 'engine default',
      warmupNics: o.warmup,
      nics: stack.nics.length,
      tiers: o.tiers,
      wallMs: round(stack.wallMs),
      wallMsFrom: 'first nics.prepareBulk request sent -> last prepare job ended',
      requestsAcceptedMs: round(stack.requestsAcceptedMs),
      totalMs: round(stack.totalMs),
      totalMsFrom: 'zones.create -> last prepare job ended (inventory, VPC, tiers, implement, prepare)',
      serverCpuMsDuringPrepare: round(stack.cpuMs),
      // 2-core machine shared with other work: a high load stretches every wall time (CPU figures less so).
      loadAverage1m: round(loadavg()[0] ?? 0, 1),
    };
    if (o.baselines) Object.assign(line, await baselines(o, stack.nics, stack.wallMs));
    Object.assign(line, {
      profile: stack.calls,
      ...(stack.sqlDuringPrepare && { sqlDuringPrepare: stack.sqlDuringPrepare }),
      ...(stack.adapterTimings && { adapterPrepareNics: stack.adapterTimings }),
      ...(o.profile && { cpuProfileWindowUs: stack.cpuProfileWindowUs }),
      verified: {
        failedJobs: stack.failedJobs,
        nicsReserved: stack.reserved,
        portsListedByOvnNbctl: stack.portsSeenByNbctl,
        testConnectionVersion: stack.schemaVersion,
      },
    });
    console.log(JSON.stringify(line));
    lines.push(line);
    // A figure of a run that did not provision everything is no figure: say so through the exit code too.
    const n = stack.nics.length;
    if (n !== o.nics || stack.failedJobs > 0 || stack.reserved !== n || stack.portsSeenByNbctl !== n) {
      process.exitCode = 1;
    }
  }
  if (lines.length > 1 && o.baselines) console.log(JSON.stringify(summaryOf(lines)));
}

/** The same ports as one raw transaction and as an ovn-nbctl loop, each on a fresh database, and the ratios. */
async function baselines(o: Options, nics: Nic[], wallMs: number) {
  const specs: NicSpec[] = nics.map((n) => ({
    nicId: n.id,
    networkId: n.networkId,
    vpcId: n.vpcId,
    mac: n.mac,
    ip: n.ip,
    vmName: n.vmName,
  }));
  // The raw transaction is short enough for one scheduler hiccup to double it: the median of three, each on its own
  // fresh database (all three reported).
  const raws = [];
  for (let i = 0; i < 3; i++) raws.push(await measureRawTransaction(specs));
  const raw = median(raws, (r) => r.ms);
  // As the engine runs it by default: batches up to the adapter's maxBatchSize (no engine-wide cap unless
  // --prepare-batch-size), at most the controller's 8 (recommended) calls at once.
  const adapter = await measureAdapterOnly(specs, {
    batch: o.prepareBatchSize ?? ovnAdapter.manifest.limits.maxBatchSize,
    concurrency: 8,
  });
  const measured = Math.min(o.nbctlSample, specs.length);
  const nbctl = await measureNbctlLoop(specs, measured);
  const nbctlLoopMsScaled = (nbctl.ms * specs.length) / measured;
  const ratioToRaw = wallMs / raw.ms;
  const speedupOverNbctl = nbctlLoopMsScaled / wallMs;
  return {
    rawTxMs: round(raw.ms, 1),
    rawTxMsEach: raws.map((r) => round(r.ms, 1)),
    rawTxPorts: raw.ports,
    adapterOnlyMs: round(adapter.ms),
    adapterOnlyCalls: adapter.calls,
    adapterOnlyFailedNics: adapter.failed,
    nbctlLoopMsScaled: round(nbctlLoopMsScaled),
    nbctlMeasuredPorts: measured,
    nbctlMeasuredMs: round(nbctl.ms),
    nbctlScale: round(specs.length / measured, 2),
    ratioToRaw: round(ratioToRaw, 2),
    speedupOverNbctl: round(speedupOverNbctl, 1),
    goals: { withinTenXOfRaw: ratioToRaw <= 10, twentyXFasterThanNbctl: speedupOverNbctl >= 20 },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv.slice(2));
