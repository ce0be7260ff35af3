// Concurrent writers on one router host: two elements on the same host are two Netplane server nodes, and calls of
// different tiers of one element run at once. Each test holds the host lock itself (flock on <stateRoot>/.lock), starts
// two calls, waits until both wait for that lock (/proc/locks lists the waiters), then lets go: both calls have
// passed whatever they do before the lock, so a call that planned from a read taken outside the lock would now write
// from a stale plan. Deterministic: the interleaving is forced, not hoped for.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AdapterError,
  type CallContext,
  type NetworkAclSpec,
  type NetworkSpec,
  type NicSpec,
} from '@netplane/adapter-sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VrouterElement } from '../src';
import { linksOf, vlanBase as seededVlanBase } from '../src/testing';
import { ctx, list, rule, useHost } from './fixtures';

const h = useHost('race');
// Two elements on one host: two Netplane server nodes.
let node1: VrouterElement;
let node2: VrouterElement;
beforeAll(() => {
  node1 = h.el;
  node2 = h.element();
});
const lockPath = () => join(h.stateDir, h.prefix, '.lock');

/** Holds the host lock until release(); resolves once it is held. */
async function holdLock(): Promise<{ release(): Promise<void> }> {
  const child: ChildProcess = spawn('flock', [lockPath(), 'sh', '-c', 'echo held; read x'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
    child.once('exit', (code) => reject(new Error(`flock exited ${code}`)));
  });
  return {
    async release() {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin?.end();
      await exited;
    },
  };
}

