// Seeds the bench's inventory and its VPCs through the public API, as a console or an automation would: zone,
// VXLAN physical network, simulator provider and controller (latency 0), offerings; then per group of VPCs one batched
// request each for vpcs.create, tiers.create and tiers.implement, a wait on those jobs, and one batched
// nics.prepareBulk; a bounded number of groups in flight. The last step waits for every job to end.
import { type BenchApi, chunk, pool } from './client';

type WithId = { id: string };
type Job = { id: string; state: string };

export type Inventory = {
  zoneId: string;
  controllerId: string;
  vpcOfferingId: string;
  tierOfferingId: string;
};
export type Seeded = {
  vpcIds: string[];
  tierIds: string[];
  seedMs: number;
  failedJobs: number;
  prepareJobs: number;
};

export async function createInventory(api: BenchApi, vpcs: number): Promise<Inventory> {
  const zone = await api.mutate<WithId>('zones.create', { name: 'bench-zone', state: 'Enabled' });
  const pn = await api.mutate<WithId>('physicalNetworks.create', {
    zoneId: zone.id,
    name: 'bench-vxlan',
    isolationMethods: ['VXLAN'],
    tags: ['bench'],
    // One segment per tier, with room to spare.
    vniRanges: [{ start: 10_000, end: 10_000 + vpcs * 2 }],
    trafficTypes: [{ type: 'Guest', labels: { KVM: 'cloudbr0' } }],
    state: 'Enabled',
  });
  const provider = await api.mutate<WithId>('providers.create', {
    physicalNetworkId: pn.id,
    adapterId: 'simulator',
  });
  const controller = await api.mutate<WithId>('controllers.create', {
    providerId: provider.id,
    name: 'bench-sim',
    endpoint: 'sim://bench-sim',
    credentials: { username: 'bench', password: 'bench-not-a-secret' },
  });
  await api.mutate('providers.setState', { id: provider.id, state: 'Enabled' });
  // Latency 0, no rate limit on the simulated side: the figures are Netplane's own.
  await api.mutate('simulator.setProfile', {
    controllerId: controller.id,
    profile: { latencyMs: 0, jitterMs: 0, rateLimitPerSecond: null, maxConcurrent: null },
  });
  const offering = (kind: 'vpc' | 'network', serviceProviders: Record<string, string>) =>
    api.mutate<WithId>('offerings.create', {
      name: `bench-${kind}`,
      kind,
      serviceProviders,
      tags: ['bench'],
      isolationMethod: 'VXLAN',
    });
  const vpcOffering = await offering('vpc', { Connectivity: 'simulator' });
  const tierOffering = await offering('network', { Connectivity: 'simulator', Dhcp: 'simulator' });
  return {
    zoneId: zone.id,
    controllerId: controller.id,
    vpcOfferingId: vpcOffering.id,
    tierOfferingId: tierOffering.id,
  };
}

/** Polls the jobs (one batched jobs.get) until each has ended; returns how many did not succeed. */
async function waitJobs(api: BenchApi, jobIds: readonly string[]): Promise<number> {
  let open = [...jobIds];
  let failed = 0;
  while (open.length > 0) {
    const jobs = await api.batch<Job>(
      'query',
      open.map((id) => ['jobs.get', { id }] as const),
    );
    const ended = jobs.filter(
      (j) => j.state === 'succeeded' || j.state === 'failed' || j.state === 'cancelled',
    );
    failed += ended.filter((j) => j.state !== 'succeeded').length;
    const done = new Set(ended.map((j) => j.id));
    open = open.filter((id) => !done.has(id));
    if (open.length > 0) await new Promise((r) => setTimeout(r, 50));
  }
  return failed;
}

export async function seedVpcs(
  api: BenchApi,
  inv: Inventory,
  o: {
    vpcs: number;
    nicsPerVpc: number;
    batch: number;
    concurrency: number;
    onProgress?: (done: number) => void;
  },
): Promise<Seeded> {
  const vpcIds: string[] = [];
  const tierIds: string[] = [];
  const prepareJobs: string[] = [];
  let failedJobs = 0;
  let done = 0;
  const t0 = performance.now();
  const groups = chunk(
    Array.from({ length: o.vpcs }, (_, i) => i),
    o.batch,
  );
  await pool(groups, o.concurrency, async (group) => {
    const vpcs = await api.batch<WithId>(
      'mutation',
      group.map((i) => [
        'vpcs.create',
        { name: `bench-vpc-${i}`, zoneId: inv.zoneId, offeringId: inv.vpcOfferingId, cidr: '10.0.0.0/16' },
      ]),
    );
    const tiers = await api.batch<WithId>(
      'mutation',
      vpcs.map((v) => [
        'tiers.create',
        { vpcId: v.id, name: 'web', offeringId: inv.tierOfferingId, cidr: '10.0.1.0/24' },
      ]),
    );
    const implement = await api.batch<{ jobId: string }>(
      'mutation',
      tiers.map((t) => ['tiers.implement', { id: t.id }]),
    );
    failedJobs += await waitJobs(
      api,
      implement.map((j) => j.jobId),
    );
    const prepared = await api.batch<{ jobId: string }>(
      'mutation',
      tiers.map((t, n) => [
        'nics.prepareBulk',
        {
          tierId: t.id,
          nics: Array.from({ length: o.nicsPerVpc }, (_, k) => ({ vmName: `vm-${group[n]}-${k}` })),
        },
      ]),
    );
    prepareJobs.push(...prepared.map((j) => j.jobId));
    vpcIds.push(...vpcs.map((v) => v.id));
    tierIds.push(...tiers.map((t) => t.id));
    done += group.length;
    o.onProgress?.(done);
  });
  // Until no job is queued or running (two counts per poll), then the failures among every job of the run.
  for (;;) {
    const [queued, running] = await api.batch<{ total: number }>('query', [
      ['jobs.list', { state: 'queued', limit: 1 }],
      ['jobs.list', { state: 'running', limit: 1 }],
    ]);
    if ((queued?.total ?? 0) + (running?.total ?? 0) === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const seedMs = performance.now() - t0;
  const failed = await api.query<{ total: number }>('jobs.list', { state: 'failed', limit: 1 });
  return {
    vpcIds,
    tierIds,
    seedMs,
    failedJobs: Math.max(failedJobs, failed.total),
    prepareJobs: prepareJobs.length,
  };
}
