// The virtual router adapter against a real router host: sshd on loopback, the adapter's namespaces, bridges, veths
// and dnsmasq on this machine, "VM" namespaces on the NICs' peers asking for leases with busybox udhcpc and pinging.
import { randomUUID } from 'node:crypto';
import type { NetworkSpec, NicSpec, VpcSpec } from '@netplane/adapter-sdk';
import { describe, expect, it } from 'vitest';
import type { VrouterElement } from '../src';
import {
  attachVm,
  dhcp,
  element,
  linksOf,
  namespacesOf,
  pings,
  processesWith,
  run,
  unreachable,
} from '../src/testing';
import { ctx, useHost } from './fixtures';

const h = useHost('packets');

const vpc = (cidr: string): VpcSpec => ({ vpcId: randomUUID(), name: 'vpc', cidr });
function tier(v: VpcSpec, third: number, method: 'VLAN' | 'VXLAN', segmentId: number): NetworkSpec {
  return {
    vpcId: v.vpcId,
    networkId: randomUUID(),
    name: `tier-${third}`,
    cidr: `10.1.${third}.0/24`,
    gateway: `10.1.${third}.1`,
    isolation: { method, segmentId },
    services: ['Connectivity', 'Dhcp'],
    dhcp: { dnsServers: ['192.0.2.53'], dnsDomain: 'np.test', physicalMtu: 1450 },
  };
}
const nic = (n: NetworkSpec, host: number, i: number): NicSpec => ({
  nicId: randomUUID(),
  networkId: n.networkId,
  vpcId: n.vpcId,
  mac: `02:00:00:${i.toString(16).padStart(2, '0')}:00:${host.toString(16).padStart(2, '0')}`,
  ip: `${n.cidr.split('.').slice(0, 3).join('.')}.${host}`,
  vmName: `vm-${i}`,
});

