// Firewall on a real router host, proven with packets: the VPC's public side lets in only what the VPC publishes
// (a port forward, a static NAT, an LB listener, ICMP echo to its public IPs) and the replies of its own connections;
// a port nothing publishes, the router's own service and a tier's private address routed from the public side are
// dropped. The table deleted by hand shows in observe (and the tier address really is reachable then); implementing
// the tier again restores it.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallContext, NetworkSpec, NicSpec, VpcSpec } from '@netplane/adapter-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namesFor, type VrouterElement } from '../src';
import {
  attachVm,
  cleanupHost,
  connect,
  createPublicSide,
  dhcp,
  element,
  type Member,
  member,
  type PublicSide,
  pings,
  run,
  type Sshd,
  startSshd,
  testPrefix,
  vlanBase,
} from '../src/testing';

const prefix = testPrefix();
const names = namesFor(prefix);
let sshd: Sshd;
let stateDir: string;
let work: string;
let el: VrouterElement;
let pub: PublicSide;
const servers: Member[] = [];
const ctx = (): CallContext => ({ signal: AbortSignal.timeout(60_000), idempotencyKey: randomUUID() });

beforeAll(async () => {
  sshd = await startSshd();
  work = await mkdtemp(join(tmpdir(), `np-vrouter-fw-${prefix}-`));
  stateDir = join(work, 'state');
  pub = await createPublicSide(prefix, 115);
  el = element(sshd, prefix, stateDir, { publicBridge: pub.bridge });
});
afterAll(async () => {
  for (const s of servers) s.stop();
  await el?.close();
  await pub?.remove();
  if (stateDir) await cleanupHost(prefix, stateDir);
  await sshd?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const vlan = vlanBase('vrouter firewall test');
const SNAT_IP = '203.0.115.2';
const STATIC_IP = '203.0.115.50';
const VIP = '203.0.115.60';

describe('virtual router Firewall with packets', () => {
  it('lets in only what the VPC publishes and the replies of its own connections, and is restored after drift', async () => {
    const v: VpcSpec = { vpcId: randomUUID(), name: 'v', cidr: '10.9.0.0/16' };
    const web = tier(v);
    await el.implementVpc(v, ctx());
    await el.implementNetwork(web, ctx());
    const [w1, w2] = [nic(web, 10, 1), nic(web, 11, 2)];
    await el.prepareNics([w1, w2], ctx());
    const vm1 = await attachVm(prefix, names.nicPeer(w1.nicId), 'f1');
    const vm2 = await attachVm(prefix, names.nicPeer(w2.nicId), 'f2');
    expect((await dhcp(vm1, names.nicPeer(w1.nicId), work)).ip).toBe(w1.ip);
    expect((await dhcp(vm2, names.nicPeer(w2.nicId), work)).ip).toBe(w2.ip);
    const routerNs = names.routerNs(v.vpcId);
    servers.push(
      await member(vm1, 8000, 'vm1'),
      await member(vm2, 8000, 'vm2'),
      await member(routerNs, 9000, 'router'),
      await member(pub.ns, 7000, 'public'),
    );
    // The public side routes the VPC's private range to the router: only the firewall keeps it out.
    await run('ip', ['-n', pub.ns, 'route', 'add', v.cidr, 'via', SNAT_IP]);

    // Source NAT only: egress and its replies pass, echo to the source-NAT address too; nothing else comes in.
    expect(await connect(vm1, pub.gateway, 7000)).toBe('public');
    expect(await pings(pub.ns, SNAT_IP)).toBe(true);
    expect(await connect(vm1, web.gateway, 9000)).toBe('router'); // the router's service exists (inside)...
    expect(await connect(pub.ns, SNAT_IP, 9000)).toBeNull(); // ...and is not reachable from public
    expect(await connect(pub.ns, w1.ip, 8000)).toBeNull(); // a tier address routed from public

    // Published: a port forward, a static NAT, an LB listener; the ports next to them are not.
    const ids = { vpcId: v.vpcId, networkId: web.networkId };
    const pf = {
      version: 1 as const,
      ruleId: randomUUID(),
      ...ids,
      nicId: w1.nicId,
      publicIp: SNAT_IP,
      privateIp: w1.ip,
      protocol: 'tcp' as const,
      publicPortStart: 2222,
      publicPortEnd: 2222,
      privatePortStart: 8000,
      privatePortEnd: 8000,
    };
    await el.applyPortForwarding?.(pf, ctx());
    await el.applyStaticNat?.(
      { ruleId: randomUUID(), ...ids, nicId: w2.nicId, publicIp: STATIC_IP, privateIp: w2.ip },
      ctx(),
    );
    const lb = {
      ruleId: randomUUID(),
      ...ids,
      name: 'web',
      publicIp: VIP,
      publicPort: 80,
      privatePort: 8000,
      protocol: 'tcp' as const,
      algorithm: 'roundrobin' as const,
      members: [{ nicId: w1.nicId, ip: w1.ip }],
    };
    await el.applyLbRule?.(lb, ctx());
    expect(await connect(pub.ns, SNAT_IP, 2222)).toBe('vm1');
    expect(await connect(pub.ns, STATIC_IP, 8000)).toBe('vm2');
    expect(await pings(pub.ns, STATIC_IP)).toBe(true);
    expect(await connect(pub.ns, VIP, 80)).toBe('vm1');
    expect(await pings(pub.ns, VIP)).toBe(true);
    expect(await connect(pub.ns, VIP, 9000)).toBeNull();
    expect(await connect(pub.ns, w1.ip, 8000)).toBeNull();
    expect(await connect(vm2, pub.gateway, 7000)).toBe('public');
    const issues = async () =>
      (await el.observe({ vpcId: v.vpcId }, ctx())).resources
        .filter((r) => ['nat', 'pf', 'lb'].includes(r.kind))
        .map((r) => [r.kind, r.issues ?? []] as const);
    expect((await issues()).every(([, i]) => i.length === 0)).toBe(true);

    // Drift: the table deleted by hand lets the tier address in; every public row says so; implementing repairs.
    const { stdout } = await run('ip', ['netns', 'exec', routerNs, 'nft', '-j', 'list', 'tables']);
    const tables = (JSON.parse(stdout).nftables as { table?: { family: string; name: string } }[])
      .map((i) => i.table)
      .filter((t) => t?.name.startsWith(`${prefix}_fw_`));
    expect(tables).toEqual([
      { family: 'inet', name: expect.stringMatching(/_fw_[0-9a-f]{10}$/), handle: expect.anything() },
    ]);
    await run('ip', ['netns', 'exec', routerNs, 'nft', 'delete', 'table', 'inet', tables[0]?.name as string]);
    expect(await connect(pub.ns, w1.ip, 8000)).toBe('vm1');
    const drift = await issues();
    expect(drift.length).toBe(4); // the source NAT, the static NAT, the port forward, the LB rule
    for (const [, i] of drift) expect(i).toContain('the public firewall table is missing');
    await el.implementNetwork(web, ctx());
    expect((await issues()).every(([, i]) => i.length === 0)).toBe(true);
    expect(await connect(pub.ns, w1.ip, 8000)).toBeNull();
    expect(await connect(pub.ns, SNAT_IP, 2222)).toBe('vm1');

    // A revoked port forward is no longer let in.
    await el.revokePortForwarding?.(pf, ctx());
    expect(await connect(pub.ns, SNAT_IP, 2222)).toBeNull();
    expect(await connect(pub.ns, VIP, 80)).toBe('vm1');

    await el.destroyNetwork(web, ctx());
    await el.destroyVpc(v, ctx());
  });
});

function tier(v: VpcSpec): NetworkSpec {
  return {
    vpcId: v.vpcId,
    networkId: randomUUID(),
    name: 'web',
    cidr: '10.9.1.0/24',
    gateway: '10.9.1.1',
    isolation: { method: 'VLAN', segmentId: vlan },
    services: ['Connectivity', 'Dhcp', 'SourceNat', 'StaticNat', 'PortForwarding', 'Lb', 'Firewall'],
    sourceNatIp: SNAT_IP,
    publicNetwork: { cidr: '203.0.115.0/24', gateway: '203.0.115.1', vlan: null },
    dhcp: { dnsServers: [], dnsDomain: null, physicalMtu: 1500 },
  };
}

function nic(n: NetworkSpec, host: number, i: number): NicSpec {
  return {
    nicId: randomUUID(),
    networkId: n.networkId,
    vpcId: n.vpcId,
    mac: `02:00:09:${i.toString(16).padStart(2, '0')}:00:${host.toString(16).padStart(2, '0')}`,
    ip: `10.9.1.${host}`,
    vmName: `vm-${i}`,
  };
}
