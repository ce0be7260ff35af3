// API benchmark (issue hardening point 3): the real server process (simulator adapter, latency 0) seeded through the
// public tRPC HTTP API with `--vpcs` VPCs of one tier and `--nics-per-vpc` NICs each, then p50/p99 of the console's
// reads, the seeding rate, and the server's memory (VmRSS / VmHWM from /proc). Prints one JSON line.
// `npm run bench -- api [--db sqlite|mysql] [--vpcs 10000] [--nics-per-vpc 10] [--batch 10] [--concurrency 4]
//  [--samples 200] [--seed N] [--heap-snapshot] [--bulk-seed] [--server-main apps/server/dist/other.js]`
import { cpus, loadavg, totalmem } from 'node:os';
import { connect, type DialectName } from '@netplane/db';
import { BenchApi } from './api/client';
import { measureReads } from './api/reads';
import { createInventory, seedVpcs } from './api/seed';
import { cpuMsOf, heapOf, memoryOf, sampleMemory, startServer } from './api/server';
import { argValue, dialectArg } from './lib/args';
import { seedBulk, uuid } from './reads/seed';

type Options = {
  dialect: DialectName;
  vpcs: number;
  nicsPerVpc: number;
  batch: number;
  concurrency: number;
  samples: number;
  seed: number;
  heapSnapshot: boolean;
  bulkSeed: boolean;
  serverMain: string | undefined;
};

function parseArgs(args: string[]): Options {
  const value = (name: string) => argValue(args, name);
  const dialect = dialectArg(args);
  return {
    dialect,
    vpcs: Number(value('--vpcs') ?? 10_000),
    nicsPerVpc: Number(value('--nics-per-vpc') ?? 10),
    batch: Number(value('--batch') ?? 10),
    concurrency: Number(value('--concurrency') ?? 4),
    samples: Number(value('--samples') ?? 200),
    seed: Number(value('--seed') ?? Date.now() % 1_000_000),
    // Starts the server with --heapsnapshot-signal and writes a snapshot after seeding (in the server's data dir's
    // parent, printed on stderr): to find what holds the memory.
    heapSnapshot: args.includes('--heap-snapshot'),
    // Writes the rows straight into the server's database (the reads bench's seed, scripts/bench/reads/seed.ts)
    // instead of through the API: seconds instead of an hour on a loaded machine. Measures the reads only: the
    // seeding figures and the memory during seeding are not the API's then, and the controller holds nothing.
    bulkSeed: args.includes('--bulk-seed'),
    serverMain: value('--server-main'),
  };
}

const round = (n: number, d = 0) => Math.round(n * 10 ** d) / 10 ** d;

