// Public VLANs with packets (this kernel has no 802.1Q, so the adapter runs in bridge-only mode: the VLAN's public
// bridge is the VLAN, and each test "public network" namespace joins the bridge of its VLAN). Two VPCs on two public
// VLANs with the same public CIDR: VLAN A's namespace reaches A's static NAT and port forwards (tcp and udp) and sees
// A's source-NAT address, but nothing of B; a third VPC on the untagged publicBridge still works; the VLAN bridges go
// with the last VPC on them. A UDP trace verdict is checked against a real UDP exchange.
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
  joinPublicBridge,
  type Listener,
  linksOf,
  listen,
  type PublicSide,
  run,
  type Sshd,
  startSshd,
  testPrefix,
  udpAsk,
  udpEcho,
  vlanBase,
} from '../src/testing';
import { traceSpec } from './fixtures';

const prefix = testPrefix();
const names = namesFor(prefix);
const base = vlanBase('vrouter public vlan test');
const [VA, VB] = [base + 5, base + 6];
const ctx = (): CallContext => ({ signal: AbortSignal.timeout(60_000), idempotencyKey: randomUUID() });
let sshd: Sshd;
let work: string;
let el: VrouterElement;
let untagged: PublicSide;
const sides: PublicSide[] = [];
const listeners: Listener[] = [];

beforeAll(async () => {
  sshd = await startSshd();
  work = await mkdtemp(join(tmpdir(), `np-vrouter-pubvlan-${prefix}-`));
  untagged = await createPublicSide(prefix, 113);
  // The uplink does not exist on this host: without 802.1Q the adapter never touches it.
  el = element(sshd, prefix, join(work, 'state'), { publicBridge: untagged.bridge, publicUplink: 'npup0' });
});
afterAll(async () => {
  // Every step runs even when one fails.
  const steps = [
    async () => {
      for (const l of listeners) l.stop();
    },
    () => el?.close(),
    ...sides.map((s) => () => s.remove()),
    () => untagged?.remove(),
    () => (work ? cleanupHost(prefix, join(work, 'state')) : undefined),
    () => sshd?.stop(),
    () => (work ? rm(work, { recursive: true, force: true }) : undefined),
  ];
  for (const step of steps)
    await Promise.resolve()
      .then(step)
      .catch((e) => console.error('cleanup', e));
});

type Vpc = { v: VpcSpec; net: NetworkSpec; nic: NicSpec; vm: string };

/** A VPC with one tier (source NAT `<pubBase>.<snat>`), one NIC with its lease, on public VLAN `vlan` (or untagged). */
async function vpc(i: number, vlan: number | null, pubBase: string, snat: number): Promise<Vpc> {
  const v: VpcSpec = { vpcId: randomUUID(), name: `v${i}`, cidr: `10.${20 + i}.0.0/16` };
  const net: NetworkSpec = {
    vpcId: v.vpcId,
    networkId: randomUUID(),
    name: `t${i}`,
    cidr: `10.${20 + i}.1.0/24`,
    gateway: `10.${20 + i}.1.1`,
    isolation: { method: 'VLAN', segmentId: base + i },
    services: ['Connectivity', 'Dhcp', 'SourceNat', 'StaticNat', 'PortForwarding'],
    sourceNatIp: `${pubBase}.${snat}`,
    publicNetwork: { cidr: `${pubBase}.0/24`, gateway: `${pubBase}.1`, vlan },
    dhcp: { dnsServers: [], dnsDomain: null, physicalMtu: 1500 },
  };
  const nic: NicSpec = {
    nicId: randomUUID(),
    networkId: net.networkId,
    vpcId: v.vpcId,
    mac: `02:00:2${i}:00:00:0a`,
    ip: `10.${20 + i}.1.10`,
    vmName: `vm${i}`,
  };
  await el.implementVpc(v, ctx());
  await el.implementNetwork(net, ctx());
  await el.prepareNics([nic], ctx());
  const vm = await attachVm(prefix, names.nicPeer(nic.nicId), `p${i}`);
  expect((await dhcp(vm, names.nicPeer(nic.nicId), work)).ip).toBe(nic.ip);
  return { v, net, nic, vm };
}

const pf = (x: Vpc, protocol: 'tcp' | 'udp', publicPort: number, privatePort: number) => ({
  version: 1 as const,
  ruleId: randomUUID(),
  vpcId: x.v.vpcId,
  networkId: x.net.networkId,
  nicId: x.nic.nicId,
  publicIp: x.net.sourceNatIp as string,
  privateIp: x.nic.ip,
  protocol,
  publicPortStart: publicPort,
  publicPortEnd: publicPort,
  privatePortStart: privatePort,
  privatePortEnd: privatePort,
});

const bridgesOfPrefix = async () => (await linksOf(prefix)).filter((l) => l.startsWith(`${prefix}u`)).sort();

