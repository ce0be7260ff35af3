// The trace benchmark's inventory through the API, as an admin would make it: zone, a GENEVE physical network, one
// provider of the adapter (ovn or simulator) with its controller, offerings with Connectivity and NetworkACL, a VPC
// and its tiers; then `nics` NICs spread over the tiers, prepared with one bulk request per tier.
import type { HttpApi } from '../ovn/http-api';
import type { jobEnds } from '../ovn/job-ends';

type WithId = { id: string };
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
  const zone = await api.mutate<WithId>('zones.create', { name: 'bench-zone', state: 'Enabled' });
  const pn = await api.mutate<WithId>('physicalNetworks.create', {
    zoneId: zone.id,
    name: 'bench-geneve',
    isolationMethods: ['GENEVE'],
    tags: ['bench'],
    vniRanges: [{ start: 5000, end: 5999 }],
    trafficTypes: [{ type: 'Guest', labels: { KVM: 'br-int' } }],
    state: 'Enabled',
  });
  const provider = await api.mutate<WithId>('providers.create', {
    physicalNetworkId: pn.id,
    adapterId: o.adapterId,
  });
  await api.mutate<WithId>('controllers.create', {
    providerId: provider.id,
    name: `bench-${o.adapterId}`,
    endpoint: o.endpoint,
    credentials: o.credentials,
    config: o.config,
  });
  await api.mutate('providers.setState', { id: provider.id, state: 'Enabled' });
  const serviceProviders = { Connectivity: o.adapterId, NetworkACL: o.adapterId };
  const offering = (kind: 'vpc' | 'network') =>
    api.mutate<WithId>('offerings.create', {
      name: `bench-${kind}`,
      kind,
      serviceProviders,
      tags: ['bench'],
      isolationMethod: 'GENEVE',
    });
  const [vpcOffering, tierOffering] = [await offering('vpc'), await offering('network')];
  const vpc = await api.mutate<WithId>('vpcs.create', {
    name: 'bench-vpc',
    zoneId: zone.id,
    offeringId: vpcOffering.id,
    cidr: '10.0.0.0/8',
  });
  const tierIds: string[] = [];
  for (let t = 0; t < o.tiers; t++) {
    const tier = await api.mutate<WithId>('tiers.create', {
      vpcId: vpc.id,
      name: `tier-${t}`,
      offeringId: tierOffering.id,
      cidr: `10.${t}.0.0/16`,
    });
    tierIds.push(tier.id);
  }
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
  return { vpcId: vpc.id, tierIds, nics: prepared.flatMap((p) => p.nics) };
}
