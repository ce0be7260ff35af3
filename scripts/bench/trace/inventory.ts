// The trace benchmark's inventory through the API, as an admin would make it: zone, a GENEVE physical network, one
// provider of the adapter (ovn or simulator) with its controller, offerings with Connectivity and NetworkACL, a VPC
// and its tiers; then `nics` NICs spread over the tiers, prepared with one bulk request per tier.
import type { HttpApi } from '../ovn/http-api';
import { createBenchVpc, registerBenchController } from '../ovn/inventory';
import type { jobEnds } from '../ovn/job-ends';

export type TraceInventory = { vpcId: string; tierIds: string[]; nics: { id: string; networkId: string }[] };

export async function registerTraceInventory(
  api: HttpApi,
  ends: ReturnType<typeof jobEnds>,
  o: {
    adapterId: string;
    endpoint: string;
    credentials: object;
    config: object;
    tiers: number;
    nics: number;
  },
): Promise<TraceInventory> {
  const { zoneId } = await registerBenchController(api, { ...o, tag: 'bench' });
  const { vpcId, tierIds } = await createBenchVpc(api, {
    zoneId,
    tag: 'bench',
    serviceProviders: { Connectivity: o.adapterId, NetworkACL: o.adapterId },
    tiers: o.tiers,
  });
  const implemented = await ends.wait(
    await Promise.all(
      tierIds.map(async (id) => (await api.mutate<{ jobId: string }>('tiers.implement', { id })).jobId),
    ),
  );
  if (implemented.states.some((s) => s !== 'succeeded')) throw new Error(`implement: ${implemented.states}`);
  const perTier = (t: number) => Math.floor(o.nics / o.tiers) + (t < o.nics % o.tiers ? 1 : 0);
  const prepared = await Promise.all(
    tierIds.map((tierId, t) =>
      api.mutate<{ jobId: string; nics: { id: string; networkId: string }[] }>('nics.prepareBulk', {
        tierId,
        nics: Array.from({ length: perTier(t) }, (_, n) => ({ vmName: `vm-${t}-${n}` })),
      }),
    ),
  );
  const done = await ends.wait(prepared.map((p) => p.jobId));
  if (done.states.some((s) => s !== 'succeeded')) throw new Error(`prepare: ${done.states}`);
  return { vpcId, tierIds, nics: prepared.flatMap((p) => p.nics) };
}
