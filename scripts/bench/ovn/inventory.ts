// Registers the OVN benchmark's inventory through the API, as an admin would in the console: zone, a GENEVE
// physical network, the `ovn` provider, its controller (with a connection test), offerings, a VPC and its tiers.
import type { HttpApi } from './http-api';

type WithId = { id: string };
export type ConnectionTest = {
  ok: boolean;
  version: string | null;
  detail: string | null;
  latencyMs: number;
};
export type OvnInventory = {
  controllerId: string;
  connection: ConnectionTest;
  vpcId: string;
  tierIds: string[];
};

export async function registerOvnInventory(
  api: HttpApi,
  opts: { endpoint: string; tiers: number; services: string[] },
): Promise<OvnInventory> {
  const zone = await api.mutate<WithId>('zones.create', { name: 'bench-zone', state: 'Enabled' });
  const pn = await api.mutate<WithId>('physicalNetworks.create', {
    zoneId: zone.id,
    name: 'bench-geneve',
    isolationMethods: ['GENEVE'],
    tags: ['ovn'],
    vniRanges: [{ start: 5000, end: 5999 }],
    trafficTypes: [{ type: 'Guest', labels: { KVM: 'br-int' } }],
    state: 'Enabled',
  });
  const provider = await api.mutate<WithId>('providers.create', {
    physicalNetworkId: pn.id,
    adapterId: 'ovn',
  });
  // Limits: the adapter's recommended ones (the API's default), as a newcomer would leave them.
  const controller = await api.mutate<WithId>('controllers.create', {
    providerId: provider.id,
    name: 'bench-ovn-nb',
    endpoint: opts.endpoint,
    credentials: {},
  });
  await api.mutate('providers.setState', { id: provider.id, state: 'Enabled' });
  const connection = await api.mutate<ConnectionTest>('controllers.testConnection', { id: controller.id });
  if (!connection.ok) throw new Error(`Test connection failed: ${connection.detail}`);
  const serviceProviders = Object.fromEntries(opts.services.map((s) => [s, 'ovn']));
  const offering = (kind: 'vpc' | 'network') =>
    api.mutate<WithId>('offerings.create', {
      name: `bench-${kind}`,
      kind,
      serviceProviders,
      tags: ['ovn'],
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
  for (let t = 0; t < opts.tiers; t++) {
    const tier = await api.mutate<WithId>('tiers.create', {
      vpcId: vpc.id,
      name: `tier-${t}`,
      offeringId: tierOffering.id,
      cidr: `10.${t}.0.0/16`,
    });
    tierIds.push(tier.id);
  }
  return { controllerId: controller.id, connection, vpcId: vpc.id, tierIds };
}