/** Waits until `n` processes wait for the host lock (the "->" lines of /proc/locks on its inode). */
async function waiters(n: number): Promise<void> {
  const ino = (await stat(lockPath())).ino;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const locks = await readFile('/proc/locks', 'utf8');
    const count = locks.split('\n').filter((l) => l.includes('->') && l.includes(`:${ino} `)).length;
    if (count >= n) return;
    if (Date.now() > deadline) throw new Error(`${count} of ${n} calls wait for the host lock`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs the calls with the lock held until each of them waits for it, then lets them go. */
async function race<T>(calls: (() => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
  const lock = await holdLock();
  const all = Promise.allSettled(calls.map((f) => f()));
  try {
    await waiters(calls.length);
  } finally {
    await lock.release();
  }
  return all;
}

const codeOf = (r: PromiseSettledResult<unknown>) =>
  r.status === 'fulfilled' ? 'ok' : r.reason instanceof AdapterError ? r.reason.category : String(r.reason);

let third = 10;
const vlanBase = seededVlanBase('vrouter concurrent writers test', 600);
let vlanNext = 0;
async function vpcWithTier(vlan = vlanBase + vlanNext++): Promise<NetworkSpec> {
  const vpcId = randomUUID();
  const t = third++;
  await node1.implementVpc({ vpcId, name: `race-${t}`, cidr: `10.${t}.0.0/16` }, ctx());
  return tierOf(vpcId, t, vlan);
}
function tierOf(vpcId: string, t: number, vlan: number, sub = 1): NetworkSpec {
  return {
    vpcId,
    networkId: randomUUID(),
    name: `race-${t}-${sub}`,
    cidr: `10.${t}.${sub}.0/24`,
    gateway: `10.${t}.${sub}.1`,
    isolation: { method: 'VLAN', segmentId: vlan },
    services: ['Connectivity', 'Dhcp', 'NetworkACL'],
    dhcp: { dnsServers: [], dnsDomain: null, physicalMtu: 1500 },
  };
}
const nic = (n: NetworkSpec, mac: string, ip: string): NicSpec => ({
  nicId: randomUUID(),
  networkId: n.networkId,
  vpcId: n.vpcId,
  mac,
  ip,
  vmName: 'race',
});
const applyAcl = (el: VrouterElement, spec: NetworkAclSpec, cc: CallContext) =>
  (el.applyNetworkAcl as NonNullable<VrouterElement['applyNetworkAcl']>)(spec, cc);
const hostsOf = async (n: NetworkSpec) =>
  (await readFile(join(h.stateDir, h.prefix, n.networkId, 'hosts'), 'utf8'))
    .split('\n')
    .filter((l) => l !== '');

describe('concurrent writers on one router host', () => {
  it('two nodes preparing NICs with the same IP on one tier: one gets it, the other is RESOURCE_CONFLICT', async () => {
    const tier = await vpcWithTier();
    await node1.implementNetwork(tier, ctx());
    const ip = `${tier.cidr.split('.').slice(0, 3).join('.')}.20`;
    const [a, b] = [nic(tier, '02:00:0a:00:00:01', ip), nic(tier, '02:00:0a:00:00:02', ip)];
    const out = await race([() => node1.prepareNic(a, ctx()), () => node2.prepareNic(b, ctx())]);
    expect(out.map(codeOf).sort()).toEqual(['RESOURCE_CONFLICT', 'ok']);
    // One DHCP entry for the address, one NIC port on the bridge: the loser wrote nothing.
    expect((await hostsOf(tier)).filter((l) => l.endsWith(`,${ip}`))).toHaveLength(1);
    const ports = (await linksOf(h.prefix)).filter((l) => [a, b].some((x) => l === h.names.nicPort(x.nicId)));
    expect(ports).toHaveLength(1);
  });

  it('the same NIC prepared by two nodes at once: both succeed, one of them adopting', async () => {
    const tier = await vpcWithTier();
    await node1.implementNetwork(tier, ctx());
    const same = nic(tier, '02:00:0b:00:00:01', `${tier.cidr.split('.').slice(0, 3).join('.')}.20`);
    const out = await race([() => node1.prepareNic(same, ctx()), () => node2.prepareNic(same, ctx())]);
    expect(out.map(codeOf)).toEqual(['ok', 'ok']);
    const adopted = out.map((r) => (r.status === 'fulfilled' ? r.value.adopted : null));
    expect(adopted.sort()).toEqual([false, true]);
    expect(await hostsOf(tier)).toHaveLength(1);
  });

  it('two tiers of different VPCs with the same VLAN id at once: one bridge, the other is RESOURCE_CONFLICT', async () => {
    const vlan = vlanBase + 500 + vlanNext++;
    const [t1, t2] = [await vpcWithTier(vlan), await vpcWithTier(vlan)];
    const out = await race([
      () => node1.implementNetwork(t1, ctx()),
      () => node1.implementNetwork(t2, ctx()),
    ]);
    expect(out.map(codeOf).sort()).toEqual(['RESOURCE_CONFLICT', 'ok']);
    const loser = out[0]?.status === 'rejected' ? t1 : t2;
    const err = (out.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as AdapterError;
    expect(err.conflict?.resource).toBe('bridge');
    // The loser left no gateway veth behind.
    expect(await linksOf(h.names.gatewayBridgeSide(loser.networkId))).toEqual([]);
  });

  it("ACL applies of two tiers of one VPC from two nodes: the VPC's table holds both lists", async () => {
    const t1 = await vpcWithTier();
    const t2 = tierOf(t1.vpcId, third - 1, vlanBase + vlanNext++, 2);
    await node1.implementNetwork(t1, ctx());
    await node1.implementNetwork(t2, ctx());
    const sshOnly = (n: NetworkSpec, listId: string) =>
      list(n, listId, [rule(1, { portStart: 22, portEnd: 22 })]);
    const out = await race([
      () => applyAcl(node1, sshOnly(t1, 'web'), ctx()),
      () => applyAcl(node2, sshOnly(t2, 'db'), ctx()),
    ]);
    expect(out.map(codeOf)).toEqual(['ok', 'ok']);
    const { resources } = await node1.observe({ vpcId: t1.vpcId }, ctx());
    const acls = resources.filter((r) => r.kind === 'acl');
    expect(acls.map((r) => r.attributes.aclList).sort()).toEqual(['db', 'web']);
    // A list lost by a stale rewrite of the table shows as drift of its record.
    expect(acls.flatMap((r) => r.issues ?? [])).toEqual([]);
  });

  it('an ACL apply racing destroyNetwork on two nodes leaves no record or chain of the destroyed tier', async () => {
    const tier = await vpcWithTier();
    await node1.implementNetwork(tier, ctx());
    const spec = list(tier, 'default_deny', [rule(1, { action: 'deny', protocol: 'all' })]);
    const out = await race<unknown>([
      () => applyAcl(node1, spec, ctx()),
      () => node2.destroyNetwork(tier, ctx()),
    ]);
    // The apply either ran first (then the destroy removed its list) or found the tier gone.
    expect(['ok', 'INVALID_REQUEST']).toContain(codeOf(out[0] as PromiseSettledResult<unknown>));
    expect(codeOf(out[1] as PromiseSettledResult<unknown>)).toBe('ok');
    const { resources } = await node1.observe({ vpcId: tier.vpcId }, ctx());
    expect(resources.filter((r) => r.kind === 'acl' || r.kind === 'network')).toEqual([]);
    await expect(stat(join(h.stateDir, h.prefix, tier.networkId))).rejects.toThrow();
  });
});
