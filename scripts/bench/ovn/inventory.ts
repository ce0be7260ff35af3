// Registers a benchmark's inventory through the API, as an admin would in the console: zone, a GENEVE physical
// network, one provider of the adapter with its controller, offerings, a VPC and its tiers. The OVN benchmark adds a
// connection test; the trace benchmark (../trace/inventory.ts) implements the tiers and prepares NICs after.
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

/** Zone → GENEVE physical network (tagged `tag`) → the adapter's provider → its controller; the provider enabled. */
export async function registerBenchController(
  api: HttpApi,
  o: { adapterId: string; tag: string; endpoint: string; credentials: object; config?: object },
): Promise<{ zoneId: string; controllerId: string }> {
  const zone = await api.mutate<WithId>('zones.create', { name: 'bench-zone', state: 'Enabled' });
  const pn = await api.mutate<WithId>('physicalNetworks.create', {
    zoneId: zone.id,
    name: 'bench-geneve',
    isolationMethods: ['GENEVE'],
    tags: [o.tag],
    vniRanges: [{ start: 5000, end: 5999 }],
    trafficTypes: [{ type: 'Guest', labels: { KVM: 'br-int' } }],
    state: 'Enabled',
  });
  const provider = await api.mutate<WithId>('providers.create', {
    physicalNetworkId: pn.id,
    adapterId: o.adapterId,
  });
  // Limits: the adapter's recommended ones (the API's default), as a newcomer would leave them.
  const controller = await api.mutate<WithId>('controllers.create', {
    providerId: provider.id,
    name: `bench-${o.adapterId}`,
    endpoint: o.endpoint,
    credentials: o.credentials,
    ...(o.config ? { config: o.config } : {}),
  });
  await api.mutate('providers.setState', { id: provider.id, state: 'Enabled' });
  return { zoneId: zone.id, controllerId: controller.id };
}

/** A VPC offering and a tier offering of `serviceProviders` (tagged `tag`), a VPC 10.0.0.0/8 and `tiers` tiers. */
export async function createBenchVpc(
  api: HttpApi,
  o: { zoneId: string; tag: string; serviceProviders: Record<string, string>; tiers: number },
): Promise<{ vpcId: string; tierIds: string[] }> {
  const offering = (kind: 'vpc' | 'network') =>
    api.mutate<WithId>('offerings.create', {
      name: `bench-${kind}`,
      kind,
      serviceProviders: o.serviceProviders,
      tags: [o.tag],
      isolationMethod: 'GENEVE',
    });
  const [vpcOffering, tierOffering] = [await offering('vpc'), await offering('network')];
  const vpc = await api.mutate<WithId>('vpcs.create', {
    name: 'bench-vpc',
    zoneId: o.zoneId,
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
  return { vpcId: vpc.id, tierIds };
}

export async function registerOvnInventory(
  api: HttpApi,
  opts: { endpoint: string; tiers: number; services: string[] },
): Promise<OvnInventory> {
  const { zoneId, controllerId } = await registerBenchController(api, {
    adapterId: 'ovn',
    tag: 'ovn',
    endpoint: opts.endpoint,
    credentials: {},
  });
  const connection = await api.mutate<ConnectionTest>('controllers.testConnection', { id: controllerId });
  if (!connection.ok) throw new Error(`Test connection failed: ${connection.detail}`);
  const serviceProviders = Object.fromEntries(opts.services.map((s) => [s, 'ovn']));
  const vpc = await createBenchVpc(api, { zoneId, tag: 'ovn', serviceProviders, tiers: opts.tiers });
  return { controllerId, connection, ...vpc };
}
