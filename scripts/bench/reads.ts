// Read benchmark at the SQL level: a fresh database bulk-seeded in one transaction (scripts/bench/reads/seed.ts, 10,000
// VPCs / 100,000 NICs in seconds), then the repositories' queries behind the console's slow reads, each timed in
// process (p50/p99 over `--samples`) with the plan the database chose (EXPLAIN QUERY PLAN / EXPLAIN) for every
// statement it ran. No server, no HTTP: what is left is the query's own cost.
// `npm run bench -- reads [--db sqlite|mysql] [--vpcs 10000] [--nics-per-vpc 10] [--samples 30] [--plans] [--keep]`
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  callRatesRepo,
  type DialectName,
  elementCallsRepo,
  jobsRepo,
  nicsRepo,
  stuckWorkRepo,
  triageQueueRepo,
  vpcsRepo,
} from '@netplane/db';
import { createTestDatabase } from '@netplane/db/testing';
import { listStuckWork, listTriageQueue } from '@netplane/engine';
import { type CompiledQuery, type KyselyPlugin, sql } from 'kysely';
import { seedBulk, uuid } from './reads/seed';

const TRANSITIONAL = {
  vpcs: ['Implementing', 'Shutdown-ing', 'Destroying'],
  networks: ['Implementing'],
  nics: ['Reserving', 'Releasing', 'Deallocating'],
};

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string', default: 'sqlite' },
      vpcs: { type: 'string', default: '10000' },
      'nics-per-vpc': { type: 'string', default: '10' },
      samples: { type: 'string', default: '30' },
      plans: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const dialect = values.db as DialectName;
  const handle = await createTestDatabase(dialect);
  try {
    const now = Date.now();
    const t = performance.now();
    const counts = await seedBulk(handle.db, Number(values.vpcs), Number(values['nics-per-vpc']), now);
    const seedS = (performance.now() - t) / 1000;
    process.stderr.write(`seeded ${JSON.stringify(counts)} in ${seedS.toFixed(1)} s\n`);
    // Captures the SQL each read runs, to explain it below.
    const captured: CompiledQuery[] = [];
    const capture: KyselyPlugin = {
      transformQuery: (a) => {
        captured.push(handle.db.getExecutor().compileQuery(a.node, a.queryId));
        return a.node;
      },
      transformResult: async (a) => a.result,
    };
    const db = handle.db.withPlugin(capture);
    const threshold = 15 * 60_000;
    // The page in the middle of the VPC list (as the API bench's deep cursor), walked with the largest page.
    let deep: string | undefined;
    for (let seen = 0; seen < counts.vpcs / 2; seen += 200) {
      const page = await vpcsRepo.listVpcs(handle.db, { limit: 200, ...(deep && { cursor: deep }) });
      if (!page.nextCursor) break;
      deep = page.nextCursor;
    }
    // Details and a tier's NICs of a VPC picked per sample (a fixed sequence: every run reads the same ones).
    let pick = 0;
    const nextIndex = () => (pick = (pick * 7919 + 1) % counts.vpcs);
    const reads: [string, () => Promise<unknown>][] = [
      ['vpcs.list first page', () => vpcsRepo.listVpcs(db, { limit: 50 })],
      ['vpcs.list deep cursor', () => vpcsRepo.listVpcs(db, { limit: 50, ...(deep && { cursor: deep }) })],
      ['vpcs.get', () => vpcsRepo.getVpc(db, uuid(1, nextIndex()))],
      ['nics.list of a tier', () => nicsRepo.pageNics(db, { networkId: uuid(2, nextIndex()), limit: 50 })],
      ['jobs.list', () => jobsRepo.pageJobs(db, { limit: 50 })],
      ['vpcs.list name search', () => vpcsRepo.listVpcs(db, { limit: 50, nameContains: 'vpc-123' })],
      [
        'count: not Synced',
        () => vpcsRepo.listVpcs(db, { limit: 1, condition: { type: 'Synced', status: 'False' } }),
      ],
      ['calls.recent', () => elementCallsRepo.pageCalls(db, { limit: 50 })],
      [
        'calls.rates (dashboard)',
        () => callRatesRepo.callRates(db, { until: now, buckets: 5, bucketMs: 60_000 }),
      ],
      [
        'diagnostics.stuck',
        async () => {
          await stuckWorkRepo.overdueJobs(db, now, 500);
          for (const table of ['vpcs', 'networks', 'nics'] as const)
            await stuckWorkRepo.entitiesStuckIn(db, table, TRANSITIONAL[table], now - threshold, 500);
        },
      ],
      [
        'support.queue',
        () =>
          triageQueueRepo.pageQueue(db, {
            limit: 50,
            now,
            entityThresholdMs: threshold,
            transitional: TRANSITIONAL,
          }),
      ],
      // The engine's functions the API calls: the queries above plus what each does per listed row.
      ['diagnostics.stuck (engine)', () => listStuckWork(db, { now })],
      ['support.queue (engine)', () => listTriageQueue(db, { now, limit: 50 })],
    ];
    const samples = Number(values.samples);
    // cpuMs: this process's CPU time per read (user + system). On SQLite the query runs in this process, so it is
    // the query's own cost, which a saturated machine does not stretch the way it stretches the wall times.
    const out: Record<string, { p50: number; p99: number; cpuMs: number }> = {};
    for (const [name, read] of reads) {
      for (let i = 0; i < 3; i++) await read();
      const ms: number[] = [];
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < samples; i++) {
        const s = performance.now();
        await read();
        ms.push(performance.now() - s);
      }
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = Math.round(((cpu.user + cpu.system) / 1000 / samples) * 10) / 10;
      ms.sort((a, b) => a - b);
      const at = (q: number) =>
        Math.round((ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0) * 10) / 10;
      out[name] = { p50: at(0.5), p99: at(0.99), cpuMs };
      if (values.plans) {
        captured.length = 0;
        await read();
        for (const q of captured)
          process.stderr.write(`\n## ${name}\n${q.sql}\n${await explain(handle, q)}\n`);
      }
    }
    process.stdout.write(`${JSON.stringify({ dialect, counts, seedS, loadavg: loadavg()[0], ms: out })}\n`);
  } finally {
    if (values.keep) {
      process.stderr.write(`kept ${handle.url} (drop it by hand)\n`);
      await handle.close();
    } else await handle.drop();
  }
}

