// The world of vrouter-packets.test.ts: the built server (which runs the virtual-router adapter out of process, its
// default) logged in over HTTP, and the inventory made through its public API for a virtual-router provider whose
// controller is this machine behind a throw-away sshd (@netplane/adapter-vrouter/testing).

import type { PublicSide, Sshd } from '@netplane/adapter-vrouter/testing';
import type { DialectName } from '@netplane/db';
import { createTestDatabaseUrl } from '@netplane/db/testing';
import { dataOf, type RunningServer, startServerProcess, TrpcClient } from './server-process';

const ADMIN_PASSWORD = 'vrouter-admin-password';
export const ADAPTER_ID = 'virtual-router';

type WithId = { id: string; name: string };
export type Tier = { id: string; name: string; cidr: string; gateway: string; state: string };
export type Nic = { id: string; vmName: string; ip: string; mac: string; state: string };
type Job = {
  id: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  error?: unknown;
};

/** A tRPC client whose calls throw with the procedure and the answer unless they are 200. */
export class Api {
  constructor(readonly c: TrpcClient) {}
  async query<T>(path: string, input?: unknown): Promise<T> {
    const r = await this.c.query(path, input);
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text.slice(0, 600)}`);
    return dataOf<T>(r);
  }
  async mutate<T>(path: string, input?: unknown): Promise<T> {
    const r = await this.c.mutate(path, input);
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text.slice(0, 600)}`);
    return dataOf<T>(r);
  }
  /**
   * Polls the job until it ends; fails only when it shows no progress for `stallMs` (a slow job on a loaded machine
   * is waited for, a hung one is not). Returns the job so the test can show a failure's error.
   */
  async job(jobId: string, stallMs = 60_000): Promise<Job> {
    let seen = '';
    let deadline = Date.now() + stallMs;
    for (;;) {
      const job = await this.query<Job & { progressDone: number; steps: unknown[] }>('jobs.get', {
        id: jobId,
      });
      if (!['queued', 'running'].includes(job.state)) return job;
      const now = `${job.state}:${job.progressDone}:${job.steps.length}`;
      if (now !== seen) {
        seen = now;
        deadline = Date.now() + stallMs;
      }
      if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.state} with no progress`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  /** Runs the job-returning mutation and expects its job to succeed. */
  async done(path: string, input: unknown): Promise<void> {
    const { jobId } = await this.mutate<{ jobId: string | null }>(path, input);
    if (jobId === null) return;
    const job = await this.job(jobId);
    if (job.state !== 'succeeded') throw new Error(`${path}: job ${job.state}: ${JSON.stringify(job.error)}`);
  }
}

export type World = { server: RunningServer; api: Api; drop(): Promise<void> };

export async function startWorld(dialect: DialectName): Promise<World> {
  const database = await createTestDatabaseUrl(dialect);
  const server = await startServerProcess({
    NETPLANE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    // The engine's reconcile and drift watch stay out of the way of the packets the test looks at.
    NETPLANE_RECONCILE_INTERVAL_S: '0',
    ...(dialect === 'mysql' ? { DATABASE_URL: database.url } : {}),
  });
  const c = new TrpcClient(server.url);
  c.timeoutMs = 60_000;
  const login = await c.login('admin', ADMIN_PASSWORD);
  if (login.status !== 200) throw new Error(`login: ${login.status}`);
  return {
    server,
    api: new Api(c),
    async drop() {
      await server.stop('SIGTERM');
      await database.drop();
    },
  };
}

export type Inventory = {
  zoneId: string;
  controllerId: string;
  vpcOfferingId: string;
  /** Tier offerings with every service of the adapter but Firewall: one on VLAN, one on VXLAN. */
  vlanOfferingId: string;
  vxlanOfferingId: string;
};

// Firewall stays out: the public side is then unfiltered, and each public rule is proven by its own packets.
const TIER_SERVICES = [
  'Connectivity',
  'Dhcp',
  'SourceNat',
  'NetworkACL',
  'StaticNat',
  'PortForwarding',
  'Lb',
] as const;
const providers = (services: readonly string[]) => Object.fromEntries(services.map((s) => [s, ADAPTER_ID]));

/**
 * Zone → physical network (VLAN 300-320 and VNI 5000-5020, Guest and Public traffic) → the public range of `pub` →
 * provider virtual-router → its controller (the sshd, its host key pinned, the private key as credential, the public
 * bridge) → offerings.
 */
export async function createInventory(
  api: Api,
  o: { sshd: Sshd; prefix: string; stateDir: string; pub: PublicSide },
): Promise<Inventory> {
  const zone = await api.mutate<WithId>('zones.create', { name: `vr-${o.prefix}`, state: 'Enabled' });
  const pn = await api.mutate<WithId>('physicalNetworks.create', {
    zoneId: zone.id,
    name: `vr-pn-${o.prefix}`,
    isolationMethods: ['VLAN', 'VXLAN'],
    tags: ['vr'],
    vlanRanges: [{ start: 300, end: 320 }],
    vniRanges: [{ start: 5000, end: 5020 }],
    trafficTypes: [
      { type: 'Guest', labels: { KVM: 'cloudbr0' } },
      { type: 'Public', labels: { KVM: o.pub.bridge } },
    ],
    state: 'Enabled',
  });
  const base = o.pub.gateway.slice(0, o.pub.gateway.lastIndexOf('.'));
  await api.mutate('publicIpRanges.create', {
    zoneId: zone.id,
    cidr: o.pub.cidr,
    gateway: o.pub.gateway,
    startIp: `${base}.10`,
    endIp: `${base}.60`,
  });
  const provider = await api.mutate<WithId>('providers.create', {
    physicalNetworkId: pn.id,
    adapterId: ADAPTER_ID,
  });
  const controller = await api.mutate<WithId>('controllers.create', {
    providerId: provider.id,
    name: `vr-${o.prefix}`,
    endpoint: `ssh://root@127.0.0.1:${o.sshd.port}`,
    credentials: { privateKey: o.sshd.privateKey },
    config: {
      hostKey: o.sshd.hostKey,
      namePrefix: o.prefix,
      stateDir: o.stateDir,
      publicBridge: o.pub.bridge,
    },
    limits: { timeoutMs: 60_000 },
  });
  await api.mutate('providers.setState', { id: provider.id, state: 'Enabled' });
  const offering = (kind: 'vpc' | 'network', services: readonly string[], isolationMethod?: string) =>
    api.mutate<WithId>('offerings.create', {
      name: `vr-${kind}-${isolationMethod ?? 'vpc'}-${o.prefix}`.toLowerCase(),
      kind,
      serviceProviders: providers(services),
      tags: ['vr'],
      ...(isolationMethod && { isolationMethod }),
    });
  return {
    zoneId: zone.id,
    controllerId: controller.id,
    vpcOfferingId: (await offering('vpc', ['Connectivity', 'Dhcp', 'SourceNat'])).id,
    vlanOfferingId: (await offering('network', TIER_SERVICES, 'VLAN')).id,
    vxlanOfferingId: (await offering('network', TIER_SERVICES, 'VXLAN')).id,
  };
}

export async function createVpc(api: Api, inv: Inventory, name: string, cidr: string) {
  return api.mutate<WithId>('vpcs.create', { name, zoneId: inv.zoneId, offeringId: inv.vpcOfferingId, cidr });
}

/** Creates and implements the tier, then prepares one NIC per VM name on it. */
export async function createTier(
  api: Api,
  o: { vpcId: string; name: string; offeringId: string; cidr: string; vms: string[] },
): Promise<{ tier: Tier; nics: Nic[] }> {
  const created = await api.mutate<Tier>('tiers.create', {
    vpcId: o.vpcId,
    name: o.name,
    offeringId: o.offeringId,
    cidr: o.cidr,
  });
  await api.done('tiers.implement', { id: created.id });
  await api.done('nics.prepareBulk', { tierId: created.id, nics: o.vms.map((vmName) => ({ vmName })) });
  const { items } = await api.query<{ items: Nic[] }>('nics.list', { tierId: created.id, limit: 200 });
  const tier = await api.query<Tier>('tiers.get', { id: created.id });
  return { tier, nics: [...items].sort((a, b) => a.vmName.localeCompare(b.vmName)) };
}