describe('virtual router on a real router host', () => {
  it('reports the host kernel and tool versions in its health check', async () => {
    const health = await h.el.healthCheck(ctx());
    expect(health.ok).toBe(true);
    expect(health.version).toMatch(/^Linux \S+; iproute2-\S+; dnsmasq \S+/);
  });

  it('refuses a host whose key is not the pinned one as AUTH_FAILED, saying which keys', async () => {
    const other = element(h.sshd, h.prefix, h.stateDir, { hostKey: h.sshd.otherHostKey });
    const err = await other.healthCheck(ctx()).catch((e: unknown) => e);
    await other.close();
    expect(err).toMatchObject({ category: 'AUTH_FAILED', vendorCode: 'HOST_KEY_MISMATCH' });
    expect(String((err as Error).message)).toMatch(
      /Host key mismatch: the router host 127\.0\.0\.1:\d+ presented SHA256:/,
    );
    expect(JSON.stringify(err)).not.toContain(h.sshd.privateKey.slice(40, 80));
  });

  it('answers AUTH_FAILED for a key the host does not authorize', async () => {
    const stranger = createStranger();
    const err = await stranger.healthCheck(ctx()).catch((e: unknown) => e);
    await stranger.close();
    expect(err).toMatchObject({ category: 'AUTH_FAILED', vendorCode: 'AUTH_REFUSED' });
  });

  it('reconnects after its SSH connection is cut, failing meanwhile only as UNREACHABLE', async () => {
    expect((await h.el.healthCheck(ctx())).ok).toBe(true);
    for (const pid of await h.sshd.sessionPids()) process.kill(pid, 'SIGKILL');
    const failures: string[] = [];
    let ok = false;
    for (let i = 0; i < 20 && !ok; i++) {
      try {
        ok = (await h.el.healthCheck(ctx())).ok;
      } catch (e) {
        failures.push((e as { category?: string }).category ?? String(e));
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(ok).toBe(true);
    expect(failures.filter((c) => c !== 'UNREACHABLE')).toEqual([]);
  });

  it('serves leases, switches a tier, routes between tiers, isolates VPCs, and leaves nothing after destroy', async () => {
    const a = vpc('10.1.0.0/16');
    const b = vpc('10.1.0.0/16');
    const web = tier(a, 1, 'VLAN', h.vlan);
    const db = tier(a, 2, 'VXLAN', 20_000 + h.vlan);
    const other = tier(b, 1, 'VLAN', h.vlan + 1); // the same CIDR as web, in another VPC and VLAN
    for (const v of [a, b]) expect(await h.el.implementVpc(v, ctx())).toEqual({ adopted: false });
    expect(await h.el.implementNetwork(web, ctx())).toEqual({
      broadcastUri: `vlan://${h.vlan}`,
      adopted: false,
    });
    expect((await h.el.implementNetwork(db, ctx())).broadcastUri).toBe(`vxlan://${20_000 + h.vlan}`);
    await h.el.implementNetwork(other, ctx());

    const [w1, w2, d1, o1] = [nic(web, 10, 1), nic(web, 11, 2), nic(db, 10, 3), nic(other, 12, 4)];
    const before = h.el.roundTrips();
    const batch = await h.el.prepareNics([w1, w2], ctx());
    expect(batch.map((r) => r.ok)).toEqual([true, true]);
    expect(h.el.roundTrips() - before).toBe(2); // one read, one apply, however many NICs
    await h.el.prepareNic(d1, ctx());
    await h.el.prepareNic(o1, ctx());

    const vms = new Map<NicSpec, string>();
    for (const [n, name] of [
      [w1, 'w1'],
      [w2, 'w2'],
      [d1, 'd1'],
      [o1, 'o1'],
    ] as const) {
      vms.set(n, await attachVm(h.prefix, h.names.nicPeer(n.nicId), name));
    }
    const lease = await dhcp(vms.get(w1) as string, h.names.nicPeer(w1.nicId), h.work);
    expect(lease).toMatchObject({
      ip: w1.ip,
      subnet: '255.255.255.0',
      router: web.gateway,
      mtu: '1450',
      dns: '192.0.2.53',
      domain: 'np.test',
    });
    for (const n of [w2, d1, o1]) {
      const l = await dhcp(vms.get(n) as string, h.names.nicPeer(n.nicId), h.work);
      expect(l.ip).toBe(n.ip);
    }
    expect(
      (await dhcp(vms.get(d1) as string, h.names.nicPeer(d1.nicId), h.work).catch(() => null)) ?? 'renewed',
    ).toBeTruthy();

    const vm = (n: NicSpec) => vms.get(n) as string;
    expect(await pings(vm(w1), w2.ip)).toBe(true); // one tier: switched on the bridge
    expect(await pings(vm(w1), d1.ip)).toBe(true); // two tiers of one VPC: routed by the router namespace
    expect(await pings(vm(o1), web.gateway)).toBe(true); // its own VPC's gateway of the same CIDR
    expect(await unreachable(vm(o1), w1.ip)).toBe(true); // another VPC and VLAN: unreachable
    expect(await unreachable(vm(w1), o1.ip)).toBe(true);

    const seen = (await h.el.observe({ vpcId: a.vpcId }, ctx())).resources;
    expect(seen.map((r) => `${r.kind}:${r.id}`).sort()).toEqual(
      [
        `vpc:${a.vpcId}`,
        `network:${web.networkId}`,
        `network:${db.networkId}`,
        ...[w1, w2, d1].map((n) => `nic:${n.nicId}`),
      ].sort(),
    );
    expect(seen.filter((r) => r.issues)).toEqual([]);
    expect(seen.find((r) => r.id === w1.nicId)?.attributes).toMatchObject({ mac: w1.mac, ip: w1.ip });

    // Drift: dnsmasq killed by hand shows as an issue; implementing again repairs it.
    const [pid] = await processesWith(`${h.stateDir}/${h.prefix}/${web.networkId}/dnsmasq.conf`);
    process.kill(pid as number, 'SIGKILL');
    const drift = (await h.el.observe({ networkIds: [web.networkId] }, ctx())).resources;
    expect(drift.find((r) => r.kind === 'network')?.issues).toEqual(['dnsmasq is not running']);
    expect((await h.el.implementNetwork(web, ctx())).adopted).toBe(true);
    expect((await h.el.observe({ networkIds: [web.networkId] }, ctx())).resources.some((r) => r.issues)).toBe(
      false,
    );

    // Drift: the tier's bridge deleted by hand. The tier (found by its gateway veth) and its NICs show it as issues;
    // implementing the tier again repairs it (its NICs' ports back on the new bridge), and packets flow again.
    await run('ip', ['link', 'del', h.names.bridge('VLAN', h.vlan)]);
    const cut = (await h.el.observe({ vpcId: a.vpcId }, ctx())).resources;
    expect(cut.find((r) => r.id === web.networkId)?.issues).toEqual(['the tier bridge is missing']);
    expect(cut.find((r) => r.id === w1.nicId)?.issues).toEqual(['the port is not on the tier bridge']);
    expect(await unreachable(vm(w1), w2.ip)).toBe(true);
    expect((await h.el.implementNetwork(web, ctx())).adopted).toBe(false);
    const again = await h.el.prepareNics([w1, w2], ctx());
    expect(again.map((r) => r.ok && r.result.adopted)).toEqual([true, true]);
    const repaired = (await h.el.observe({ networkIds: [web.networkId] }, ctx())).resources;
    expect(repaired.filter((r) => r.issues)).toEqual([]);
    expect(repaired.map((r) => r.id).sort()).toEqual([web.networkId, w1.nicId, w2.nicId].sort());
    expect(await pings(vm(w1), w2.ip)).toBe(true);

    await h.el.releaseNic(w2, ctx());
    expect(await linksOf(h.names.nicPort(w2.nicId))).toEqual([]);
    for (const n of [web, db, other]) {
      await h.el.shutdownNetwork(n, ctx());
      await h.el.destroyNetwork(n, ctx());
    }
    for (const v of [a, b]) await h.el.destroyVpc(v, ctx());
    expect(await linksOf(h.prefix)).toEqual([]);
    expect((await namespacesOf(h.prefix)).filter((ns) => !ns.startsWith(`${h.prefix}-vm-`))).toEqual([]);
    expect(await processesWith(`${h.stateDir}/`)).toEqual([]);
    // The NIC's peer went with its port, out of the VM's namespace too.
    const { stdout } = await run('ip', ['-n', vm(w1), '-j', 'link', 'show']);
    expect(JSON.parse(stdout).map((l: { ifname: string }) => l.ifname)).toEqual(['lo']);
  });

  it('coalesces 100 concurrent prepareNic calls on one tier into a few round trips', async () => {
    const v = vpc('10.9.0.0/16');
    const t = { ...tier(v, 9, 'VLAN', h.vlan + 2), cidr: '10.9.0.0/16', gateway: '10.9.0.1' };
    await h.el.implementVpc(v, ctx());
    await h.el.implementNetwork(t, ctx());
    const nics = Array.from({ length: 100 }, (_, i) => ({ ...nic(t, 10 + i, i), ip: `10.9.1.${10 + i}` }));
    const before = h.el.roundTrips();
    const results = await Promise.all(nics.map((n) => h.el.prepareNic(n, ctx())));
    const trips = h.el.roundTrips() - before;
    console.log(`100 concurrent prepareNic: ${trips} SSH round trips`);
    expect(results.every((r) => !r.adopted)).toBe(true);
    expect(trips).toBeLessThanOrEqual(6);
    const seen = (await h.el.observe({ networkIds: [t.networkId] }, ctx())).resources.filter(
      (r) => r.kind === 'nic',
    );
    expect(seen).toHaveLength(100);
    await h.el.destroyNetwork(t, ctx());
    await h.el.destroyVpc(v, ctx());
    expect(await linksOf(h.prefix)).toEqual([]);
  });
});

function createStranger(): VrouterElement {
  return element({ ...h.sshd, privateKey: h.sshd.strangerKey }, h.prefix, h.stateDir);
}
