// The virtual-router bench's inventory, registered through the API as an admin would: zone, a VLAN physical network,
// a virtual-router provider whose controller is the bench's sshd, offerings of Connectivity and Dhcp, a VPC, the
// storm's tier and the baseline's tier (both implemented, each with its bridge and dnsmasq on the host).
import type { HttpApi } from '../ovn/http-api';

type WithId = { id: string };

export type VrouterInventory = {
  vpcId: string;
  tierId: string;
  implementJobId: string;
  baselineTierId: string;
};

export async function registerVrouterTier(
  api: HttpApi,
  o: { endpoint: string; privateKey: string; config: object; vlan: number },
): Promise<VrouterInventory & { waitBaseline(): Promise<void> }> {
  const zone = await api.mutate<WithId>('zones.create', { name: 'bench-zone', state: 'Enabled' });
  const pn = await api.mutate<WithId>('physicalNetworks.create', {
    zoneId: zone.id,
    name: 'bench-vlan',
    isolationMethods: ['VLAN'],
    tags: ['vr'],
    vlanRanges: [{ start: o.vlan, end: o.vlan + 1 }],
    trafficTypes: [{ type: 'Guest', labels: { KVM: 'br-guest' } }],
    state: 'Enabled',
  });
  const provider = await api.mutate<WithId>('providers.create', {
    physicalNetworkId: pn.id,
    adapterId: 'virtual-router',
  });
  await api.mutate<WithId>('controllers.create', {
    providerId: provider.id,
    name: 'bench-router-host',
    endpoint: o.endpoint,
    credentials: { privateKey: o.privateKey },
    config: o.config,
  });
  await api.mutate('providers.setState', { id: provider.id, state: 'Enabled' });
  const serviceProviders = { Connectivity: 'virtual-router', Dhcp: 'virtual-router' };
  const offering = (kind: 'vpc' | 'network') =>
    api.mutate<WithId>('offerings.create', {
      name: `bench-vr-${kind}`,
      kind,
      serviceProviders,
      tags: ['vr'],
      isolationMethod: 'VLAN',
    });
  const [vpcOffering, tierOffering] = [await offering('vpc'), await offering('network')];
  const vpc = await api.mutate<WithId>('vpcs.create', {
    name: 'bench-vpc',
    zoneId: zone.id,
    offeringId: vpcOffering.id,
    cidr: '10.0.0.0/8',
  });
  const tier = (name: string, cidr: string) =>
    api.mutate<WithId>('tiers.create', { vpcId: vpc.id, name, offeringId: tierOffering.id, cidr });
  const storm = await tier('storm', '10.201.0.0/16');
  const base = await tier('baseline', '10.202.0.0/16');
  const implement = async (id: string) =>
    (await api.mutate<{ jobId: string }>('tiers.implement', { id })).jobId;
  const implementJobId = await implement(storm.id);
  const baseJob = await implement(base.id);
  return {
    vpcId: vpc.id,
    tierId: storm.id,
    implementJobId,
    baselineTierId: base.id,
    async waitBaseline() {
      for (let i = 0; i < 600; i++) {
        const job = await api.query<{ state: string }>('jobs.get', { id: baseJob });
        if (job.state === 'succeeded') return;
        if (job.state === 'failed' || job.state === 'cancelled')
          throw new Error(`baseline tier: ${job.state}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('baseline tier not implemented in 60 s');
    },
  };
}