async function explain(
  handle: Awaited<ReturnType<typeof createTestDatabase>>,
  q: CompiledQuery,
): Promise<string> {
  // MariaDB: ANALYZE runs the statement and reports what each table access read (rows, InnoDB pages), which a loaded
  // machine does not change; the bench database is thrown away, so running a statement once more is harmless.
  const prefix = handle.dialect === 'sqlite' ? 'explain query plan ' : 'analyze format=json ';
  const r = await handle.db.executeQuery({
    ...q,
    sql: prefix + q.sql,
    query: sql``.toOperationNode(),
  } as never);
  if (handle.dialect === 'sqlite') return r.rows.map((row) => JSON.stringify(row)).join('\n');
  const tables: unknown[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      const t = o.table as Record<string, unknown> | undefined;
      if (t && typeof t === 'object' && 'table_name' in t) {
        const stats = t.r_engine_stats as { pages_accessed?: number } | undefined;
        tables.push({
          table: t.table_name,
          access: t.access_type,
          key: t.key ?? null,
          rows: t.r_rows,
          pages: stats?.pages_accessed ?? null,
        });
      }
      Object.values(o).forEach(walk);
    }
  };
  for (const row of r.rows) {
    const text = String(Object.values(row as object)[0]);
    try {
      walk(JSON.parse(text));
    } catch {
      // MariaDB writes some conditions into its JSON unescaped: read the figures out of the text instead.
      for (const m of text.matchAll(/"table_name": "([^"]+)"[\s\S]*?"r_rows": ([\d.]+)/g))
        tables.push({ table: m[1], rows: Number(m[2]), note: 'from the text' });
    }
  }
  return tables.map((t) => JSON.stringify(t)).join('\n');
}
