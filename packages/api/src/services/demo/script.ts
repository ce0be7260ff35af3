// What the demo makes, step by step, through the API's own procedures (the same validation, audit and jobs as a
// person's clicks): a simulator zone with a labelled physical network and a public range, a provider and controller,
// offerings, a healthy VPC (two tiers, NICs, a static NAT and a load balancer) and a VPC whose tier fails at
// negotiation because its offering asks for a label the physical network no longer carries (CloudStack's classic
// "plugin silently skipped"): a real diagnosis to triage.
import { randomBytes } from 'node:crypto';
import type { CoreCaller } from '../../root';
import type { DemoCreated } from './record';

export const DEMO_TAG = 'demo';
/** The label the failing tier's offering asks for, which the demo then takes off its physical network. */
export const DEMO_MISSING_TAG = 'gold';

export type DemoProgress = {
  step(label: string): Promise<void>;
  made<K extends keyof DemoCreated>(kind: K, id: string): Promise<void>;
  vpcs(healthyVpcId: string | null, failingVpcId: string | null): Promise<void>;
};

/** The number of step() calls of runDemoScript, for the progress bar. */
export const DEMO_STEPS = 8;

const EDGE = {
  Dhcp: 'simulator',
  Connectivity: 'simulator',
  SourceNat: 'simulator',
  StaticNat: 'simulator',
  Lb: 'simulator',
};

export async function runDemoScript(
  api: CoreCaller,
  progress: DemoProgress,
  waitForJob: (jobId: string) => Promise<string>,
): Promise<void> {
  await progress.step('Creating the zone and its physical network');
  const zone = await api.zones.create({
    name: 'demo-zone',
    state: 'Enabled',
    description: 'Made by the demo',
  });
  await progress.made('zoneIds', zone.id);
  const pn = await api.physicalNetworks.create({
    zoneId: zone.id,
    name: 'demo-physnet',
    isolationMethods: ['VLAN'],
    // gold too, so the gold offering can be created; it is taken off again before demo-broken is implemented.
    tags: [DEMO_TAG, DEMO_MISSING_TAG],
    vlanRanges: [{ start: 100, end: 199 }],
    trafficTypes: [
      { type: 'Guest', labels: { KVM: 'cloudbr0' } },
      { type: 'Public', labels: { KVM: 'cloudbr1' } },
    ],
    state: 'Enabled',
  });
  await progress.made('physicalNetworkIds', pn.id);
  const range = await api.publicIpRanges.create({
    zoneId: zone.id,
    cidr: '203.0.113.0/24',
    gateway: '203.0.113.1',
    startIp: '203.0.113.10',
    endIp: '203.0.113.60',
  });
  await progress.made('publicIpRangeIds', range.id);

  await progress.step('Adding the simulator provider and its controller');
  const provider = await api.providers.create({ physicalNetworkId: pn.id, adapterId: 'simulator' });
  await progress.made('providerIds', provider.id);
  const controller = await api.controllers.create({
    providerId: provider.id,
    name: 'demo-simulator',
    endpoint: 'sim://demo-simulator',
    // A fresh random password: the demo's credentials are sealed like any other and never shown.
    credentials: { username: 'netplane', password: randomBytes(18).toString('base64url') },
  });
  await progress.made('controllerIds', controller.id);
  await api.providers.setState({ id: provider.id, state: 'Enabled' });

  await progress.step('Creating the offerings');
  const offering = async (
    name: string,
    kind: 'network' | 'vpc',
    serviceProviders: Record<string, string>,
    tags: string[],
  ) => {
    const o = await api.offerings.create({ name, kind, serviceProviders, tags });
    await progress.made('offeringIds', o.id);
    return o.id;
  };
  const vpcOffering = await offering(
    'Demo VPC',
    'vpc',
    { Dhcp: 'simulator', SourceNat: 'simulator', Connectivity: 'simulator' },
    [DEMO_TAG],
  );
  const tierOffering = await offering(
    'Demo tier',
    'network',
    { Dhcp: 'simulator', Connectivity: 'simulator' },
    [DEMO_TAG],
  );
  const webOffering = await offering('Demo web tier (public services)', 'network', EDGE, [DEMO_TAG]);
  const goldOffering = await offering(
    'Demo gold tier',
    'network',
    { Dhcp: 'simulator', Connectivity: 'simulator' },
    [DEMO_MISSING_TAG],
  );

  await progress.step('Creating the VPC demo-shop with tiers web and db');
  const shop = await api.vpcs.create({
    name: 'demo-shop',
    zoneId: zone.id,
    offeringId: vpcOffering,
    cidr: '10.10.0.0/16',
  });
  await progress.made('vpcIds', shop.id);
  await progress.vpcs(shop.id, null);
  const web = await api.tiers.create({
    vpcId: shop.id,
    name: 'web',
    offeringId: webOffering,
    cidr: '10.10.1.0/24',
  });
  const db = await api.tiers.create({
    vpcId: shop.id,
    name: 'db',
    offeringId: tierOffering,
    cidr: '10.10.2.0/24',
  });

  await progress.step('Implementing the tiers of demo-shop');
  for (const t of [web, db]) {
    const { jobId } = await api.tiers.implement({ id: t.id });
    const state = await waitForJob(jobId);
    if (state !== 'succeeded') throw new Error(`implementing tier ${t.name} of demo-shop ended ${state}`);
  }

  await progress.step('Preparing the NICs of the web and db VMs');
  const prepare = async (tierId: string, vmNames: string[]) => {
    const r = await api.nics.prepareBulk({ tierId, nics: vmNames.map((vmName) => ({ vmName })) });
    const state = await waitForJob(r.jobId);
    if (state !== 'succeeded') throw new Error(`preparing NICs ${vmNames.join(', ')} ended ${state}`);
    return r.nics;
  };
  const webNics = await prepare(web.id, ['web-1', 'web-2', 'web-3']);
  await prepare(db.id, ['db-1', 'db-2']);

  await progress.step('Publishing web: a static NAT and a load balancer');
  const [first] = webNics;
  if (first) {
    const natIp = await api.publicIps.acquire({ vpcId: shop.id });
    const nat = await api.staticNat.enable({ nicId: first.id, publicIpId: natIp.id });
    await waitForJob(nat.jobId);
  }
  const lbIp = await api.publicIps.acquire({ vpcId: shop.id });
  const lb = await api.lbRules.create({
    tierId: web.id,
    name: 'web-lb',
    publicIpId: lbIp.id,
    publicPort: 80,
    privatePort: 8080,
    protocol: 'tcp',
    algorithm: 'roundrobin',
    nicIds: webNics.map((n) => n.id),
  });
  await waitForJob(lb.jobId);

  await progress.step(
    'Taking the gold label off demo-physnet, then creating demo-broken, whose tier needs it',
  );
  await api.physicalNetworks.update({ id: pn.id, tags: [DEMO_TAG] });
  const broken = await api.vpcs.create({
    name: 'demo-broken',
    zoneId: zone.id,
    offeringId: vpcOffering,
    cidr: '10.20.0.0/16',
  });
  await progress.made('vpcIds', broken.id);
  await progress.vpcs(shop.id, broken.id);
  const app = await api.tiers.create({
    vpcId: broken.id,
    name: 'app',
    offeringId: goldOffering,
    cidr: '10.20.1.0/24',
  });
  const { jobId } = await api.tiers.implement({ id: app.id });
  // This one is meant to fail: its diagnosis is what the support pages show.
  await waitForJob(jobId);
}
