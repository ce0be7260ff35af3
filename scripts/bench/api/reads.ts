// The console's reads, each timed as one HTTP request from this client (sequential, so each figure is one request's
// latency, not queueing): list pages (first, a deep keyset cursor, a name search), the dashboard's count queries,
// details, a tier's NICs, jobs, calls of a VPC, diagnostics and the triage queue. Random picks use a logged seed.
import type { BenchApi } from './client';

type Page = { items: { id: string }[]; nextCursor: string | null; total: number };
export type ReadFigure = {
  name: string;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The server process's CPU time over the samples, per request: what the read costs whatever the machine's load. */
  serverCpuMsPerRequest?: number;
};

/** Mulberry32: a small seeded generator, so a run can be repeated with its seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
const round = (n: number) => Math.round(n * 10) / 10;

/** The cursor of the page in the middle of the VPC list (walked with the largest page the API allows). */
async function middleCursor(api: BenchApi, total: number): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let seen = 0; seen < total / 2; seen += 200) {
    const page: Page = await api.query('vpcs.list', { limit: 200, ...(cursor && { cursor }) });
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return cursor;
}

export async function measureReads(
  api: BenchApi,
  ids: { vpcIds: readonly string[]; tierIds: readonly string[] },
  o: { samples: number; seed: number; serverCpuMs?: () => number },
): Promise<ReadFigure[]> {
  const pick = random(o.seed);
  const any = (list: readonly string[]) => list[Math.floor(pick() * list.length)] as string;
  const deep = await middleCursor(api, ids.vpcIds.length);
  const reads: [string, () => [string, unknown]][] = [
    ['vpcs.list first page', () => ['vpcs.list', { limit: 50 }]],
    ['vpcs.list deep cursor', () => ['vpcs.list', { limit: 50, ...(deep && { cursor: deep }) }]],
    ['vpcs.list name search', () => ['vpcs.list', { limit: 50, name: `vpc-${Math.floor(pick() * 1000)}` }]],
    ['vpcs.get', () => ['vpcs.get', { id: any(ids.vpcIds) }]],
    ['nics.list of a tier', () => ['nics.list', { tierId: any(ids.tierIds), limit: 50 }]],
    ['jobs.list', () => ['jobs.list', { limit: 50 }]],
    ['jobs.list failed (dashboard)', () => ['jobs.list', { state: 'failed', limit: 5 }]],
    ['calls.byVpc', () => ['calls.byVpc', { vpcId: any(ids.vpcIds), limit: 200 }]],
    ['calls.recent', () => ['calls.recent', { limit: 50 }]],
    ['calls.rates (dashboard)', () => ['calls.rates', { buckets: 5, bucketSeconds: 60 }]],
    ['diagnostics.list open', () => ['diagnostics.list', { openOnly: true, limit: 50 }]],
    ['diagnostics.stuck', () => ['diagnostics.stuck', {}]],
    ['support.queue (triage)', () => ['support.queue', {}]],
    ['dashboard count: VPCs', () => ['vpcs.list', { limit: 1 }]],
    [
      'dashboard count: not Synced',
      () => ['vpcs.list', { limit: 1, condition: { type: 'Synced', status: 'False' } }],
    ],
    ['dashboard count: in Error', () => ['vpcs.list', { limit: 1, state: 'Error' }]],
  ];
  const figures: ReadFigure[] = [];
  for (const [name, make] of reads) {
    // A few unmeasured requests first: the figure is of a warm server, as a console polling every 5 s sees it.
    for (let i = 0; i < 5; i++) await api.query(...make());
    const ms: number[] = [];
    const cpu0 = o.serverCpuMs?.();
    for (let i = 0; i < o.samples; i++) {
      const [path, input] = make();
      const t0 = performance.now();
      await api.query(path, input);
      ms.push(performance.now() - t0);
    }
    const cpu = cpu0 === undefined ? undefined : ((o.serverCpuMs?.() ?? 0) - cpu0) / o.samples;
    ms.sort((a, b) => a - b);
    figures.push({
      ...(cpu !== undefined && { serverCpuMsPerRequest: round(cpu) }),
      name,
      samples: ms.length,
      p50Ms: round(quantile(ms, 0.5)),
      p99Ms: round(quantile(ms, 0.99)),
      maxMs: round(ms[ms.length - 1] ?? 0),
    });
  }
  return figures;
}