export async function run(args: string[] = []): Promise<void> {
  const o = parseArgs(args);
  process.stderr.write(`bench api: ${o.vpcs} VPCs × ${o.nicsPerVpc} NICs on ${o.dialect}, seed ${o.seed}\n`);
  const server = await startServer(o.dialect, {
    // No scheduled reconcile sweep during the run: it would queue a reconcile job per VPC in the middle of the
    // measured reads (its cost is the boot-storm/reconcile benches' subject); the drift watch stays on.
    env: { NETPLANE_RECONCILE_INTERVAL_S: '0', LOG_LEVEL: 'info' },
    nodeArgs: o.heapSnapshot ? ['--heapsnapshot-signal=SIGUSR2'] : [],
    ...(o.serverMain !== undefined && { main: o.serverMain }),
  });
  const memory = sampleMemory(server.pid);
  try {
    const api = new BenchApi(server.url);
    await api.login('admin', server.password);
    const startMem = memoryOf(server.pid);
    let last = 0;
    const progress: Record<string, number>[] = [];
    const seeded = o.bulkSeed
      ? await bulkSeed(server.databaseUrl, o.vpcs, o.nicsPerVpc)
      : await seedVpcs(api, await createInventory(api, o.vpcs), {
          vpcs: o.vpcs,
          nicsPerVpc: o.nicsPerVpc,
          batch: o.batch,
          concurrency: o.concurrency,
          onProgress: (done) => {
            if (done - last >= Math.max(100, o.vpcs / 10) || done === o.vpcs) {
              last = done;
              const m = memoryOf(server.pid);
              void heapOf(server.url).then((h) => {
                progress.push({ vpcs: done, rssMiB: round(m.rssMiB), ...h });
                process.stderr.write(
                  `  seeded ${done} VPCs, server RSS ${round(m.rssMiB)} MiB (peak ${round(m.hwmMiB)}), V8 heap used ${h.heapUsedMiB} of ${h.heapTotalMiB} MiB\n`,
                );
              });
            }
          },
        });
    const afterSeed = memoryOf(server.pid);
    const heapAfterSeed = await heapOf(server.url);
    if (o.heapSnapshot) {
      server.proc.kill('SIGUSR2');
      process.stderr.write(`  heap snapshot requested (written in the server's working directory)\n`);
    }
    const totals = await api.batch<{ total: number }>('query', [['vpcs.list', { limit: 1 }]]);
    const reads = await measureReads(api, seeded, {
      samples: o.samples,
      seed: o.seed,
      serverCpuMs: () => cpuMsOf(server.pid),
    });
    const afterReads = memoryOf(server.pid);
    const heapAfterReads = await heapOf(server.url);
    memory.stop();
    const nics = o.vpcs * o.nicsPerVpc;
    const seedS = seeded.seedMs / 1000;
    const worst = (pick: (r: (typeof reads)[number]) => boolean) =>
      Math.max(0, ...reads.filter(pick).map((r) => r.p99Ms));
    const line = {
      bench: 'api',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: round(totalmem() / 2 ** 30, 1) },
      loadAverage1m: round(loadavg()[0] ?? 0, 1),
      db: o.dialect,
      vpcs: totals[0]?.total ?? 0,
      nics,
      seed: o.seed,
      bulkSeed: o.bulkSeed,
      seeding: {
        seconds: round(seedS, 1),
        vpcsPerSecond: round(o.vpcs / seedS, 1),
        nicsPerSecond: round(nics / seedS),
        batch: o.batch,
        concurrency: o.concurrency,
        failedJobs: seeded.failedJobs,
        conflictsRetried: api.conflictsRetried,
      },
      reads,
      goal: {
        p99UnderMs: 50,
        worstListP99Ms: worst((r) => r.name !== 'vpcs.get'),
        vpcsGetP99Ms: worst((r) => r.name === 'vpcs.get'),
      },
      memoryMiB: {
        atStart: round(startMem.rssMiB),
        afterSeeding: round(afterSeed.rssMiB),
        afterReads: round(afterReads.rssMiB),
        peak: round(afterReads.hwmMiB),
        samples: memory.samples.length,
        heapAfterSeeding: heapAfterSeed,
        heapAfterReads,
        duringSeeding: progress,
      },
    };
    console.log(JSON.stringify(line));
    if (seeded.failedJobs > 0 || line.vpcs !== o.vpcs) process.exitCode = 1;
  } catch (e) {
    process.stderr.write(`server output (tail):\n${server.tail().slice(-4000)}\n`);
    throw e;
  } finally {
    memory.stop();
    await server.stop();
  }
}

/** The reads bench's rows, written into the server's database; the ids measureReads picks from. */
async function bulkSeed(databaseUrl: string, vpcs: number, nicsPerVpc: number) {
  const handle = connect(databaseUrl);
  try {
    const t = performance.now();
    await seedBulk(handle.db, vpcs, nicsPerVpc, Date.now());
    const seedMs = performance.now() - t;
    process.stderr.write(`  bulk-seeded ${vpcs} VPCs in ${round(seedMs / 1000, 1)} s\n`);
    const ids = Array.from({ length: vpcs }, (_, i) => i);
    return {
      seedMs,
      failedJobs: 0,
      vpcIds: ids.map((i) => uuid(1, i)),
      tierIds: ids.map((i) => uuid(2, i)),
    };
  } finally {
    await handle.close();
  }
}
