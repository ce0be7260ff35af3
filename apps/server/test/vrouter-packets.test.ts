// The virtual router through the public API with real packets: the built server runs the adapter out of process
// (its default), the controller is this machine behind a throw-away sshd, and every assertion is a packet between
// "VM" namespaces on the NICs' peers and a "public" namespace on the controller's public bridge. Needs root, sshd,
// dnsmasq, nft, haproxy and busybox (scripts/system-deps.sh), like packages/adapter-vrouter's own tests.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  attachVm,
  connect,
  dhcp,
  type Listener,
  linksOf,
  listen,
  namespacesOf,
  type PublicSide,
  pings,
  processesWith,
  type RouterHost,
  run,
  startRouterHost,
  unreachable,
} from '@netplane/adapter-vrouter/testing';
import { testDialects } from '@netplane/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADAPTER_ID,
  createInventory,
  createTier,
  createVpc,
  type Inventory,
  type Nic,
  startWorld,
  type Tier,
  type World,
} from './vrouter-world';

type Vm = { nic: Nic; ns: string; ifname: string };

describe.each(testDialects())('virtual router through the API with packets on %s', (dialect) => {
  let h: RouterHost & { pub: PublicSide };
  let world: World;
  let inv: Inventory;
  const vpcs: Record<string, string> = {};
  const tiers: Record<string, Tier> = {};
  const vms: Record<string, Vm> = {};
  const listeners: Listener[] = [];
  const api = () => world.api;

  beforeAll(async () => {
    // The public side is asked for: startRouterHost made it.
    h = (await startRouterHost(`api-${dialect}`, 115)) as RouterHost & { pub: PublicSide };
    console.log(`vrouter-packets on ${dialect}: prefix ${h.prefix}`);
    world = await startWorld(dialect);
    h.onStop(() => world.drop());
  });
  afterAll(async () => {
    for (const l of listeners) l.stop();
    await h?.stop();
  });

  const vm = (name: string): Vm => {
    const v = vms[name];
    if (!v) throw new Error(`no VM ${name} (an earlier step failed)`);
    return v;
  };

  async function attach(name: string, nic: Nic): Promise<Vm> {
    const ifname = h.names.nicPeer(nic.id);
    const v = { nic, ns: await attachVm(h.prefix, ifname, name), ifname };
    vms[name] = v;
    return v;
  }

  it('loads virtual-router out of process and tests the controller: the host versions', async () => {
    const adapters =
      await api().query<{ id: string; status: string; runtime: { kind: string } | null }[]>('adapters.list');
    expect(adapters.find((a) => a.id === ADAPTER_ID)).toMatchObject({
      status: 'Fully Loaded',
      runtime: { kind: 'process' },
    });
    inv = await createInventory(api(), { sshd: h.sshd, prefix: h.prefix, stateDir: h.stateDir, pub: h.pub });
    const test = await api().mutate<{ ok: boolean; version?: string | null }>('controllers.testConnection', {
      id: inv.controllerId,
    });
    expect(test.ok).toBe(true);
    expect(test.version).toMatch(/^Linux \S+; iproute2-\S+; dnsmasq \S+; nftables v\S+/);
    // The credential went in and never comes out: not in the controller's answer, not in the server's log.
    const controller = await api().query<Record<string, unknown>>('controllers.get', {
      id: inv.controllerId,
    });
    const keyLine = h.sshd.privateKey.split('\n')[1] as string;
    expect(JSON.stringify(controller)).not.toContain(keyLine);
    expect(world.server.output()).not.toContain(keyLine);
  });

  it('builds a VPC with web (VLAN) and db (VXLAN) tiers and another VPC; every VM gets its lease by DHCP', async () => {
    vpcs.app = (await createVpc(api(), inv, `app-${h.prefix}`, '10.61.0.0/16')).id;
    vpcs.other = (await createVpc(api(), inv, `other-${h.prefix}`, '10.62.0.0/16')).id;
    const web = await createTier(api(), {
      vpcId: vpcs.app,
      name: 'web',
      offeringId: inv.vlanOfferingId,
      cidr: '10.61.1.0/24',
      vms: ['web-1', 'web-2'],
    });
    const db = await createTier(api(), {
      vpcId: vpcs.app,
      name: 'db',
      offeringId: inv.vxlanOfferingId,
      cidr: '10.61.2.0/24',
      vms: ['db-1'],
    });
    const other = await createTier(api(), {
      vpcId: vpcs.other,
      name: 'other',
      offeringId: inv.vlanOfferingId,
      cidr: '10.62.1.0/24',
      vms: ['other-1'],
    });
    Object.assign(tiers, { web: web.tier, db: db.tier, other: other.tier });
    const all: [string, Nic, Tier, string][] = [
      ['web1', web.nics[0] as Nic, web.tier, '1500'],
      ['web2', web.nics[1] as Nic, web.tier, '1500'],
      ['db1', db.nics[0] as Nic, db.tier, '1450'],
      ['other1', other.nics[0] as Nic, other.tier, '1500'],
    ];
    for (const [name, nic, tier, mtu] of all) {
      expect(nic.state).toBe('Reserved');
      const v = await attach(name, nic);
      const lease = await dhcp(v.ns, v.ifname, h.work);
      expect(lease, name).toMatchObject({ ip: nic.ip, router: tier.gateway, mtu, subnet: '255.255.255.0' });
    }
  });

  it('VMs of a tier reach each other, and the tiers of the VPC each other through its router', async () => {
    const [web1, web2, db1] = [vm('web1'), vm('web2'), vm('db1')];
    expect(await pings(web1.ns, web2.nic.ip)).toBe(true);
    expect(await pings(db1.ns, web1.nic.ip)).toBe(true);
  });

  it('an ACL list made through the API lets tcp/5432 from web into db and keeps tcp/22 out', async () => {
    const [web1, db1] = [vm('web1'), vm('db1')];
    listeners.push(await listen(db1.ns, 5432, 'postgres'), await listen(db1.ns, 22, 'ssh'));
    const rule = (
      n: number,
      action: string,
      protocol: string,
      ports: [number, number] | null,
      cidr: string,
    ) => ({
      number: n,
      action,
      protocol,
      trafficType: 'Ingress',
      portStart: ports?.[0] ?? null,
      portEnd: ports?.[1] ?? null,
      cidrs: [cidr],
    });
    // Before the lists, nothing filters between the tiers: 22 connects.
    expect(await connect(web1.ns, db1.nic.ip, 22)).toBe('ssh');
    const dbList = await api().mutate<{ id: string }>('networkAcls.create', {
      vpcId: vpcs.app,
      name: 'db-in',
      rules: [
        rule(10, 'allow', 'tcp', [5432, 5432], '10.61.1.0/24'),
        rule(20, 'deny', 'tcp', [22, 22], '0.0.0.0/0'),
        rule(30, 'allow', 'all', null, '10.61.1.0/24'),
      ],
    });
    const webList = await api().mutate<{ id: string }>('networkAcls.create', {
      vpcId: vpcs.app,
      name: 'web-in',
      rules: [rule(10, 'allow', 'all', null, '0.0.0.0/0')],
    });
    await api().done('networkAcls.assign', { tierId: tiers.db?.id, listId: dbList.id });
    await api().done('networkAcls.assign', { tierId: tiers.web?.id, listId: webList.id });
    expect(await connect(web1.ns, db1.nic.ip, 5432)).toBe('postgres');
    expect(await connect(web1.ns, db1.nic.ip, 22)).toBeNull();
    expect(await pings(web1.ns, db1.nic.ip)).toBe(true);
  });

  it('the VMs of another VPC are unreachable both ways', async () => {
    const [web1, other1] = [vm('web1'), vm('other1')];
    expect(await unreachable(web1.ns, other1.nic.ip)).toBe(true);
    expect(await unreachable(other1.ns, web1.nic.ip)).toBe(true);
  });

  it("a VM's connection out reaches the public side from the VPC's source-NAT address", async () => {
    const [web1] = [vm('web1')];
    const { items } = await api().query<{ items: { address: string; purpose: string }[] }>('publicIps.list', {
      vpcId: vpcs.app,
    });
    const snat = items.find((a) => a.purpose === 'SourceNat')?.address;
    expect(snat).toMatch(/^203\.0\.115\./);
    const upstream = await listen(h.pub.ns, 9000, 'internet');
    listeners.push(upstream);
    expect(await connect(web1.ns, h.pub.gateway, 9000)).toBe('internet');
    expect(upstream.peers).toEqual([snat]);
  });

  it('static NAT and port forwarding made through the API reach the right VM from the public side', async () => {
    const [web1, web2] = [vm('web1'), vm('web2')];
    listeners.push(await listen(web1.ns, 8000, 'web-1'), await listen(web2.ns, 8000, 'web-2'));
    const nat = await api().mutate<{ id: string; address: string }>('publicIps.acquire', { vpcId: vpcs.app });
    await api().done('staticNat.enable', { nicId: web1.nic.id, publicIpId: nat.id });
    expect(await connect(h.pub.ns, nat.address, 8000)).toBe('web-1');

    const pf = await api().mutate<{ id: string; address: string }>('publicIps.acquire', { vpcId: vpcs.app });
    await api().done('portForwarding.create', {
      publicIpId: pf.id,
      nicId: web2.nic.id,
      protocol: 'tcp',
      publicPortStart: 2222,
      publicPortEnd: 2222,
      privatePortStart: 8000,
      privatePortEnd: 8000,
    });
    expect(await connect(h.pub.ns, pf.address, 2222)).toBe('web-2');
    expect(await connect(h.pub.ns, pf.address, 8000)).toBeNull();
  });

  it('a load balancer rule made through the API spreads connections from the public side over its members', async () => {
    const [web1, web2] = [vm('web1'), vm('web2')];
    listeners.push(await listen(web1.ns, 8080, 'web-1'), await listen(web2.ns, 8080, 'web-2'));
    const vip = await api().mutate<{ id: string; address: string }>('publicIps.acquire', { vpcId: vpcs.app });
    const created = await api().mutate<{ rule: { id: string }; jobId: string | null }>('lbRules.create', {
      tierId: tiers.web?.id,
      name: 'web',
      publicIpId: vip.id,
      publicPort: 80,
      privatePort: 8080,
      protocol: 'tcp',
      algorithm: 'roundrobin',
      nicIds: [web1.nic.id, web2.nic.id],
    });
    if (created.jobId) expect((await api().job(created.jobId)).state).toBe('succeeded');
    const count = async (n: number) => {
      const seen = new Map<string | null, number>();
      for (let i = 0; i < n; i++) {
        const r = await connect(h.pub.ns, vip.address, 80);
        seen.set(r, (seen.get(r) ?? 0) + 1);
      }
      return Object.fromEntries(seen);
    };
    // Round robin over two members, one connection at a time: exactly half each, nothing refused.
    expect(await count(10)).toEqual({ 'web-1': 5, 'web-2': 5 });
    // A member taken out of the rule through the API gets no connection; the other gets them all.
    await api().done('lbRules.setMembers', { id: created.rule.id, nicIds: [web1.nic.id] });
    expect(await count(6)).toEqual({ 'web-1': 6 });
  });

  it('after destroying the VPCs nothing of ours remains on the host', async () => {
    for (const l of listeners.splice(0)) l.stop();
    await api().done('vpcs.destroy', { id: vpcs.app });
    await api().done('vpcs.destroy', { id: vpcs.other });
    expect(await linksOf(h.prefix)).toEqual([]);
    expect((await namespacesOf(h.prefix)).filter((ns) => !ns.startsWith(`${h.prefix}-vm-`))).toEqual([
      `${h.prefix}-public`,
    ]);
    // dnsmasq and haproxy both run from files of the state directory.
    expect(await processesWith(`${h.stateDir}/`)).toEqual([]);
    const left = await readdir(join(h.stateDir, h.prefix)).catch(() => []);
    expect(left.filter((f) => f !== '.lock')).toEqual([]);
    // The public bridge holds only the test's own port again.
    const { stdout } = await run('ip', ['-j', 'link', 'show', 'master', h.pub.bridge]);
    expect((JSON.parse(stdout) as { ifname: string }[]).map((l) => l.ifname)).toEqual([`${h.prefix}pubup`]);
    // The VMs' NICs went with their bridge ports.
    for (const v of Object.values(vms)) {
      const { stdout: inVm } = await run('ip', ['-n', v.ns, '-j', 'link', 'show']);
      expect((JSON.parse(inVm) as { ifname: string }[]).map((l) => l.ifname)).toEqual(['lo']);
    }
  });
});