describe('virtual router public VLANs with packets', () => {
  it('declines a public range with a VLAN without publicUplink, and says the mode in the health check', async () => {
    const bare = element(sshd, prefix, join(work, 'state'), { publicBridge: untagged.bridge });
    const network: NetworkSpec = {
      vpcId: randomUUID(),
      networkId: randomUUID(),
      name: 'x',
      cidr: '10.9.1.0/24',
      gateway: '10.9.1.1',
      isolation: { method: 'VLAN' as const, segmentId: base },
      services: ['SourceNat' as const],
      publicNetwork: { cidr: '198.51.100.0/24', gateway: '198.51.100.1', vlan: VA },
    };
    expect(await bare.canHandle({ network, service: 'SourceNat' }, ctx())).toMatchObject({
      canHandle: false,
      reason: expect.stringContaining('publicUplink'),
    });
    expect(await el.canHandle({ network, service: 'SourceNat' }, ctx())).toEqual({ canHandle: true });
    await bare.close();
    const health = await el.healthCheck(ctx());
    expect(health.detail).toContain(
      `public VLANs: bridge only (the kernel has no 802.1Q): bridges ${prefix}u<vlan>`,
    );
  });

  it('refuses a same-named public VLAN bridge that is not ours, and leaves it alone', async () => {
    const VC = base + 7;
    const foreign = `${prefix}u${VC}`;
    await run('ip', ['link', 'add', 'name', foreign, 'type', 'bridge']);
    try {
      const x = { v: { vpcId: randomUUID(), name: 'vc', cidr: '10.29.0.0/16' } };
      await el.implementVpc(x.v, ctx());
      const net: NetworkSpec = {
        vpcId: x.v.vpcId,
        networkId: randomUUID(),
        name: 'tc',
        cidr: '10.29.1.0/24',
        gateway: '10.29.1.1',
        isolation: { method: 'VLAN', segmentId: base + 9 },
        services: ['Connectivity', 'SourceNat'],
        sourceNatIp: '198.51.100.9',
        publicNetwork: { cidr: '198.51.100.0/24', gateway: '198.51.100.1', vlan: VC },
      };
      await expect(el.implementNetwork(net, ctx())).rejects.toMatchObject({
        category: 'RESOURCE_CONFLICT',
        conflict: { resource: 'bridge', name: foreign, owner: 'not Netplane' },
      });
      await el.destroyNetwork(net, ctx());
      await el.destroyVpc(x.v, ctx());
      const { stdout } = await run('ip', ['-j', 'link', 'show', 'dev', foreign]);
      expect(JSON.parse(stdout)[0]?.ifalias).toBeUndefined();
    } finally {
      await run('ip', ['link', 'del', foreign]).catch(() => undefined);
    }
  });

  it('keeps two VPCs on two public VLANs apart, the untagged range working beside them', async () => {
    const PUB = '198.51.100';
    const a = await vpc(1, VA, PUB, 2);
    const b = await vpc(2, VB, PUB, 3);
    const c = await vpc(3, null, '203.0.113', 2);
    // Implementing again adopts: the public side and the VLAN bridges are not made twice.
    expect((await el.implementNetwork(a.net, ctx())).adopted).toBe(true);
    expect(await bridgesOfPrefix()).toEqual([`${prefix}u${VA}`, `${prefix}u${VB}`].sort());
    // The upstream of each public VLAN: a namespace with the same gateway address on each VLAN's bridge.
    const [pa, pb] = [
      await joinPublicBridge(prefix, 'a', `${prefix}u${VA}`, `${PUB}.1`),
      await joinPublicBridge(prefix, 'b', `${prefix}u${VB}`, `${PUB}.1`),
    ];
    sides.push(pa, pb);

    // Egress: each VPC leaves by its own source-NAT address onto its own VLAN only.
    const [outA, outB, outC] = [
      await listen(pa.ns, 7000, 'A'),
      await listen(pb.ns, 7000, 'B'),
      await listen(untagged.ns, 7000, 'C'),
    ];
    listeners.push(outA, outB, outC);
    expect(await connect(a.vm, `${PUB}.1`, 7000)).toBe('A');
    expect(await connect(b.vm, `${PUB}.1`, 7000)).toBe('B');
    expect(await connect(c.vm, untagged.gateway, 7000)).toBe('C');
    expect([outA.peers, outB.peers, outC.peers]).toEqual([[`${PUB}.2`], [`${PUB}.3`], ['203.0.113.2']]);

    // Static NAT and port forwards (tcp and udp) of each VPC, reached from its own VLAN and not from the other.
    const echoes = new Map<Vpc, Listener>();
    for (const x of [a, b, c]) {
      const echo = await udpEcho(x.vm, 5000, x.v.name);
      echoes.set(x, echo);
      listeners.push(await listen(x.vm, 8000, x.v.name), echo);
    }
    const statics = [
      [a, `${PUB}.50`],
      [b, `${PUB}.60`],
    ] as const;
    for (const [x, ip] of statics) {
      const spec = { ruleId: randomUUID(), vpcId: x.v.vpcId, networkId: x.net.networkId, nicId: x.nic.nicId };
      expect(await el.applyStaticNat?.({ ...spec, publicIp: ip, privateIp: x.nic.ip }, ctx())).toEqual({
        adopted: false,
      });
    }
    for (const x of [a, b, c]) {
      expect(await el.applyPortForwarding?.(pf(x, 'tcp', 2222, 8000), ctx())).toEqual({ adopted: false });
      const udp = pf(x, 'udp', 5353, 5000);
      expect(await el.applyPortForwarding?.(udp, ctx())).toEqual({ adopted: false });
      expect(await el.applyPortForwarding?.(udp, ctx())).toEqual({ adopted: true });
    }
    expect(await connect(pa.ns, `${PUB}.50`, 8000)).toBe('v1');
    expect(await connect(pa.ns, `${PUB}.60`, 8000)).toBeNull();
    expect(await connect(pb.ns, `${PUB}.60`, 8000)).toBe('v2');
    expect(await connect(pb.ns, `${PUB}.50`, 8000)).toBeNull();
    expect(await connect(pa.ns, `${PUB}.2`, 2222)).toBe('v1');
    expect(await connect(pb.ns, `${PUB}.3`, 2222)).toBe('v2');
    expect(await connect(pa.ns, `${PUB}.3`, 2222)).toBeNull();
    expect(await connect(untagged.ns, '203.0.113.2', 2222)).toBe('v3');
    // UDP through the port forward: the echo answers, and saw the public client's own address (DNAT only).
    expect(await udpAsk(pa.ns, `${PUB}.2`, 5353)).toBe('v1 ping');
    expect(await udpAsk(pb.ns, `${PUB}.3`, 5353)).toBe('v2 ping');
    expect(await udpAsk(pa.ns, `${PUB}.3`, 5353)).toBeNull();
    expect(await udpAsk(untagged.ns, '203.0.113.2', 5353)).toBe('v3 ping');
    expect(await udpAsk(pa.ns, `${PUB}.2`, 5354)).toBeNull(); // a port nothing forwards: the firewall drops it
    expect(echoes.get(a)?.peers).toEqual([`${PUB}.1`]);

    // The trace says the same of UDP from VLAN A's upstream: the forwarded port delivered, another dropped.
    const traced = async (x: Vpc, port: number) =>
      (
        await el.trace?.(
          traceSpec(
            [x.net],
            { kind: 'outside', ip: `${PUB}.1` },
            { kind: 'address', ip: `${PUB}.2` },
            {
              protocol: 'udp',
              port,
            },
          ),
          ctx(),
        )
      )?.outcome;
    expect([await traced(a, 5353), await udpAsk(pa.ns, `${PUB}.2`, 5353)]).toEqual(['delivered', 'v1 ping']);
    expect([await traced(a, 5354), await udpAsk(pa.ns, `${PUB}.2`, 5354)]).toEqual(['dropped', null]);

    // Drift: VLAN A's bridge deleted by hand shows in observe and checkRealized; implementing again repairs it.
    await run('ip', ['link', 'del', `${prefix}u${VA}`]);
    const nat = (await el.observe({ vpcId: a.v.vpcId }, ctx())).resources.filter((r) => r.kind === 'nat');
    expect(
      nat.every((r) => r.issues?.includes(`the public VLAN ${VA} bridge ${prefix}u${VA} is missing`)),
    ).toBe(true);
    const realized = await el.checkRealized?.({ vpcId: a.v.vpcId, waitMs: 0 }, ctx());
    expect(realized?.resources.find((r) => r.kind === 'nat')).toMatchObject({ realized: false });
    await el.implementNetwork(a.net, ctx());
    await pa.remove();
    sides.push(await joinPublicBridge(prefix, 'a', `${prefix}u${VA}`, `${PUB}.1`));
    expect(await connect(sides.at(-1)?.ns as string, `${PUB}.50`, 8000)).toBe('v1');
    const after = (await el.observe({ vpcId: a.v.vpcId }, ctx())).resources.filter((r) => r.kind === 'nat');
    expect(after.map((r) => r.issues)).toEqual([undefined, undefined]);

    // Teardown: VLAN A's bridge goes with VPC A (the only VPC on it), B's stays until B goes.
    for (const x of [a, b, c]) {
      await el.destroyNetwork(x.net, ctx());
      await el.destroyVpc(x.v, ctx());
      if (x === a) expect(await bridgesOfPrefix()).toEqual([`${prefix}u${VB}`]);
    }
    expect(await bridgesOfPrefix()).toEqual([]);
  });
});
