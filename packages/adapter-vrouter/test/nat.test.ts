// SourceNat and StaticNat on a real router host, proven with packets: a "public" namespace on the public bridge
// records who connects (the VPC's source-NAT address, a static NAT's public IP), and connects to a static NAT's
// public IP, reaching the right VM's listener until the rule is revoked.
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
  type Listener,
  linksOf,
  listen,
  namespacesOf,
  type PublicSide,
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
const listeners: Listener[] = [];
const ctx = (): CallContext => ({ signal: AbortSignal.timeout(60_000), idempotencyKey: randomUUID() });

beforeAll(async () => {
  sshd = await startSshd();
  work = await mkdtemp(join(tmpdir(), `np-vrouter-nat-${prefix}-`));
  stateDir = join(work, 'state');
  pub = await createPublicSide(prefix, 113);
  el = element(sshd, prefix, stateDir, { publicBridge: pub.bridge });
});
afterAll(async () => {
  for (const l of listeners) l.stop();
  await el?.close();
  await pub?.remove();
  if (stateDir) await cleanupHost(prefix, stateDir);
  await sshd?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const vlan = vlanBase('vrouter nat test');
const SNAT_IP = '203.0.113.2';
const STATIC_IP = '203.0.113.50';

describe('virtual router NAT with packets', () => {
  it('declines SourceNat and StaticNat without a public bridge', async () => {
    const bare = element(sshd, prefix, stateDir);
    const v: VpcSpec = { vpcId: randomUUID(), name: 'v', cidr: '10.7.0.0/16' };
    const network = { ...tier(v), services: ['SourceNat' as const] };
    for (const service of ['SourceNat', 'StaticNat'] as const) {
      expect(await bare.canHandle({ network, service }, ctx())).toMatchObject({
        canHandle: false,
        reason: expect.stringContaining('publicBridge'),
      });
    }
    expect(await el.canHandle({ network, service: 'StaticNat' }, ctx())).toEqual({ canHandle: true });
    await bare.close();
  });

  it('source-NATs egress, static-NATs a public IP to the right VM until revoked, forwards a port, leaves nothing after destroy', async () => {
    const v: VpcSpec = { vpcId: randomUUID(), name: 'v', cidr: '10.7.0.0/16' };
    const web = tier(v);
    await el.implementVpc(v, ctx());
    await el.implementNetwork(web, ctx());
    // A second implement adopts: the table is not rewritten, the source NAT not duplicated.
    expect((await el.implementNetwork(web, ctx())).adopted).toBe(true);
    const [w1, w2] = [nic(web, 10, 1), nic(web, 11, 2)];
    await el.prepareNics([w1, w2], ctx());
    const vm1 = await attachVm(prefix, names.nicPeer(w1.nicId), 'n1');
    const vm2 = await attachVm(prefix, names.nicPeer(w2.nicId), 'n2');
    for (const [ns, n] of [
      [vm1, w1],
      [vm2, w2],
    ] as const) {
      expect((await dhcp(ns, names.nicPeer(n.nicId), work)).ip).toBe(n.ip);
    }

    // SourceNat: the public namespace sees the VPC's source-NAT address, never the VM's own.
    const outside = await listen(pub.ns, 7000, 'public');
    listeners.push(outside);
    expect(await connect(vm1, pub.gateway, 7000)).toBe('public');
    expect(outside.peers).toEqual([SNAT_IP]);

    // StaticNat: the public IP reaches w2 (not w1), and w2 leaves by its public IP.
    for (const [ns, name] of [
      [vm1, 'w1'],
      [vm2, 'w2'],
    ] as const) {
      const l = await listen(ns, 8000, name);
      listeners.push(l);
    }
    const rule = { ruleId: randomUUID(), vpcId: v.vpcId, networkId: web.networkId, nicId: w2.nicId };
    const spec = { ...rule, publicIp: STATIC_IP, privateIp: w2.ip };
    expect(await connect(pub.ns, STATIC_IP, 8000)).toBeNull();
    expect(await el.applyStaticNat?.(spec, ctx())).toEqual({ adopted: false });
    expect(await el.applyStaticNat?.(spec, ctx())).toEqual({ adopted: true });
    expect(await connect(pub.ns, STATIC_IP, 8000)).toBe('w2');
    expect(await connect(vm2, pub.gateway, 7000)).toBe('public');
    expect(outside.peers).toEqual([SNAT_IP, STATIC_IP]);

    // The same public IP for another rule, or the source-NAT address: RESOURCE_CONFLICT, nothing changed.
    for (const publicIp of [STATIC_IP, SNAT_IP]) {
      const other = { ...spec, ruleId: randomUUID(), nicId: w1.nicId, privateIp: w1.ip, publicIp };
      await expect(el.applyStaticNat?.(other, ctx())).rejects.toMatchObject({
        category: 'RESOURCE_CONFLICT',
      });
    }
    const nat = (await el.observe({ vpcId: v.vpcId }, ctx())).resources.filter((r) => r.kind === 'nat');
    expect(nat.map((r) => [r.id, r.attributes.type, r.attributes.externalIp, r.issues]).sort()).toEqual(
      [
        [rule.ruleId, 'dnat_and_snat', STATIC_IP, undefined],
        [`${web.networkId}/snat`, 'snat', SNAT_IP, undefined],
      ].sort(),
    );

    // Drift: the table deleted by hand is missing from observe; apply and implement again restore it.
    const routerNs = names.routerNs(v.vpcId);
    const table = nat[0]?.name as string;
    expect(table).toMatch(new RegExp(`^${prefix}_nat_[0-9a-f]{10}$`));
    await run('ip', ['netns', 'exec', routerNs, 'nft', 'delete', 'table', 'ip', table]);
    // observe still names the rules (from the NAT record beside the table), each with the table missing as issue.
    const drifted = (await el.observe({ vpcId: v.vpcId }, ctx())).resources.filter((r) => r.kind === 'nat');
    expect(drifted.map((r) => [r.id, r.issues?.[0]]).sort()).toEqual(
      [rule.ruleId, `${web.networkId}/snat`].map((id) => [id, `the NAT table ${table} is missing`]).sort(),
    );
    expect(await connect(pub.ns, STATIC_IP, 8000)).toBeNull();
    // implementNetwork (the source NAT) rewrites the whole table from the record: the static NAT is back with it.
    await el.implementNetwork(web, ctx());
    expect(await connect(pub.ns, STATIC_IP, 8000)).toBe('w2');
    expect(await el.applyStaticNat?.(spec, ctx())).toEqual({ adopted: true });
    expect(await connect(pub.ns, STATIC_IP, 8000)).toBe('w2');

    // PortForwarding on the source-NAT address: its tcp/2222 reaches w1's 8000, other ports nothing.
    const pf = {
      version: 1 as const,
      ruleId: randomUUID(),
      vpcId: v.vpcId,
      networkId: web.networkId,
      nicId: w1.nicId,
      publicIp: SNAT_IP,
      privateIp: w1.ip,
      protocol: 'tcp' as const,
      publicPortStart: 2222,
      publicPortEnd: 2222,
      privatePortStart: 8000,
      privatePortEnd: 8000,
    };
    expect(await el.applyPortForwarding?.(pf, ctx())).toEqual({ adopted: false });
    expect(await el.applyPortForwarding?.(pf, ctx())).toEqual({ adopted: true });
    expect(await connect(pub.ns, SNAT_IP, 2222)).toBe('w1');
    expect(await connect(pub.ns, SNAT_IP, 8000)).toBeNull();
    const pfs = (await el.observe({ vpcId: v.vpcId }, ctx())).resources.filter((r) => r.kind === 'pf');
    expect(pfs.map((r) => [r.id, r.attributes.publicPorts, r.attributes.privatePorts, r.issues])).toEqual([
      [pf.ruleId, '2222-2222', '8000-8000', undefined],
    ]);
    // A static NAT takes every port of its IP: a port forward on it is RESOURCE_CONFLICT.
    await expect(
      el.applyPortForwarding?.({ ...pf, ruleId: randomUUID(), publicIp: STATIC_IP }, ctx()),
    ).rejects.toMatchObject({ category: 'RESOURCE_CONFLICT' });
    await el.revokePortForwarding?.(pf, ctx());
    expect(await connect(pub.ns, SNAT_IP, 2222)).toBeNull();
    expect(await connect(vm1, pub.gateway, 7000)).toBe('public'); // the source NAT is still there

    // Revoke: the public IP reaches nothing; revoking again succeeds.
    await el.revokeStaticNat?.(rule, ctx());
    expect(await connect(pub.ns, STATIC_IP, 8000)).toBeNull();
    await expect(el.revokeStaticNat?.(rule, ctx())).resolves.toBeUndefined();
    const left = (await el.observe({ vpcId: v.vpcId }, ctx())).resources.filter((r) => r.kind === 'nat');
    expect(left.map((r) => r.id)).toEqual([`${web.networkId}/snat`]);

    await el.destroyNetwork(web, ctx());
    await el.destroyVpc(v, ctx());
    expect(await linksOf(prefix)).toEqual([]);
    expect((await namespacesOf(prefix)).filter((ns) => ns.startsWith(`${prefix}-vpc-`))).toEqual([]);
    const { stdout } = await run('ip', ['-j', 'link', 'show', 'master', pub.bridge]);
    expect(JSON.parse(stdout).map((l: { ifname: string }) => l.ifname)).toEqual([`${prefix}pubup`]);
  });
});

function tier(v: VpcSpec): NetworkSpec {
  return {
    vpcId: v.vpcId,
    networkId: randomUUID(),
    name: 'web',
    cidr: '10.7.1.0/24',
    gateway: '10.7.1.1',
    isolation: { method: 'VLAN', segmentId: vlan },
    services: ['Connectivity', 'Dhcp', 'SourceNat', 'StaticNat'],
    sourceNatIp: SNAT_IP,
    publicNetwork: { cidr: '203.0.113.0/24', gateway: '203.0.113.1', vlan: null },
    dhcp: { dnsServers: [], dnsDomain: null, physicalMtu: 1500 },
  };
}

function nic(n: NetworkSpec, host: number, i: number): NicSpec {
  return {
    nicId: randomUUID(),
    networkId: n.networkId,
    vpcId: n.vpcId,
    mac: `02:00:07:${i.toString(16).padStart(2, '0')}:00:${host.toString(16).padStart(2, '0')}`,
    ip: `10.7.1.${host}`,
    vmName: `vm-${i}`,
  };
}
